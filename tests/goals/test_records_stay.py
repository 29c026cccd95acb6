"""What others recorded about a goal stays: a goal holding check-ins, the CCO's reviews or decisions, or a
signed-off lever is archived, never deleted; and a conflict the CCO asserted keeps counting until the CCO lifts it
(the department cannot archive its goal, make it a draft, move it or lower its weight meanwhile)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from goals import services
from goals.models import CheckIn, Goal, GoalLink, GoalStatus, LinkReview
from mandates import services as mandate_services
from tests.factories import (
    CheckInFactory,
    GoalFactory,
    LeverFactory,
    LineFactory,
    LinkFactory,
    ObjectiveFactory,
    PeriodFactory,
    quarter,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objective(period):
    return ObjectiveFactory(period=period, title="Happier customers")


@pytest.fixture
def goal(department, period):
    LineFactory(department=department, sets_goals=True, signs_off_compensation=True, can_veto=True)
    return GoalFactory(department=department, period=period, title="Cut handle time", weight=Decimal(30))


def refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- deleting a goal ------------------------------------------------------------------------------------


def test_a_goal_holding_only_its_heads_claims_is_deleted_with_them(head, goal, objective):
    LinkFactory(goal=goal, objective=objective)  # a claim nobody reviewed

    services.goal_delete(actor=head, goal=goal)

    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert not GoalLink.objects.exists()


@pytest.mark.parametrize(
    "record, said",
    [
        ("check-in", "1 check-in on record"),
        ("confirmed link", "1 link the CCO reviewed"),
        ("rejected link", "1 link the CCO reviewed"),
        ("asserted conflict", "1 link the CCO reviewed"),
        ("signed-off lever", "1 signed-off lever"),
        ("veto", "1 decision in the CCO's log"),
    ],
)
def test_a_goal_holding_what_others_recorded_cannot_be_deleted_by_anyone(
    record, said, head, cco_user, admin_user, goal, objective
):
    if record == "check-in":
        CheckInFactory(goal=goal)
    elif record in ("confirmed link", "rejected link"):
        link = LinkFactory(goal=goal, objective=objective)
        action = "confirm" if record == "confirmed link" else "reject"
        mandate_services.link_review(actor=cco_user, link=link, action=action, reason="Reviewed.")
    elif record == "asserted conflict":
        mandate_services.conflict_assert(
            actor=cco_user, goal=goal, objective=objective, strength=Decimal("0.7"), reason="Rushed calls."
        )
    elif record == "signed-off lever":
        lever = LeverFactory(goal=goal, manager=head, share=Decimal(20))
        mandate_services.lever_sign_off(actor=cco_user, lever=lever, reason="Fine.")
    else:
        mandate_services.goal_veto(actor=cco_user, goal=goal, reason="Off strategy.")

    for actor in (head, cco_user, admin_user):
        with pytest.raises(ValidationError) as refused:
            services.goal_delete(actor=actor, goal=Goal.objects.get(pk=goal.pk))
        assert said in refusal(refused.value)
        assert "archive it instead" in refusal(refused.value)
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_the_refusal_names_everything_the_goal_holds(head, cco_user, goal, objective):
    CheckInFactory(goal=goal)
    CheckInFactory(goal=goal)
    link = LinkFactory(goal=goal, objective=objective)
    mandate_services.link_review(actor=cco_user, link=link, action="confirm", reason="Yes.")

    assert services.goal_delete_refusal(goal) == (
        "“Cut handle time” has 2 check-ins, 1 link the CCO reviewed, 1 decision in the CCO's log on record: archive "
        "it instead (it stops counting and keeps its history)."
    )


def test_a_goal_that_cannot_be_deleted_can_be_archived(head, goal):
    check_in = CheckInFactory(goal=goal)

    services.goal_archive(actor=head, goal=goal)

    assert Goal.objects.get(pk=goal.pk).status == GoalStatus.ARCHIVED
    assert CheckIn.objects.filter(pk=check_in.pk).exists()


# --- a conflict the CCO asserted keeps counting until the CCO lifts it ----------------------------------


@pytest.fixture
def asserted(cco_user, goal, objective):
    mandate_services.conflict_assert(
        actor=cco_user, goal=goal, objective=objective, strength=Decimal("0.7"), reason="Rushed calls, angry customers."
    )
    return goal


SHEDDING = {
    "archive": ("status", {"status": GoalStatus.ARCHIVED}),
    "draft": ("status", {"status": GoalStatus.DRAFT}),
    "weight cut": ("weight", {"weight": Decimal(5)}),
}


@pytest.mark.parametrize("change", SHEDDING)
def test_the_department_cannot_take_a_goal_with_an_asserted_conflict_out_of_the_count(
    change, head, admin_user, asserted
):
    field, data = SHEDDING[change]
    for actor in (head, admin_user):
        with pytest.raises(ValidationError) as refused:
            services.goal_update(actor=actor, goal=Goal.objects.get(pk=asserted.pk), data=data)
        assert refused.value.message_dict[field] == [
            "The CCO asserted that this goal works against “Happier customers”; only the CCO can "
            f"{'lower its weight' if field == 'weight' else 'archive it or make it a draft'} while that stands. Ask "
            "the CCO to review the conflict."
        ]
    stored = Goal.objects.get(pk=asserted.pk)
    assert (stored.status, stored.weight) == (GoalStatus.ACTIVE, Decimal(30))


def test_the_department_cannot_move_a_goal_with_an_asserted_conflict_to_another_period(head, asserted):
    following = PeriodFactory(**vars(quarter(1)), is_current=False)

    with pytest.raises(ValidationError) as refused:
        services.goal_update(actor=head, goal=asserted, data={"period": following})

    assert "only the CCO can move it to another period" in refused.value.message_dict["period"][0]
    assert Goal.objects.get(pk=asserted.pk).period_id != following.pk


def test_the_department_may_still_raise_the_weight_or_rewrite_the_goal(head, asserted):
    services.goal_update(actor=head, goal=asserted, data={"weight": Decimal(35), "description": "Faster and kinder."})

    stored = Goal.objects.get(pk=asserted.pk)
    assert (stored.weight, stored.description) == (Decimal(35), "Faster and kinder.")


def test_the_cco_may_archive_the_goal(cco_user, asserted):
    services.goal_archive(actor=cco_user, goal=asserted)

    assert Goal.objects.get(pk=asserted.pk).status == GoalStatus.ARCHIVED


def test_once_the_cco_lifts_the_conflict_the_department_may_archive_the_goal(head, cco_user, asserted):
    link = GoalLink.objects.get(goal=asserted, asserted_by_cco=True)
    mandate_services.link_review(actor=cco_user, link=link, action="reject", reason="They changed the script.")

    services.goal_archive(actor=head, goal=Goal.objects.get(pk=asserted.pk))

    assert Goal.objects.get(pk=asserted.pk).status == GoalStatus.ARCHIVED


# --- moving a goal to another period -------------------------------------------------------------------


@pytest.fixture
def following():
    return PeriodFactory(**vars(quarter(1)), is_current=False)


def test_a_goal_with_check_ins_stays_in_their_period(head, goal, following):
    """Its readings are of this period: moved, they would be another period's current value."""
    services.check_in_create(actor=head, goal=goal, value=Decimal(55), confidence="on_track")

    with pytest.raises(ValidationError) as refused:
        services.goal_update(actor=head, goal=Goal.objects.get(pk=goal.pk), data={"period": following})

    assert refused.value.message_dict["period"] == [
        f"This goal has 1 check-in in {goal.period}, which belong to that period: copy the goal into {following} "
        "instead (the department page's copy into the next period)."
    ]
    assert Goal.objects.get(pk=goal.pk).period_id == goal.period_id


