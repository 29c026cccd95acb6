"""A quarter set up ahead (the next one, planned before it begins) is shown as planned, not "as it ended": every page
that takes ?period= says so, and the dashboard does not promise that a recompute will score it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import formats

from scoring.snapshots import scores_recompute
from tests.factories import GoalFactory, LinkFactory, ObjectiveFactory, PeriodFactory, quarter
from tests.web.conftest import review_coverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_quarter(web_org):
    scores_recompute()  # the current quarter is scored; the next one never is before it becomes current
    upcoming = PeriodFactory(**vars(quarter(1)), is_current=False)
    planned = GoalFactory(
        department=web_org["department"], period=upcoming, title="Planned for next quarter", weight=Decimal(30)
    )
    LinkFactory(goal=planned, objective=ObjectiveFactory(period=upcoming, title="Planned support"), review="confirmed")
    ObjectiveFactory(period=upcoming, title="Nobody plans for this")
    return upcoming


def pages(web_org, period) -> dict[str, str]:
    asked = f"?period={period.pk}"
    return {
        "dashboard": reverse("dashboard") + asked,
        "heatmap": reverse("dashboard-heatmap") + asked,
        "department": reverse("department-detail", args=[web_org["department"].pk]) + asked,
        "charter": reverse("charter") + asked,
        "review": reverse("quarterly-review", args=[period.pk]),
    }


@pytest.mark.parametrize("page", ["dashboard", "heatmap", "department", "charter", "review"])
def test_a_quarter_that_has_not_begun_is_shown_as_planned_not_as_ended(as_role, web_org, next_quarter, page):
    response = as_role("cco").get(pages(web_org, next_quarter)[page])

    assert response.status_code == 200
    html = response.content.decode()
    starts = formats.date_format(next_quarter.start, "j F Y")
    assert f"as planned so far, before it starts on {starts}" in html
    assert "as it ended" not in html and "ended ·" not in html


def test_the_dashboard_of_a_quarter_not_begun_says_when_it_is_scored(as_role, web_org, next_quarter):
    html = as_role("executive").get(pages(web_org, next_quarter)["dashboard"]).content.decode()

    assert f"Not scored: {next_quarter} is scored once it becomes the current period." in html
    assert f"As evaluated now: {next_quarter} has not begun" in html  # the empowerment: none is kept for it yet
    assert "once the next recompute has run" not in html


def test_the_dashboard_of_an_ended_quarter_says_it_was_not_scored_then(as_role, web_org, next_quarter):
    """A quarter that ran before scores were kept: no recompute will ever score it, so none is promised."""
    ended = PeriodFactory(**vars(quarter(-1)), is_current=False)
    html = as_role("executive").get(reverse("dashboard") + f"?period={ended.pk}").content.decode()

    assert f"You are looking at {ended} as it ended, read-only." in html
    assert f"Not scored while {ended} was the current period." in html
    assert "once the next recompute has run" not in html


def test_the_review_of_a_quarter_not_begun_shows_coverage_as_planned(as_role, web_org, next_quarter):
    """It has no score yet: its coverage comes from the goals planned for it, so an objective no department supports
    is not covered, and the count agrees with the list and with that quarter's dashboard."""
    client = as_role("cco")

    html = client.get(pages(web_org, next_quarter)["review"]).content.decode()
    board = client.get(pages(web_org, next_quarter)["dashboard"]).context["dash"]

    assert review_coverage(html) == {"Nobody plans for this": "✕ Not covered", "Planned support": "✓ Covered"}
    assert "Customer objectives as planned so far" in html
    assert (board.covered_objectives, len(board.columns)) == (1, 2)
    assert "<strong>1</strong> of 2 objectives supported by at least one customer-facing department" in html
