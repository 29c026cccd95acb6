"""Issue 11: the CCO's decisions stick, and sign-offs do not survive a change to what they vouched for.

Each rule through every path a head has: the service, the API, the web form and CSV import.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cco.versions import version_of
from goals.links import LinkInput
from goals.models import CompensationLever, Goal, GoalLink, GoalStatus
from goals.services import goal_update
from mandates.models import Decision
from mandates.services import goal_approve, goal_veto, lever_sign_off, link_review
from scoring.selectors import latest_scores
from scoring.snapshots import scores_recompute
from tests.api.helpers import errors_of, import_goal_row
from tests.factories import GoalFactory, LinkFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


def detail(goal):
    return reverse("api:goal-detail", args=[goal.pk])


@pytest.fixture
def vetoed(org, cco_user):
    goal_veto(actor=cco_user, goal=org.goal, reason="Rewards speed over the customer's problem.")
    org.goal.refresh_from_db()
    return org.goal


def test_a_veto_puts_the_goal_on_hold_until_the_cco_approves_it(vetoed):
    assert (vetoed.status, vetoed.needs_approval) == (GoalStatus.DRAFT, True)


def test_the_head_cannot_make_a_vetoed_goal_active_through_the_service(vetoed, head):
    with pytest.raises(ValidationError) as refused:
        goal_update(actor=head, goal=vetoed, data={"status": GoalStatus.ACTIVE})
    assert "becomes active when the CCO approves it" in refused.value.message_dict["status"][0]
    assert Goal.objects.get(pk=vetoed.pk).status == GoalStatus.DRAFT


def test_the_head_cannot_make_a_vetoed_goal_active_through_the_api(vetoed, head, client_for):
    response = client_for(head).patch(detail(vetoed), {"status": "active"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 400
    assert "status" in errors_of(response)
    assert Goal.objects.get(pk=vetoed.pk).status == GoalStatus.DRAFT


def test_the_head_cannot_make_a_vetoed_goal_active_through_the_web_form(vetoed, head, client, period):
    client.force_login(head)
    response = client.post(
        reverse("goal-edit", args=[vetoed.pk]),
        {
            "title": vetoed.title, "metric": vetoed.metric, "baseline": "0", "target": "100", "direction": "higher",
            "weight": "40", "status": "active", "period": period.pk, "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0", "save": "1", "version": version_of(vetoed),
        },
    )  # fmt: skip
    assert response.status_code == 400
    assert "status" in response.context["form"].errors
    assert Goal.objects.get(pk=vetoed.pk).status == GoalStatus.DRAFT


def test_the_head_cannot_make_a_vetoed_goal_active_through_csv_import(vetoed, head, org):
    outcome = import_goal_row(head, org, title=vetoed.title, metric="Rate")
    assert any(error.field == "status" for error in outcome.errors)
    assert Goal.objects.get(pk=vetoed.pk).status == GoalStatus.DRAFT


def test_the_head_may_revise_a_vetoed_goal_and_the_ccos_approval_makes_it_active(vetoed, head, cco_user):
    goal_update(actor=head, goal=vetoed, data={"target": Decimal(90)})
    goal_approve(actor=cco_user, goal=vetoed, reason="Now measured on first-contact resolution.")
    vetoed.refresh_from_db()
    assert (vetoed.status, vetoed.needs_approval, vetoed.target) == (GoalStatus.ACTIVE, False, Decimal(90))
    assert list(Decision.objects.filter(goal=vetoed).values_list("action", flat=True)) == ["approve", "veto"]


def test_the_scores_reasons_say_what_a_veto_changed(org, cco_user):
    conflicting = GoalFactory(department=org.department, period=org.period, title="Push add-ons", weight=Decimal(30))
    LinkFactory(goal=conflicting, objective=org.objective, kind="conflicts", strength=Decimal(1))
    scores_recompute()
    before = latest_scores()[org.department.pk].score

    goal_veto(actor=cco_user, goal=conflicting, reason="Works against satisfaction.")
    scores_recompute()

    after = latest_scores()[org.department.pk]
    assert after.score > before
    assert (
        "Service: the CCO vetoed “Push add-ons”, so it does not count until the CCO approves it; its conflict with "
        "customer objectives no longer lowers the score." in after.reasons
    )


# --- sign-offs ----------------------------------------------------------------------------------------


@pytest.fixture
def signed(org, cco_user):
    lever_sign_off(actor=cco_user, lever=org.lever, reason="Pay rides on first-contact resolution.")
    return CompensationLever.objects.get(pk=org.lever.pk)


@pytest.mark.parametrize(
    "change",
    [
        {"target": Decimal(10)},  # gutted: target equal to the baseline
        {"baseline": Decimal(5)},
        {"direction": "lower", "baseline": Decimal(100), "target": Decimal(0)},
        {"weight": Decimal(10)},
        {"status": GoalStatus.DRAFT},
    ],
)
def test_a_material_change_to_the_goal_withdraws_the_sign_off(signed, org, head, change):
    goal_update(actor=head, goal=Goal.objects.get(pk=org.goal.pk), data=change)
    assert not CompensationLever.objects.get(pk=signed.pk).signed_off


def test_changing_the_goals_links_withdraws_the_sign_off(signed, org, head):
    other = ObjectiveFactory(period=org.period, title="Keep customers")
    goal_update(actor=head, goal=Goal.objects.get(pk=org.goal.pk), data={}, links=[LinkInput(other)])
    assert not CompensationLever.objects.get(pk=signed.pk).signed_off


def test_a_change_that_is_not_material_keeps_the_sign_off(signed, org, head):
    goal_update(actor=head, goal=Goal.objects.get(pk=org.goal.pk), data={"description": "Clarified wording."})
    assert CompensationLever.objects.get(pk=signed.pk).signed_off


def test_the_api_path_withdraws_the_sign_off_too(signed, org, head, client_for):
    response = client_for(head).patch(detail(org.goal), {"target": "10"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200, response.json()
    lever = CompensationLever.objects.get(pk=signed.pk)
    assert (lever.signed_off, lever.signed_off_at, lever.signed_off_by) == (False, None, None)


def test_a_veto_of_the_goal_withdraws_the_sign_off(signed, org, cco_user):
    goal_veto(actor=cco_user, goal=Goal.objects.get(pk=org.goal.pk), reason="Not customer-first.")
    assert not CompensationLever.objects.get(pk=signed.pk).signed_off


def test_the_cco_adjusting_a_link_of_the_goal_withdraws_the_sign_off(signed, org, cco_user):
    link = GoalLink.objects.get(goal=org.goal)
    link_review(actor=cco_user, link=link, action="adjust", strength=Decimal("0.3"), reason="Weaker than claimed.")
    assert not CompensationLever.objects.get(pk=signed.pk).signed_off


def test_the_cco_confirming_a_link_keeps_the_sign_off(signed, org, cco_user):
    link_review(actor=cco_user, link=GoalLink.objects.get(goal=org.goal), action="confirm", reason="Agreed.")
    assert CompensationLever.objects.get(pk=signed.pk).signed_off