def test_a_goal_carrying_pay_cannot_take_a_manager_past_100_percent_in_another_period(department, period, head):
    """A lever pays in its goal's quarter; moved with its goal it would add to the other quarter's levers past the
    100% cap its own rules hold (the roll-over makes such levers for the next quarter)."""
    from goals.models import CompensationLever

    planned = PeriodFactory(**vars(quarter(1)), is_current=False)
    old_goal = GoalFactory(department=department, period=planned, title="Next quarter's goal", weight=Decimal(10))
    LeverFactory(goal=old_goal, manager=head, share=Decimal(70))
    goal = GoalFactory(department=department, period=period, title="This quarter's goal", weight=Decimal(10))
    services.lever_create(actor=head, department=department, data={"goal": goal, "manager": head, "share": 70})

    with pytest.raises(ValidationError) as refused:
        services.goal_update(actor=head, goal=old_goal, data={"period": period})

    assert "1 pay lever in" in refused.value.message_dict["period"][0]
    total = sum(CompensationLever.objects.filter(manager=head, goal__period=period).values_list("share", flat=True))
    assert total == 70


def test_a_goal_holding_nothing_moves(head, goal, following):
    services.goal_update(actor=head, goal=goal, data={"period": following})

    assert Goal.objects.get(pk=goal.pk).period_id == following.pk


