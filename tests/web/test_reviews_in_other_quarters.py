"""The CCO's Sign-offs page also says what waits in the quarters still open besides the current one: the last one
during its grace days (decisions can still be made, and are frozen once it closes) and the next one set up ahead.
Each is one link away (?period=<id>); a closed quarter is not offered."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import CheckIn, GoalStatus, LinkReview
from mandates.services import link_review
from tests.factories import GoalFactory, LeverFactory, LinkFactory, ObjectiveFactory, PeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarters(db):
    """Four periods around today: one closed long ago, the last (ended 5 days ago, in its grace days), the current
    one and the next, set up ahead."""
    today = timezone.localdate()
    spans = {"older": (-190, -100, False), "last": (-100, -5, False), "now": (-5, 85, True), "next": (85, 175, False)}
    return {
        name: PeriodFactory(
            name=f"Q-{name}", start=today + timedelta(days=a), end=today + timedelta(days=b), is_current=current
        )
        for name, (a, b, current) in spans.items()
    }


@pytest.fixture
def waiting(quarters, department, head, cco_user):
    """In the last quarter a claim and a lever not signed off; in the next a draft goal; in the closed one a claim."""
    last, older = quarters["last"], quarters["older"]
    goal = GoalFactory(department=department, period=last, title="Answer first time", weight=Decimal(40))
    claim = LinkFactory(goal=goal, objective=ObjectiveFactory(period=last, owner=cco_user, title="Happier customers"))
    LeverFactory(goal=goal, manager=head, share=Decimal(20))
    GoalFactory(department=department, period=quarters["next"], title="Plan ahead", status=GoalStatus.DRAFT)
    old = GoalFactory(department=department, period=older, title="Old goal", weight=Decimal(10))
    LinkFactory(goal=old, objective=ObjectiveFactory(period=older, owner=cco_user, title="Old objective"))
    return claim


def test_the_current_queue_says_what_waits_in_the_last_quarter_and_the_next(client, cco_user, quarters, waiting):
    client.force_login(cco_user)
    page = client.get(reverse("review-list")).content.decode()

    last, upcoming = quarters["last"], quarters["next"]
    decide_by = (CheckIn.reading_window(last)[1] - timedelta(days=1)).date()
    assert "Also waiting in other quarters" in page
    assert f'?period={last.pk}">Q-last</a>: 1 claim, 1 lever not signed off. It has ended: decide by ' in page
    assert f"{decide_by.day} {decide_by:%b %Y}, after which it is closed" in page
    assert f'?period={upcoming.pk}">Q-next</a>: 1 draft goal, set up ahead.' in page
    assert "Q-older" not in page  # closed: nothing in it can be decided any more


def test_the_last_quarters_queue_is_one_link_away_and_shrinks_as_the_cco_decides(client, cco_user, quarters, waiting):
    client.force_login(cco_user)
    last = quarters["last"]
    page = client.get(reverse("review-list"), {"period": last.pk}).content.decode()

    assert "You are looking at what waits in Q-last" in page and "Back to the current quarter" in page
    assert reverse("link-review", args=[waiting.pk]) in page
    assert "1 claim awaiting your review" in page
    assert f'?period={last.pk}"' not in page  # listed above only as the other quarters' entries, and it is this one

    link_review(actor=cco_user, link=waiting, action="confirm", reason="Agreed.")

    waiting.refresh_from_db()
    assert waiting.review == LinkReview.CONFIRMED
    again = client.get(reverse("review-list")).content.decode()
    assert f'?period={last.pk}">Q-last</a>: 1 lever not signed off. It has ended' in again


def test_a_closed_quarter_asked_for_says_so(client, cco_user, quarters, waiting):
    client.force_login(cco_user)
    page = client.get(reverse("review-list"), {"period": quarters["older"].pk}).content.decode()
    assert "You are looking at what waits in Q-older, which is closed: nothing in it can be decided any more" in page


def test_nothing_waiting_elsewhere_says_nothing(client, cco_user, quarters):
    client.force_login(cco_user)
    assert "Also waiting in other quarters" not in client.get(reverse("review-list")).content.decode()


def test_an_unknown_period_is_a_404_naming_it(client, cco_user, quarters):
    client.force_login(cco_user)
    response = client.get(reverse("review-list"), {"period": "nope"})
    assert response.status_code == 404
    assert "No period has the id “nope”" in response.content.decode()


def test_the_cco_dashboard_says_so_under_what_needs_me(client, cco_user, quarters, waiting):
    client.force_login(cco_user)
    page = client.get(reverse("dashboard")).content.decode()
    last = quarters["last"]
    decide_by = (CheckIn.reading_window(last)[1] - timedelta(days=1)).date()
    assert "Quarters with decisions waiting besides this one" in page
    assert (
        f'?period={last.pk}">Q-last: 1 claim, 1 lever not signed off, to decide by {decide_by.day} {decide_by:%b %Y}'
        in page
    )
    assert f'?period={quarters["next"].pk}">Q-next: 1 draft goal, set up ahead' in page


def test_the_api_gives_the_same_group(cco_user, quarters, waiting):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(cco_user)
    groups = {group["key"]: group for group in api.get("/api/v1/users/me/needs/").json()["groups"]}
    elsewhere = groups["elsewhere"]
    assert elsewhere["count"] == 2
    assert [item["url"] for item in elsewhere["items"]] == [
        f"/reviews/?period={quarters['last'].pk}",
        f"/reviews/?period={quarters['next'].pk}",
    ]
    assert elsewhere["items"][0]["text"].startswith("Q-last: 1 claim, 1 lever not signed off, to decide by ")
