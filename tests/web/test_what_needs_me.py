"""'What needs me' on the dashboard and its counts in the navigation: the CCO's reviews waiting, a head's goals to
check in and vetoed goals to revise; nothing personal for executives and admins."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cco import roles
from goals.models import CompensationLever, GoalLink, LinkReview
from goals.services import goal_archive
from mandates import services
from pages.context_processors import needs as needs_context
from pages.needs import NEEDS_SHOWN
from tests.factories import (
    CheckInFactory,
    DepartmentFactory,
    GoalFactory,
    LinkFactory,
    PeriodFactory,
    UserFactory,
    quarter,
)

pytestmark = pytest.mark.django_db


def dashboard(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response


def section(html: str, key: str) -> str:
    """The HTML of one group of 'What needs me', its entities unescaped."""
    return unescape(html).split(f'data-testid="needs-{key}"')[1].split("</section>")[0]


def links_in(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', html)


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def cco(as_role):
    return as_role("cco")


@pytest.fixture
def head_client(as_role):
    return as_role("head")


# --- the CCO ---------------------------------------------------------------------------------------------------


def test_cco_sees_claims_to_review_and_goals_waiting_for_approval(cco, web_org):
    GoalFactory(department=web_org["other_department"], period=web_org["period"], title="Open a branch",
                status="draft")  # fmt: skip
    needs = dashboard(cco).context["needs"]
    assert {group.key: group.count for group in needs.groups} == {"claims": 1, "drafts": 1, "levers": 2}
    html = dashboard(cco).content.decode()
    assert "What needs me" in html
    assert "Service: “Answer first time” supports “Raise customer satisfaction”" in section(html, "claims")
    assert "Sales: “Open a branch”" in section(html, "drafts")


def test_cco_counts_are_what_the_sign_offs_page_lists(cco, web_org):
    for number in range(3):
        GoalFactory(department=web_org["department"], period=web_org["period"], status="draft", title=f"Idea {number}")
    archived = GoalFactory(department=web_org["department"], period=web_org["period"], status="archived")
    LinkFactory(goal=archived, objective=web_org["churn"])  # a claim of an archived goal awaits nobody
    counts = dashboard(cco).context["needs"].counts
    listed = cco.get(reverse("review-list")).context
    assert counts.claims == listed["claims"].paginator.count == 1
    assert counts.drafts == listed["drafts"].paginator.count == 3
    assert counts.levers == listed["levers"].paginator.count == 2


def test_a_reviewed_claim_no_longer_needs_the_cco(cco, web_org):
    GoalLink.objects.filter(goal=web_org["answer"]).update(review=LinkReview.CONFIRMED)
    keys = [group.key for group in dashboard(cco).context["needs"].groups]
    assert "claims" not in keys and "levers" in keys


def followed_links(client, response) -> list[str]:
    """Every link 'What needs me' shows (each item's, and its groups' full lists), checked to be on the page and to
    open."""
    needs, html = response.context["needs"], response.content.decode()
    urls = [item.url for group in needs.groups for item in group.items]
    urls += [link.url for group in needs.groups for link in group.full_lists]
    for url in urls:
        assert f'href="{url}"' in html, url
        assert client.get(url).status_code == 200, url
    return urls


def test_every_link_the_cco_is_given_opens(cco, web_org):
    draft = GoalFactory(department=web_org["department"], period=web_org["period"], status="draft")
    urls = followed_links(cco, dashboard(cco))
    assert reverse("goal-review", args=[draft.pk]) in urls
    assert reverse("lever-review", args=[web_org["lever"].pk]) in urls
    assert f"{reverse('review-list')}#drafts-heading" in urls


def test_cco_with_nothing_waiting_is_told_so(cco, web_org):
    GoalLink.objects.update(review=LinkReview.CONFIRMED)
    CompensationLever.objects.update(signed_off=True)
    html = dashboard(cco).content.decode()
    assert 'data-testid="needs-nothing"' in html and "Nothing needs you right now." in html


def test_cco_sees_five_claims_and_how_many_more_with_a_link_to_all_of_them(cco, web_org):
    for _number in range(NEEDS_SHOWN + 3):
        goal = GoalFactory(department=web_org["other_department"], period=web_org["period"], weight=Decimal(5))
        LinkFactory(goal=goal, objective=web_org["churn"])
    html = dashboard(cco).content.decode()
    claims = section(html, "claims")
    assert len(re.findall(r'href="/reviews/links/\d+/"', claims)) == NEEDS_SHOWN
    more = claims.split('data-testid="needs-more-claims"')[1]
    assert ">and 4 more · see all on:" in more  # 9 claims: the fixture's and 8 new ones
    all_claims = f"{reverse('review-list')}#claims-heading"
    assert all_claims in more
    assert cco.get(reverse("review-list")).context["claims"].paginator.count == 9


# --- a department head -----------------------------------------------------------------------------------------


def test_head_sees_goals_never_checked_in_and_stale_first(head_client, web_org):
    department, period = web_org["department"], web_org["period"]
    silent = GoalFactory(department=department, period=period, title="Call back within a day", weight=Decimal(10))
    stale = GoalFactory(department=department, period=period, title="Publish the FAQ", weight=Decimal(10))
    CheckInFactory(goal=stale, at=days_ago(45))
    GoalFactory(department=department, period=period, title="A draft idea", status="draft")
    html = dashboard(head_client).content.decode()
    check_ins = section(html, "check-ins")
    assert "“Call back within a day” — no check-in yet" in check_ins
    assert "“Publish the FAQ” — last check-in 45 days ago" in check_ins
    assert check_ins.index("Call back") < check_ins.index("Publish the FAQ"), "never checked in comes first"
    assert "Answer first time" not in check_ins, "a goal checked in recently needs nothing"
    assert "A draft idea" not in check_ins, "a draft is not checked in"
    assert 'data-testid="needs-vetoed"' not in html, "a draft nobody vetoed is not a vetoed goal"
    assert f'href="{reverse("check-in-create", args=[silent.pk])}"' in check_ins


def test_head_checks_in_from_the_link_and_the_goal_leaves_the_list(head_client, web_org):
    goal = GoalFactory(department=web_org["department"], period=web_org["period"], weight=Decimal(10))
    url = links_in(section(dashboard(head_client).content.decode(), "check-ins"))[0]
    assert url == reverse("check-in-create", args=[goal.pk])
    assert head_client.get(url).status_code == 200
    CheckInFactory(goal=goal, at=timezone.now(), by=web_org["users"]["head"])
    assert dashboard(head_client).context["needs"].groups == []


def test_goals_of_a_past_period_do_not_need_a_check_in(head_client, web_org):
    past = PeriodFactory(**vars(quarter(-1)), is_current=False)
    GoalFactory(department=web_org["department"], period=past, title="Last quarter's goal")
    assert dashboard(head_client).context["needs"].groups == []
    assert "Last quarter's goal" not in unescape(dashboard(head_client).content.decode())


def test_goals_of_a_current_period_that_has_not_started_do_not_need_a_check_in_yet(head_client, web_org):
    web_org["period"].is_current = False
    web_org["period"].save()
    planned = PeriodFactory(**vars(quarter(1)), is_current=True)  # made current ahead of its first day
    GoalFactory(department=web_org["department"], period=planned, title="Answer in an hour")

    assert dashboard(head_client).context["needs"].groups == []


def test_head_sees_a_vetoed_goal_with_the_reason_and_a_link_to_revise_it(head_client, web_org):
    services.goal_veto(actor=web_org["users"]["cco"], goal=web_org["handle"], reason="Handle time fights CSAT.")
    html = dashboard(head_client).content.decode()
    vetoed = section(html, "vetoed")
    assert "Service: “Cut handle time” — the CCO's reason: Handle time fights CSAT." in vetoed
    edit = reverse("goal-edit", args=[web_org["handle"].pk])
    department = f"{reverse('department-detail', args=[web_org['department'].pk])}#goals"
    assert links_in(vetoed) == [edit, department]
    assert ">see all on: <a" in vetoed and "more" not in vetoed.split("needs-more-vetoed")[1], (
        "one goal, nothing hidden"
    )
    assert head_client.get(edit).status_code == 200


def test_a_vetoed_goal_the_cco_approves_again_needs_nothing_more(head_client, web_org):
    cco_user, goal = web_org["users"]["cco"], web_org["handle"]
    services.goal_veto(actor=cco_user, goal=goal, reason="Rework it.")
    services.goal_approve(actor=cco_user, goal=goal, reason="Better now.")
    assert dashboard(head_client).context["needs"].counts.vetoed == 0


def test_a_vetoed_goal_the_head_archives_needs_nothing_more(head_client, web_org):
    goal = web_org["handle"]
    services.goal_veto(actor=web_org["users"]["cco"], goal=goal, reason="Rework it.")
    goal.refresh_from_db()
    goal_archive(actor=web_org["users"]["head"], goal=goal)
    assert dashboard(head_client).context["needs"].counts.vetoed == 0


def test_a_vetoed_goal_waits_for_the_cco_too(cco, web_org):
    services.goal_veto(actor=web_org["users"]["cco"], goal=web_org["handle"], reason="Rework it.")
    drafts = section(dashboard(cco).content.decode(), "drafts")
    assert "“Cut handle time” (you vetoed it: approve it once it is revised)" in drafts


def test_head_does_not_see_another_departments_goals(as_role, web_org):
    GoalFactory(department=web_org["other_department"], period=web_org["period"], title="Sell more", weight=Decimal(5))
    services.goal_veto(actor=web_org["users"]["cco"], goal=web_org["handle"], reason="Rework it.")

    def needing(role: str) -> str:
        needs = dashboard(as_role(role)).context["needs"]
        return " ".join(item.text for group in needs.groups for item in group.items)

    mine, theirs = needing("head"), needing("other_head")
    assert "Cut handle time" in mine and "Sell more" not in mine and "Hit the quota" not in mine
    assert "Sell more" in theirs and "Hit the quota" in theirs and "Cut handle time" not in theirs


def test_the_other_head_follows_their_links(as_role, web_org):
    client = as_role("other_head")
    urls = followed_links(client, dashboard(client))
    assert reverse("check-in-create", args=[web_org["quota"].pk]) in urls


def test_the_head_follows_their_links(head_client, web_org):
    GoalFactory(department=web_org["department"], period=web_org["period"], weight=Decimal(5))
    services.goal_veto(actor=web_org["users"]["cco"], goal=web_org["handle"], reason="Rework it.")
    urls = followed_links(head_client, dashboard(head_client))
    assert reverse("goal-edit", args=[web_org["handle"].pk]) in urls
    assert f"{reverse('department-detail', args=[web_org['department'].pk])}#goals" in urls


def test_head_sees_five_goals_and_how_many_more_with_their_department_page(head_client, web_org):
    for _number in range(NEEDS_SHOWN + 2):
        GoalFactory(department=web_org["department"], period=web_org["period"], weight=Decimal(5))
    html = dashboard(head_client).content.decode()
    check_ins = section(html, "check-ins")
    assert check_ins.count(">Service: ") == NEEDS_SHOWN
    more = check_ins.split('data-testid="needs-more-check-ins"')[1]
    page = f"{reverse('department-detail', args=[web_org['department'].pk])}#goals"
    assert ">and 2 more · see all on:" in more and f'<a href="{page}">Service (7)</a>' in more
    assert head_client.get(page.split("#")[0]).status_code == 200


def test_head_of_several_departments_sees_each_department_in_the_full_lists(head_client, web_org):
    head = web_org["users"]["head"]
    second = DepartmentFactory(name="Returns", heads=[head])
    for _number in range(4):
        GoalFactory(department=web_org["department"], period=web_org["period"], weight=Decimal(5))
        GoalFactory(department=second, period=web_org["period"], weight=Decimal(5))
    more = section(dashboard(head_client).content.decode(), "check-ins").split("needs-more-check-ins")[1]
    assert ">and 3 more" in more
    assert ">Returns (4)</a> · <a" in more and ">Service (4)</a>" in more


# --- executives and admins -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["executive", "admin"])
def test_executives_and_admins_have_no_personal_section(as_role, web_org, role):
    services.goal_veto(actor=web_org["users"]["cco"], goal=web_org["handle"], reason="Rework it.")
    html = dashboard(as_role(role)).content.decode()
    assert "What needs me" not in html and 'id="needs"' not in html
    assert "nav-count" not in html


def test_the_section_is_not_shown_on_a_past_period(cco, web_org):
    past = PeriodFactory(**vars(quarter(-1)), is_current=False)
    html = cco.get(reverse("dashboard"), {"period": past.pk}).content.decode()
    assert "What needs me" not in html


# --- the navigation --------------------------------------------------------------------------------------------


def nav(html: str) -> str:
    return html.split('<nav aria-label="Main">')[1].split("</nav>")[0]


def test_cco_navigation_counts_what_waits_on_the_sign_offs_page(cco, web_org):
    GoalFactory(department=web_org["department"], period=web_org["period"], status="draft")
    html = nav(cco.get(reverse("department-list")).content.decode())
    assert (
        'Sign-offs<span class="nav-count" aria-hidden="true">4</span><span class="sr-only">, 4 waiting</span>' in html
    )


def test_head_navigation_counts_what_needs_them_in_their_department(head_client, web_org):
    GoalFactory(department=web_org["department"], period=web_org["period"], weight=Decimal(5))
    services.goal_veto(actor=web_org["users"]["cco"], goal=web_org["handle"], reason="Rework it.")
    html = nav(head_client.get(reverse("objective-list")).content.decode())
    assert (
        'My department: Service<span class="nav-count" aria-hidden="true">2</span>'
        '<span class="sr-only">, 2 goals need you</span>' in html
    )
    assert "Sign-offs" not in html


def test_navigation_shows_no_count_when_nothing_waits(head_client, web_org):
    html = nav(head_client.get(reverse("department-list")).content.decode())
    assert "My department: Service</a>" in html and "nav-count" not in html


def test_navigation_counts_are_read_only_when_a_page_shows_them(web_org, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = web_org["users"]["cco"]
    roles.role_names(request.user), roles.headed_department_ids(request.user)  # read once per request already
    with django_assert_num_queries(0):
        context = needs_context(request)
    with django_assert_num_queries(1):
        assert context["nav_needs"].reviews == 3  # one claim and two levers, in one query
        assert context["nav_needs"].claims == 1


def test_a_head_of_three_departments_reads_as_many_queries_as_a_head_of_one(client, period, role_groups):
    def head_of(count: int, name: str):
        head = UserFactory(username=name, role=roles.HEAD)
        for number in range(count):
            department = DepartmentFactory(name=f"{name} {number}", heads=[head])
            for _goal in range(3):
                GoalFactory(department=department, period=period, weight=Decimal(10))
        return head

    def dashboard_queries(user) -> tuple[int, int]:
        client.force_login(user)
        dashboard(client)  # the user's roles are read once and remembered on the session's user
        with CaptureQueriesContext(connection) as captured:
            needs = dashboard(client).context["needs"]
        return len(captured.captured_queries), needs.counts.to_check_in

    one, three = dashboard_queries(head_of(1, "one")), dashboard_queries(head_of(3, "three"))
    assert one[1] == 3 and three[1] == 9
    assert three[0] == one[0]
