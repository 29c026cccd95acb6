"""A goal renamed or given another metric is not the goal the CCO confirmed: its confirmed links go back to the CCO
as claims, and the CCO's sign-off of pay riding on it is withdrawn, on every path a head has (the service, the API,
the web form, CSV import, the Django admin). Letter case and spacing are not a new goal; the CCO's own edit keeps
its own confirmations."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from cco.versions import version_of
from goals.models import CompensationLever, Goal, GoalLink, LinkReview
from goals.services import goal_update
from mandates.services import lever_sign_off, link_review
from scoring.selectors import latest_scores
from scoring.snapshots import scores_recompute
from tests.admin.test_admin_goes_through_services import post_form
from tests.api.helpers import import_goal_row
from tests.web.test_goal_editing import payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(org, cco_user):
    """The org's goal, its link to “Happier customers” confirmed and the head's lever on it signed off."""
    link_review(actor=cco_user, link=GoalLink.objects.get(goal=org.goal), action="confirm", reason="It does.")
    lever_sign_off(actor=cco_user, lever=org.lever, reason="Pay rides on first-contact resolution.")
    return Goal.objects.get(pk=org.goal.pk)


def link_of(goal) -> GoalLink:
    return GoalLink.objects.get(goal=goal)


def signed_off(org) -> bool:
    return CompensationLever.objects.get(pk=org.lever.pk).signed_off


def test_renaming_sends_the_confirmed_link_back_to_the_cco_and_withdraws_the_sign_off(confirmed, org, head):
    scores_recompute()
    before = latest_scores()[org.department.pk].components["linkage"]

    goal_update(actor=head, goal=confirmed, data={"title": "Upsell on every call"})

    link = link_of(confirmed)
    assert (link.review, link.reviewed_by, link.reviewed_at) == (LinkReview.CLAIMED, None, None)
    assert link.review_reason == "Back to the CCO: the goal was “Resolve at first contact” (Metric) when confirmed."
    assert link.history.first().history_user == head
    assert not signed_off(org)
    scores_recompute()
    after = latest_scores()[org.department.pk].components["linkage"]
    assert after["claimed_points"] > 0 == before["claimed_points"], "the link now counts as a claim"


def test_a_new_metric_sends_it_back_too(confirmed, org, head):
    goal_update(actor=head, goal=confirmed, data={"metric": "Calls handled per hour"})
    assert link_of(confirmed).review == LinkReview.CLAIMED


def test_letter_case_and_spacing_are_the_same_goal(confirmed, org, head):
    goal_update(actor=head, goal=confirmed, data={"title": "resolve  at first Contact", "description": "Reworded."})
    assert link_of(confirmed).review == LinkReview.CONFIRMED
    assert signed_off(org)


def test_the_ccos_own_rename_keeps_the_ccos_confirmation(confirmed, org, cco_user):
    goal_update(actor=cco_user, goal=confirmed, data={"title": "Resolve on the first call"})
    assert link_of(confirmed).review == LinkReview.CONFIRMED


def test_the_reclaimed_link_cannot_be_raised_above_the_ccos_verdict(confirmed, org, cco_user, head):
    """The verdict still caps the claim: renaming is not a way to a stronger link."""
    link_review(
        actor=cco_user, link=link_of(confirmed), action="adjust", strength=Decimal("0.5"), reason="Weaker than that."
    )
    goal_update(actor=head, goal=Goal.objects.get(pk=confirmed.pk), data={"title": "Upsell on every call"})
    response_link = link_of(confirmed)
    assert (response_link.review, response_link.strength) == (LinkReview.CLAIMED, Decimal("0.5"))


def test_the_api(confirmed, org, head, client_for):
    response = client_for(head).patch(
        reverse("api:goal-detail", args=[confirmed.pk]), {"title": "Upsell on every call"}, format="json",
        HTTP_IF_MATCH="*",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert link_of(confirmed).review == LinkReview.CLAIMED
    assert not signed_off(org)


def test_the_web_form(confirmed, org, head, client):
    client.force_login(head)
    data = payload(
        org.period, (org.objective, "supports", "0.8"), title="Upsell on every call", metric="Rate", unit="",
        baseline="0", target="100", direction="higher", weight="40",
    )  # fmt: skip
    response = client.post(reverse("goal-edit", args=[confirmed.pk]), data | {"version": version_of(confirmed)})
    assert response.status_code == 302, response.context["form"].errors
    assert link_of(confirmed).review == LinkReview.CLAIMED
    assert not signed_off(org)


def test_csv_import(confirmed, org, head):
    outcome = import_goal_row(head, org, title=confirmed.title, metric="Calls handled per hour")
    assert not outcome.errors
    assert link_of(confirmed).review == LinkReview.CLAIMED


def test_the_django_admin(confirmed, org, admin_user, client):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    page = f"/admin/goals/goal/{confirmed.pk}/change/"
    response = post_form(client, page, title="Upsell on every call")
    assert response.status_code == 302
    assert link_of(confirmed).review == LinkReview.CLAIMED
