"""Nobody may move their own number: a person holding two roles does not judge what measures them. A CCO who also
heads a department does not review its claims, goals or levers (nor their own pay); an admin who heads one does
not draw its lines to the CCO; and no admin takes a key that acts as the CCO or a head (tests/api/test_tokens.py).
Refused on every path, with a sentence saying another person decides."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from cco import roles
from cco.permissions import can
from cco.versions import version_of
from departments.models import LineKind, ReportingLine
from departments.services import reporting_line_create
from goals.models import CompensationLever, GoalLink, LinkReview
from mandates import services
from mandates.models import Decision
from tests.factories import GoalFactory, LeverFactory, LineFactory, LinkFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

REFUSAL = "You head this department (or this is your own pay), so another person decides this"


@pytest.fixture
def cco_heads_it(cco_user, department):
    """The CCO also heads Service (a small company's Customer Experience team, say)."""
    cco_user.groups.add(Group.objects.get(name=roles.HEAD))
    department.heads.add(cco_user)
    LineFactory(department=department, sets_goals=True, signs_off_compensation=True, can_veto=True)
    return cco_user


@pytest.fixture
def claim(department, period):
    goal = GoalFactory(department=department, period=period, title="Answer first time", weight=Decimal(40))
    return LinkFactory(goal=goal, objective=ObjectiveFactory(period=period, title="Happier customers"))


def test_a_cco_who_heads_the_department_cannot_confirm_its_claims(cco_heads_it, claim):
    with pytest.raises(PermissionDenied, match=re.escape(REFUSAL)):
        services.link_review(actor=cco_heads_it, link=claim, action="confirm", reason="Mine, and fine.")

    assert GoalLink.objects.get(pk=claim.pk).review == LinkReview.CLAIMED
    assert not Decision.objects.exists()


def test_nor_on_the_review_page(client, cco_heads_it, claim):
    client.force_login(cco_heads_it)

    response = client.post(reverse("link-review", args=[claim.pk]), {"decision": "confirm", "reason": "Fine."})

    assert response.status_code == 403
    assert GoalLink.objects.get(pk=claim.pk).review == LinkReview.CLAIMED


def test_nor_over_the_api(cco_heads_it, claim):
    api = APIClient()
    api.force_authenticate(cco_heads_it)

    response = api.post(f"/api/v1/links/{claim.pk}/review/", {"action": "confirm", "reason": "Fine."}, format="json")

    assert response.status_code == 403
    assert REFUSAL in response.json()["detail"]
    assert GoalLink.objects.get(pk=claim.pk).review == LinkReview.CLAIMED


def test_a_cco_who_heads_the_department_cannot_sign_off_its_levers_or_veto_its_goals(
    cco_heads_it, department, period, head, client
):
    goal = GoalFactory(department=department, period=period, title="Cut repeat calls", weight=Decimal(20))
    lever = LeverFactory(goal=goal, manager=head, share=Decimal(30))
    client.force_login(cco_heads_it)

    with pytest.raises(PermissionDenied, match=re.escape(REFUSAL)):
        services.lever_sign_off(actor=cco_heads_it, lever=lever, reason="Fine.")
    with pytest.raises(PermissionDenied, match=re.escape(REFUSAL)):
        services.goal_veto(actor=cco_heads_it, goal=goal, reason="No.")
    page = client.post(
        reverse("lever-review", args=[lever.pk]), {"version": version_of(lever), "decision": "sign_off", "reason": "x"}
    )

    assert page.status_code == 403
    assert not CompensationLever.objects.get(pk=lever.pk).signed_off
    assert not Decision.objects.exists()


def test_a_cco_cannot_sign_off_their_own_pay_in_another_department(cco_user, other_department, period):
    """Paid by a lever of a department they do not head (a lever made before they moved on, say)."""
    goal = GoalFactory(department=other_department, period=period, title="Close more deals", weight=Decimal(20))
    LineFactory(department=other_department, signs_off_compensation=True)
    lever = LeverFactory(goal=goal, manager=cco_user, share=Decimal(30))

    with pytest.raises(PermissionDenied, match=re.escape(REFUSAL)):
        services.lever_sign_off(actor=cco_user, lever=lever, reason="Mine.")


def test_the_cco_still_reviews_every_other_department(cco_heads_it, other_department, period):
    goal = GoalFactory(department=other_department, period=period, title="Close more deals", weight=Decimal(20))
    link = LinkFactory(goal=goal, objective=ObjectiveFactory(period=period, title="Keep customers"))

    services.link_review(actor=cco_heads_it, link=link, action="confirm", reason="Yes.")

    assert GoalLink.objects.get(pk=link.pk).review == LinkReview.CONFIRMED


def test_an_admin_who_heads_a_department_cannot_draw_its_line_to_the_cco(admin_user, department, client):
    department.heads.add(admin_user)
    data = {"target": None, "kind": LineKind.DIRECT, "sets_goals": True, "signs_off_compensation": True,
            "can_veto": True}  # fmt: skip

    with pytest.raises(PermissionDenied, match=re.escape(REFUSAL)):
        reporting_line_create(actor=admin_user, department=department, data=data)
    client.force_login(admin_user)
    response = client.post(
        reverse("line-create"),
        {"department": department.pk, "target": "", "kind": "direct", "sets_goals": "on", "can_veto": "on"},
    )

    assert response.status_code in (400, 403)
    assert not ReportingLine.objects.exists()


def test_an_admin_who_heads_a_department_cannot_change_its_line_in_the_admin(admin_user, department, client):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    department.heads.add(admin_user)
    line = LineFactory(department=department, kind=LineKind.DOTTED, sets_goals=False)
    client.force_login(admin_user)

    response = client.post(
        f"/admin/departments/reportingline/{line.pk}/change/", {"kind": "direct", "sets_goals": "on"}
    )

    assert response.status_code == 403
    line.refresh_from_db()
    assert (line.kind, line.sets_goals) == (LineKind.DOTTED, False)


# --- what the CCO is offered: the queue, "What needs me" and their counts leave out what the CCO may not judge --------


@pytest.fixture
def waiting(cco_heads_it, department, other_department, period, head, claim):
    """In Service, which the CCO heads: a claim, a draft goal and a lever. In Sales: the same, and a lever paying the
    CCO (made before they moved on, say)."""
    LineFactory(department=other_department, sets_goals=True, signs_off_compensation=True, can_veto=True)
    sales_goal = GoalFactory(department=other_department, period=period, title="Close more deals", weight=Decimal(20))
    return {
        "own": {
            "claim": claim,
            "draft": GoalFactory(department=department, period=period, title="Greet by name", status="draft"),
            "lever": LeverFactory(goal=claim.goal, manager=head, share=Decimal(30)),
        },
        "other": {
            "claim": LinkFactory(goal=sales_goal, objective=claim.objective),
            "draft": GoalFactory(department=other_department, period=period, title="Open a branch", status="draft"),
            "lever": LeverFactory(goal=sales_goal, manager=other_department.heads.get(), share=Decimal(20)),
        },
        "own_pay": LeverFactory(goal=sales_goal, manager=cco_heads_it, share=Decimal(10)),
    }


REVIEWS = ("claims", "drafts", "levers")  # the CCO's groups of "What needs me" (the head's are their own)


def review_urls(waiting, side: str) -> set[str]:
    items = waiting[side]
    return {
        reverse("link-review", args=[items["claim"].pk]),
        reverse("goal-review", args=[items["draft"].pk]),
        reverse("lever-review", args=[items["lever"].pk]),
    }


def test_the_review_page_lists_only_what_the_cco_may_judge(client, cco_heads_it, waiting):
    client.force_login(cco_heads_it)

    response = client.get(reverse("review-list"))

    html = response.content.decode()
    assert all(url in html for url in review_urls(waiting, "other"))
    assert not any(url in html for url in review_urls(waiting, "own"))
    assert reverse("lever-review", args=[waiting["own_pay"].pk]) not in html
    listed = [*response.context["claims"], *response.context["drafts"], *response.context["levers"]]
    rules_of = {"GoalLink": "review_link", "Goal": "review_goal", "CompensationLever": "sign_off_lever"}
    assert all(can(cco_heads_it, rules_of[type(item).__name__], item) for item in listed)
    assert "pay tied to you, are decided by another person" in html


def test_what_needs_the_cco_counts_and_links_only_what_they_may_judge(client, cco_heads_it, waiting):
    client.force_login(cco_heads_it)

    needs = client.get(reverse("dashboard")).context["needs"]
    nav = client.get(reverse("department-list")).content.decode()

    assert (needs.counts.claims, needs.counts.drafts, needs.counts.levers) == (1, 1, 1)
    urls = {item.url for group in needs.groups if group.key in REVIEWS for item in group.items}
    assert urls == review_urls(waiting, "other")
    assert all(client.get(url).status_code == 200 for url in urls)
    assert 'Sign-offs<span class="nav-count" aria-hidden="true">3</span>' in nav


def test_what_needs_the_cco_over_the_api_leaves_out_their_own(cco_heads_it, waiting):
    api = APIClient()
    api.force_authenticate(cco_heads_it)

    body = api.get("/api/v1/users/me/needs/").json()

    assert {key: body["counts"][key] for key in ("claims", "drafts", "levers")} == {
        "claims": 1,
        "drafts": 1,
        "levers": 1,
    }
    urls = {item["url"] for group in body["groups"] if group["key"] in REVIEWS for item in group["items"]}
    assert urls == review_urls(waiting, "other")


@pytest.mark.django_db(transaction=True)  # reads are kept only once committed (cco.shared_reads)
def test_the_organisation_still_counts_every_claim_awaiting_review(client, cco_heads_it, executive, waiting):
    """The CCO's own department's claim waits for another reviewer: the dashboard's organisation-wide count (kept for
    every viewer) still holds it, whoever looked first."""
    client.force_login(cco_heads_it)
    client.get(reverse("dashboard"))
    client.force_login(executive)

    dash = client.get(reverse("dashboard")).context["dash"]

    assert dash.claims_awaiting_review == 2


def test_the_review_page_of_their_own_departments_claim_is_refused_before_it_is_shown(client, cco_heads_it, claim):
    client.force_login(cco_heads_it)

    response = client.get(reverse("link-review", args=[claim.pk]))

    assert response.status_code == 403
    assert REFUSAL in response.content.decode().replace("&#x27;", "'")
