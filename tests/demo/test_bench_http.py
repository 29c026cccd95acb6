"""The benchmark's client times each page alongside the floor it is compared with (ops/bench_http.time_url)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ops.bench_http import Client, time_url


@pytest.fixture
def server():
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], asked
    httpd.shutdown()
    httpd.server_close()


def test_each_measured_request_of_a_page_follows_one_of_the_floor(server):
    port, asked = server
    timing = time_url(Client("127.0.0.1", port), "/page", requests=4, warmups=1, budget=30, floor="/floor")
    assert asked == ["/page"] + ["/floor", "/page"] * 4
    assert len(timing.latencies) == len(timing.floor_latencies) == 4
    assert all(seconds > 0 for seconds in timing.floor_latencies)


def test_without_a_floor_only_the_page_is_asked(server):
    port, asked = server
    timing = time_url(Client("127.0.0.1", port), "/page", requests=3, warmups=0, budget=30)
    assert asked == ["/page"] * 3
    assert timing.floor_latencies == []
