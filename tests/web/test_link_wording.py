"""How a goal's links read on the pages when what they used to say is no longer true: a claim of a closed quarter
will never be reviewed (it is not "awaiting the CCO"), and a conflict its department declared on a goal that is not
active counts nothing yet (it does not "count in full")."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from goals.models import Goal, GoalLink, GoalStatus
from goals.services import period_make_current
from mandates import services as mandate_services
from tests.factories import GoalFactory, LinkFactory, ObjectiveFactory, PeriodFactory, quarter
from tests.web.conftest import review_coverage, score_everything
from tests.web.test_dashboard import opened_row

pytestmark = pytest.mark.django_db

NEVER_REVIEWED = "claimed, not reviewed before the quarter closed"


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


def goal_row(html: str, goal: Goal) -> str:
    return html.split(f'id="goal-{goal.pk}"')[1].split("</tr>")[0]


def links_on_goal_page(client, goal: Goal) -> str:
    html = text_of(client.get(reverse("goal-detail", args=[goal.pk])))
    return html[html.index('id="links-title"') :].split("</section>")[0]


@pytest.fixture
def closed_quarter(web_org):
    """A quarter two back, closed: Service's active goal in it claimed to win back lapsed customers, and the CCO never
    reviewed the claim before the quarter was scored and the current quarter made current again."""
    cco, department = web_org["users"]["cco"], web_org["department"]
    closed = PeriodFactory(**vars(quarter(-2)), is_current=False)
    lapsed = ObjectiveFactory(period=closed, title="Win back lapsed customers", category="retention")
    goal = GoalFactory(department=department, period=closed, title="Call lapsed customers", weight=Decimal(40))
    claim = LinkFactory(goal=goal, objective=lapsed, kind="supports", strength=Decimal("0.6"))
    period_make_current(actor=cco, period=closed)
    score_everything()
    period_make_current(actor=cco, period=web_org["period"])
    score_everything()
    closed.refresh_from_db()
    assert closed.closed
    return {"period": closed, "goal": goal, "claim": claim}


# --- a claim of a closed quarter ------------------------------------------------------------------------


def test_a_closed_quarters_claim_reads_as_never_reviewed_on_its_goal_page(as_role, closed_quarter):
    links = links_on_goal_page(as_role("head"), closed_quarter["goal"])

    assert f"({NEVER_REVIEWED})" in links
    assert "awaiting the CCO" not in links


def test_a_closed_quarters_claim_reads_as_never_reviewed_on_its_department_page(as_role, web_org, closed_quarter):
    url = f"{reverse('department-detail', args=[web_org['department'].pk])}?period={closed_quarter['period'].pk}"

    row = goal_row(text_of(as_role("executive").get(url)), closed_quarter["goal"])

    assert f"({NEVER_REVIEWED})" in row
    assert "awaiting the CCO" not in row


def test_the_review_form_of_a_closed_quarters_claim_says_it_was_never_reviewed(as_role, closed_quarter):
    html = text_of(as_role("cco").get(reverse("link-review", args=[closed_quarter["claim"].pk])))

    assert "Claimed, not reviewed before the quarter closed" in html
    assert "awaiting the CCO" not in html


def test_a_current_quarters_claim_still_awaits_the_cco(as_role, web_org, closed_quarter):
    row = goal_row(
        text_of(as_role("head").get(reverse("department-detail", args=[web_org["department"].pk]))), web_org["answer"]
    )

    assert "(claimed, awaiting the CCO)" in row


def test_a_closed_quarters_score_breakdowns_say_its_claims_were_never_reviewed(as_role, web_org, closed_quarter):
    closed = closed_quarter["period"]
    client = as_role("executive")

    department_page = text_of(
        client.get(reverse("department-detail", args=[web_org["department"].pk]), {"period": closed.pk})
    )
    dashboard = client.get(reverse("dashboard"), {"period": closed.pk}).content.decode()
    row = opened_row(client, dashboard, web_org["department"])

    for html in (department_page, re.sub(r"\s+", " ", unescape(row))):
        assert re.search(r"of which [\d.]+ from claims not reviewed before the quarter closed", html)
        assert "links awaiting the CCO's review" not in html


def test_the_quarterly_review_of_a_closed_quarter_says_its_claims_were_never_reviewed(as_role, closed_quarter):
    html = text_of(as_role("executive").get(reverse("quarterly-review", args=[closed_quarter["period"].pk])))

    assert (
        review_coverage(html)["Win back lapsed customers"]
        == "! Only through claims not reviewed before the quarter closed"
    )


# --- a declared conflict on a goal that is not active ---------------------------------------------------


@pytest.fixture
def conflict(web_org) -> GoalLink:
    """Service's “Cut handle time” declares it conflicts with “Raise customer satisfaction” (strength 0.5)."""
    return GoalLink.objects.get(goal=web_org["handle"])


def test_a_draft_goals_declared_conflict_says_it_will_count_once_the_goal_is_active(as_role, web_org, conflict):
    Goal.objects.filter(pk=web_org["handle"].pk).update(status=GoalStatus.DRAFT)
    client = as_role("head")

    goal_page = links_on_goal_page(client, web_org["handle"])
    row = goal_row(
        text_of(client.get(reverse("department-detail", args=[web_org["department"].pk]))), web_org["handle"]
    )

    for shown in (goal_page, row):
        assert "(declared by the department: will count in full once the goal is active)" in shown
        assert "counts in full" not in shown


def test_a_vetoed_goals_declared_conflict_says_it_will_count_once_the_cco_approves_the_goal(as_role, web_org, conflict):
    mandate_services.goal_veto(actor=web_org["users"]["cco"], goal=web_org["handle"], reason="Not a customer outcome.")

    goal_page = links_on_goal_page(as_role("head"), web_org["handle"])

    assert "(declared by the department: will count in full once the CCO approves the goal)" in goal_page
    assert "counts in full" not in goal_page


def test_an_archived_goals_declared_conflict_says_it_counts_nothing(as_role, web_org, conflict):
    Goal.objects.filter(pk=web_org["handle"].pk).update(status=GoalStatus.ARCHIVED)

    goal_page = links_on_goal_page(as_role("head"), web_org["handle"])

    assert "(declared by the department: counts nothing while the goal is archived)" in goal_page


def test_the_review_page_of_a_draft_goals_declared_conflict_says_how_it_will_count(as_role, web_org, conflict):
    Goal.objects.filter(pk=web_org["handle"].pk).update(status=GoalStatus.DRAFT)

    html = text_of(as_role("cco").get(reverse("link-review", args=[conflict.pk])))

    assert (
        "by its department's own declaration: it will count in full once the goal is active and is not a claim" in html
    )
    assert "counts in full" not in html.split("<main", 1)[1].split("</main>")[0]


def test_a_closed_quarters_draft_goals_declared_conflict_says_it_counted_nothing(as_role, web_org, closed_quarter):
    goal = GoalFactory(
        department=web_org["department"],
        period=closed_quarter["period"],
        title="Never started",
        status=GoalStatus.DRAFT,
    )
    LinkFactory(goal=goal, objective=closed_quarter["claim"].objective, kind="conflicts", strength=Decimal("0.3"))

    goal_page = links_on_goal_page(as_role("head"), goal)

    assert "(declared by the department: counted nothing, as the goal was still a draft when the quarter closed)" in (
        goal_page
    )


def test_an_active_goals_declared_conflict_still_counts_in_full(as_role, web_org, conflict):
    goal_page = links_on_goal_page(as_role("head"), web_org["handle"])

    assert "(declared by the department: counts in full)" in goal_page
