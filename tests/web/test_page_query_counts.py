"""Every page reads in the same number of queries for an organisation of 3 departments and of 15: the count is
pinned at two sizes (the dashboard, heatmap and org chart have their own tests). The first goal's history, its
links' changes with it, grows between the two."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cco import roles
from departments.models import Department, ReportingLine
from goals.models import CheckIn, CompensationLever, CustomerObjective, Goal, Period
from goals.services import LinkInput, goal_update
from mandates.models import MandateItem
from mandates.services import link_review
from tests.factories import (
    CheckInFactory,
    DepartmentFactory,
    GoalFactory,
    LeverFactory,
    LineFactory,
    LinkFactory,
    ObjectiveFactory,
    PeriodFactory,
    UserFactory,
    quarter,
)
from tests.web.conftest import score_everything
from tests.web.test_dashboard_queries import build_organisation

pytestmark = pytest.mark.django_db


def first(model):
    return model.objects.order_by("pk").first()


# (page, URL for the first department's objects, who looks: "cco" or "head" (the first department's head))
PAGES = [
    ("department list", lambda: reverse("department-list"), "cco"),
    ("department page", lambda: reverse("department-detail", args=[first(Department).pk]), "cco"),
    ("goal page", lambda: reverse("goal-detail", args=[first(Goal).pk]), "cco"),
    ("goal edit", lambda: reverse("goal-edit", args=[first(Goal).pk]), "head"),
    ("new goal", lambda: reverse("goal-create", args=[first(Department).pk]), "head"),
    ("check-in form", lambda: reverse("check-in-create", args=[first(Goal).pk]), "head"),
    ("check-in correction", lambda: reverse("check-in-edit", args=[first(CheckIn).pk]), "head"),
    ("lever form", lambda: reverse("lever-edit", args=[first(CompensationLever).pk]), "head"),
    ("charter", lambda: reverse("charter"), "cco"),
    ("mandate checklist", lambda: reverse("mandate-checklist"), "cco"),
    ("sign-offs and reviews", lambda: reverse("review-list"), "cco"),
    ("lever review", lambda: reverse("lever-review", args=[first(CompensationLever).pk]), "cco"),
    ("decision log", lambda: reverse("decision-list"), "cco"),
    ("objectives", lambda: reverse("objective-list"), "cco"),
    ("data sources", lambda: reverse("data-source-list"), "cco"),
    ("quarterly review", lambda: reverse("quarterly-review", args=[first(Period).pk]), "cco"),
    ("roll-over plan", lambda: reverse("period-roll-over-next"), "cco"),
    ("objective history", lambda: reverse("objective-history", args=[first(CustomerObjective).pk]), "cco"),
    ("line history", lambda: reverse("line-history", args=[first(ReportingLine).pk]), "cco"),
    ("lever history", lambda: reverse("lever-history", args=[first(CompensationLever).pk]), "cco"),
    ("mandate item history", lambda: reverse("mandate-item-history", args=[first(MandateItem).pk]), "cco"),
]


def grow(period, count: int) -> None:
    """`count` more departments like build_organisation's, on the same objectives."""
    objectives = list(CustomerObjective.objects.filter(period=period))
    for index in range(count):
        head = UserFactory(username=f"more-head-{index}", role=roles.HEAD)
        department = DepartmentFactory(name=f"More {index}", heads=[head])
        LineFactory(department=department, kind="dotted" if index % 2 else "direct")
        for number, objective in enumerate(objectives):
            goal = GoalFactory(department=department, period=period, weight=Decimal(20))
            LinkFactory(goal=goal, objective=objective, kind="conflicts" if number == 3 else "supports")
            CheckInFactory(goal=goal, by=head)
            LeverFactory(goal=goal, manager=head, share=Decimal(10))
    score_everything()


