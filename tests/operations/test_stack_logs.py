"""What the fault tests print when they fail (ops/stack.py): the worker's and beat's logs must survive a web process
that logged one warning per request through an outage."""

from __future__ import annotations

import subprocess
import sys

from ops.stack import Process, Stack


def finished(name: str, text: str, workdir) -> Process:
    log = workdir / f"{name}.log"
    log.write_text(text)
    popen = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    popen.wait()
    return Process(name, popen, log)


def test_a_repeated_line_is_shown_once_with_its_count(tmp_path):
    web = finished("gunicorn", "booted\n" + "not queued\n" * 300 + "served\n", tmp_path)
    assert web.tail(40).splitlines() == ["booted", "not queued  [x300]", "served"]


def test_the_worker_and_beat_come_before_the_web_process_and_redis(tmp_path):
    stack = Stack(env={}, workdir=tmp_path)
    stack.processes = [
        finished("redis-6400", "ready\n", tmp_path),
        finished("gunicorn", "warning\n" * 50, tmp_path),
        finished("worker", "reconnected\n", tmp_path),
        finished("beat", "sent\n", tmp_path),
    ]
    names = [block.split(" ")[1] for block in stack.logs().split("\n\n")]
    assert names == ["worker", "beat", "gunicorn", "redis-6400"]