# --- moving a customer objective to another period ------------------------------------------------------


def test_an_objective_goals_link_stays_in_its_period_on_the_api_too(cco_user, goal, objective, following):
    from rest_framework.test import APIClient

    LinkFactory(goal=goal, objective=objective)
    api = APIClient()
    api.force_authenticate(cco_user)

    response = api.patch(f"/api/v1/objectives/{objective.pk}/", {"period": following.pk}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["period"] == [
        "“Happier customers” has 1 goal link in its period, which belong to that period: carry it into another "
        "period with the quarter's roll-over instead."
    ]
    objective.refresh_from_db()
    assert objective.period_id == goal.period_id


def test_an_objective_nobody_links_yet_moves(cco_user, objective, following):
    services.objective_update(actor=cco_user, objective=objective, data={"period": following})

    objective.refresh_from_db()
    assert objective.period_id == following.pk


# --- the CCO's verdict on a link caps what the department can claim for it ------------------------------


def claim(goal, objective, strength: str, *, actor, kind: str = "supports"):
    from goals.links import parse_links

    return services.goal_update(
        actor=actor,
        goal=Goal.objects.get(pk=goal.pk),
        data={},
        links=parse_links([{"objective": objective, "kind": kind, "strength": strength}]),
    )


@pytest.fixture
def reviewed(goal, objective, cco_user, head):
    def review(action: str, strength: str | None = None):
        claim(goal, objective, "0.8", actor=head)
        link = GoalLink.objects.get(goal=goal, objective=objective)
        mandate_services.link_review(
            actor=cco_user, link=link, action=action, reason="Reviewed.", strength=strength and Decimal(strength)
        )
        return GoalLink.objects.get(goal=goal, objective=objective)

    return review


def test_a_rejected_link_cannot_be_claimed_again_at_any_strength(reviewed, goal, objective, head):
    reviewed("reject")

    with pytest.raises(ValidationError) as refused:
        claim(goal, objective, "0.99", actor=head)

    assert refused.value.message_dict["links"][0].startswith("The CCO rejected it on ")
    assert "only the CCO can raise it. Ask the CCO to review the link again." in refused.value.message_dict["links"][0]
    assert GoalLink.objects.get(goal=goal, objective=objective).review == LinkReview.REJECTED


def test_nor_by_removing_it_and_adding_it_again(reviewed, goal, objective, head):
    reviewed("reject")
    services.goal_update(actor=head, goal=Goal.objects.get(pk=goal.pk), data={}, links=[])

    with pytest.raises(ValidationError):
        claim(goal, objective, "0.5", actor=head)

    assert not GoalLink.objects.filter(goal=goal).exists()


def test_an_adjusted_link_is_not_raised_above_what_the_cco_granted_even_in_two_steps(reviewed, goal, objective, head):
    reviewed("adjust", "0.2")
    claim(goal, objective, "0.1", actor=head)  # lowering is the department's call: a claim at 0.1

    with pytest.raises(ValidationError) as refused:
        claim(goal, objective, "0.99", actor=head)

    assert "The CCO granted it 0.2" in refused.value.message_dict["links"][0]
    assert GoalLink.objects.get(goal=goal, objective=objective).strength == Decimal("0.1")


def test_once_the_cco_reviews_again_the_new_verdict_holds(reviewed, goal, objective, head, cco_user):
    reviewed("reject")
    link = GoalLink.objects.get(goal=goal, objective=objective)
    mandate_services.link_review(actor=cco_user, link=link, action="adjust", reason="It does help.",
                                 strength=Decimal("0.6"))  # fmt: skip

    claim(goal, objective, "0.6", actor=head)
    with pytest.raises(ValidationError):
        claim(goal, objective, "0.7", actor=head)


def test_turning_a_rejected_link_into_a_conflict_stays_the_departments_call(reviewed, goal, objective, head):
    reviewed("reject")

    claim(goal, objective, "0.5", actor=head, kind="conflicts")

    assert GoalLink.objects.get(goal=goal, objective=objective).kind == "conflicts"
