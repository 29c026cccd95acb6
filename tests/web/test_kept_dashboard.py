"""Each viewer's dashboard is kept until the data or the scores change (cco.kept_pages): a second view serves the
viewer's own copy, with a CSRF token and a status line of its own, and any change shows on the very next view.

Transactional tests: kept pages are keyed on committed data, so these commit as production does."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.models import Department
from scoring.models import AlignmentScore

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HEADER_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')
# A view of the viewer's copy reads nothing from the database: the session and who is signed in come from the cache
# (cco.sessions, cco.identity), and so does the scores' state until it changes (scoring.liveness.moments).
COPY_QUERIES = 0


def view(client, path: str | None = None) -> tuple[str, int]:
    """The dashboard's HTML and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path or reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


STATUS_LINE = re.compile(r'<div id="freshness".*?</div>', re.S)


def without_tokens(html: str) -> str:
    """The page without what is filled in per response: the CSRF tokens, and the status line, whose "computed now"
    becomes "a second ago" when a second passes between two views."""
    return STATUS_LINE.sub("", HEADER_TOKEN.sub("", TOKEN.sub("", html)))


def test_a_second_view_is_the_viewers_copy_and_reads_nothing_from_the_database(as_role, web_org):
    client = as_role("executive")
    first, computed = view(client)
    second, served = view(client)
    assert without_tokens(second) == without_tokens(first)
    assert web_org["department"].name in second
    assert served == COPY_QUERIES < computed


def test_each_viewer_is_served_their_own_copy(as_role, web_org):
    executive, cco = web_org["users"]["executive"], web_org["users"]["cco"]
    seen_by_executive, _ = view(as_role("executive"))
    seen_by_cco, _ = view(as_role("cco"))
    again_by_executive, _ = view(as_role("executive"))
    assert f'<span class="who">{executive.get_full_name() or executive.username}</span>' in seen_by_executive
    assert f'<span class="who">{cco.get_full_name() or cco.username}</span>' in seen_by_cco
    assert executive.username not in seen_by_cco
    assert without_tokens(again_by_executive) == without_tokens(seen_by_executive)


def test_a_kept_page_carries_a_fresh_valid_csrf_token(web_org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(web_org["users"]["executive"])
    first, _ = view(client)
    kept, _ = view(client)
    assert "cco-hole-" not in kept
    tokens = TOKEN.findall(kept) + HEADER_TOKEN.findall(kept)
    assert len(tokens) >= 2
    assert not set(tokens) & set(TOKEN.findall(first) + HEADER_TOKEN.findall(first))  # masked anew per response
    # the kept page's logout form works: its token matches this browser's CSRF cookie
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": TOKEN.findall(kept)[0]})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302  # signed out


def test_a_kept_page_works_for_a_second_browser_of_the_same_person(web_org):
    """The copy is per person, not per browser: another browser (another CSRF cookie) gets tokens for its own."""
    executive = web_org["users"]["executive"]
    laptop, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    laptop.force_login(executive)
    phone.force_login(executive)
    view(laptop)
    on_the_phone, served = view(phone)
    assert served == COPY_QUERIES  # the laptop's copy
    token = TOKEN.findall(on_the_phone)[0]
    assert phone.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302


def test_a_change_to_the_data_shows_on_the_next_view(as_role, web_org):
    client = as_role("executive")
    view(client)
    view(client)
    department = Department.objects.get(pk=web_org["department"].pk)
    department.name = "Customer Delight"
    department.save()
    html, _ = view(client)
    assert "Customer Delight" in html


def test_a_new_score_shows_on_the_next_view(as_role, web_org):
    """Scores are stored by the worker in bulk, which moves no generation: the page's key holds the last one stored."""
    client = as_role("executive")
    view(client)
    view(client)
    AlignmentScore.objects.create(
        department=web_org["department"], period=web_org["period"], score=Decimal("12.3"), fingerprint="new"
    )
    html, _ = view(client)
    assert "<strong>12.3</strong>" in html


def test_the_status_line_is_written_for_each_request(as_role, web_org, monkeypatch):
    """ "Computed … ago" is true at every view, though the rest of the page is the viewer's copy."""
    client = as_role("executive")
    view(client)
    _, served = view(client)
    assert served == COPY_QUERIES
    later = datetime.now() + timedelta(hours=3)  # noqa: DTZ005 (naturaltime's own call is patched)

    class ThreeHoursLater(datetime):
        @classmethod
        def now(cls, tz=None):
            return later.astimezone(tz) if tz else later

    monkeypatch.setattr("django.contrib.humanize.templatetags.humanize.datetime", ThreeHoursLater)
    html, served = view(client)
    assert served == COPY_QUERIES  # still the copy
    status = html[html.index('id="freshness"') : html.index("</div>", html.index('id="freshness"'))]
    assert "3\xa0hours ago" in status


def test_messages_are_shown_once_and_never_kept(as_role, web_org):
    client = as_role("executive")
    view(client)
    view(client)
    client.cookies["messages"] = message_cookie("Saved by you a moment ago.")
    with_message, _ = view(client)
    after, _ = view(client)
    assert "Saved by you a moment ago." in with_message
    assert "Saved by you a moment ago." not in after


def test_a_search_is_computed_for_each_request(as_role, web_org):
    """Its variants are the viewer's to make: each would take a copy, so none is kept."""
    client = as_role("executive")
    view(client)
    view(client)  # the copy of the unsearched page is there
    path = reverse("dashboard") + "?q=Sales"
    view(client, path)
    html, again = view(client, path)
    assert again > COPY_QUERIES
    assert 'value="Sales"' in html


def message_cookie(text: str) -> str:
    """The messages cookie a view that said `text` would have set (django.contrib.messages' cookie storage)."""
    storage = CookieStorage(RequestFactory().get("/"))
    response = HttpResponse()
    storage._store([Message(constants.SUCCESS, text)], response)
    return response.cookies["messages"].value


@pytest.mark.filterwarnings("error::django.core.cache.backends.base.CacheKeyWarning")  # keys a cache can hold
def test_the_status_line_follows_the_worker_and_the_changes_owed_on_a_kept_page(as_role, web_org, queued_scoring):
    client = as_role("executive")
    worker = queued_scoring.worker(seen_seconds_ago=1)
    view(client)
    calm, served = view(client)
    assert served == COPY_QUERIES
    assert "Scores may be out of date" not in calm
    queued_scoring.change_saved()
    pending, _ = view(client)
    assert "Recomputing…" in pending
    queued_scoring.scored()
    worker.delete()
    stopped, _ = view(client)
    assert "No scoring worker is running" in stopped