def change_links(goal: Goal, *, head, cco, rounds: int) -> None:
    """The goal's history grows with its links' (goals.history): each round its head links one more objective, the
    CCO adjusts the link, the head lowers it and then removes it, and the objective is deleted."""
    kept = [LinkInput(link.objective, link.kind, link.strength) for link in goal.links.select_related("objective")]
    for _ in range(rounds):
        extra = ObjectiveFactory(period=goal.period)
        goal_update(actor=head, goal=goal, data={}, links=[*kept, LinkInput(extra, strength=Decimal("0.5"))])
        link = goal.links.get(objective=extra)
        link_review(actor=cco, link=link, action="adjust", strength=Decimal("0.4"), reason="Less than that.")
        goal_update(actor=head, goal=goal, data={}, links=[*kept, LinkInput(extra, strength=Decimal("0.3"))])
        goal_update(actor=head, goal=goal, data={}, links=kept)
        extra.delete()


def queries_for(client, url: str) -> int:
    client.get(url)  # the user's roles are read once and remembered on the session's user
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.mark.parametrize(("page", "url", "who"), PAGES, ids=[page for page, *_ in PAGES])
def test_page_reads_the_same_number_of_queries_at_two_sizes(client, cco_user, period, page, url, who):
    build_organisation(3, period)
    head = first(Department).heads.get()
    CheckIn.objects.filter(pk=first(CheckIn).pk).update(by=head)  # the head corrects their own reading
    change_links(first(Goal), head=head, cco=cco_user, rounds=1)
    client.force_login(cco_user if who == "cco" else head)
    small = queries_for(client, url())

    grow(period, 12)  # 15 departments, five times the goals, links, levers and check-ins
    change_links(first(Goal), head=head, cco=cco_user, rounds=5)  # and six times the goal's link history
    large = queries_for(client, url())

    assert large == small, f"{page}: {small} queries for 3 departments, {large} for 15"
    assert Period.objects.count() == 1
    if page == "goal page":  # what the count was pinned with is on the page
        assert client.get(url()).content.decode().count("Link to “") >= 6 * 4


@pytest.mark.parametrize("left_out", [False, True], ids=["every objective", "one objective left out"])
def test_the_roll_over_plan_reads_the_same_number_of_queries_at_two_sizes(client, cco_user, period, left_out):
    """The plan and its score preview, into a next quarter that already holds one department's goal ("roll-over
    plan" above is the link to it, which only redirects)."""
    build_organisation(3, period)
    following = PeriodFactory(**vars(quarter(1)), is_current=False)
    GoalFactory(department=first(Department), period=following, title="Goal 0-0", weight=Decimal(20))
    objectives = list(CustomerObjective.objects.filter(period=period).order_by("pk").values_list("pk", flat=True))
    query = urlencode({"from": period.pk, "objectives": objectives[1:] if left_out else objectives}, doseq=True)
    url = f"{reverse('period-roll-over', args=[following.pk])}?{query}"
    client.force_login(cco_user)
    small = queries_for(client, url)

    grow(period, 12)
    large = queries_for(client, url)

    assert large == small, f"roll-over plan: {small} queries for 3 departments, {large} for 15"
    assert client.get(url).context["plan"].counts["goals_created"] == 3 * 4 + 12 * 4 - 1


@pytest.mark.parametrize("size", [3, 15])
def test_the_navigation_counts_cost_one_query_for_the_cco_and_a_head(client, cco_user, executive, period, size):
    """The counts beside "Sign-offs" and "My department" (pages/needs.py, issue 14) are one query on every page, for
    the CCO and for a head, whatever the organisation's size; an executive's pages read nothing for them."""
    build_organisation(size, period)
    head = first(Department).heads.get()
    url = reverse("department-list")
    counted = {}
    for who, user in (("executive", executive), ("cco", cco_user), ("head", head)):
        client.force_login(user)
        counted[who] = queries_for(client, url)
        assert ("nav-count" in client.get(url).content.decode()) is (who != "executive")
    assert counted["cco"] == counted["executive"] + 1
    assert counted["head"] == counted["executive"] + 2  # + the "My department" link every head's page already read
