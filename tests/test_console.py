"""What the development server's console shows: an expected refusal is one line, and every page has its icon."""

from __future__ import annotations

import io
import logging

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """The root logger's console handler (settings.LOGGING), writing into a buffer for the test."""
    handler = next(h for h in logging.getLogger().handlers if any(f.__class__.__name__ == "ExpectedRefusals"
                                                                      for f in h.filters))  # fmt: skip
    buffer, stream = io.StringIO(), handler.stream
    handler.setStream(buffer)
    yield buffer
    handler.setStream(stream)


def test_a_refused_page_is_one_line_without_a_traceback(client, head, console, settings):
    settings.DEBUG = True  # as under `make run`, where Django's own console handler also printed it
    client.force_login(head)
    assert client.get("/data-sources/new/").status_code == 403  # a head may not add data sources
    output = console.getvalue()
    assert output.count("Forbidden (Permission denied): /data-sources/new/") == 1
    assert "Traceback" not in output


def test_every_page_names_its_icon_and_the_conventional_address_leads_to_it(client, executive):
    client.force_login(executive)
    assert 'rel="icon"' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
