"""Goal, link, check-in and lever rules through the services: clear errors, nothing saved."""

from decimal import Decimal
from uuid import uuid4

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from goals.links import LinkInput, parse_links
from goals.models import CheckIn, CompensationLever, Goal, GoalLink, GoalStatus
from goals.services import (
    ALREADY_RECORDED_CODE,
    check_in_create,
    goal_archive,
    goal_create,
    goal_update,
    goals_copy_to_next_period,
    lever_create,
    lever_update,
)
from tests.factories import (
    CheckInFactory,
    GoalFactory,
    LeverFactory,
    LinkFactory,
    ObjectiveFactory,
    PeriodFactory,
    quarter,
)

pytestmark = pytest.mark.django_db


def goal_data(period, **overrides):
    data = {"title": "Resolve at first contact", "metric": "FCR", "unit": "%", "baseline": Decimal(60),
            "target": Decimal(75), "direction": "higher", "period": period, "weight": Decimal(40)}  # fmt: skip
    return {**data, **overrides}


def test_head_creates_a_goal_with_links(head, department, period):
    objective = ObjectiveFactory(period=period)
    goal = goal_create(actor=head, department=department, data=goal_data(period),
                       links=[LinkInput(objective, "supports", Decimal("0.8"))])  # fmt: skip
    assert goal.links.get().strength == Decimal("0.80")
    assert goal.history.first().history_user == head


def test_weights_above_100_are_refused_on_the_weight_field_and_nothing_is_saved(head, department, period):
    GoalFactory(department=department, period=period, weight=Decimal(70))
    with pytest.raises(ValidationError) as error:
        goal_create(actor=head, department=department, data=goal_data(period, weight=Decimal(40)))
    assert "may not exceed 100" in error.value.message_dict["weight"][0]
    assert Goal.objects.filter(department=department).count() == 1


def test_archived_goals_do_not_count_toward_the_weight_total(head, department, period):
    GoalFactory(department=department, period=period, weight=Decimal(70), status=GoalStatus.ARCHIVED)
    goal = goal_create(actor=head, department=department, data=goal_data(period, weight=Decimal(40)))
    assert goal.pk


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_numbers_must_be_finite(head, department, period, value):
    with pytest.raises(ValidationError) as error:
        goal_create(actor=head, department=department, data=goal_data(period, baseline=value))
    assert "baseline" in error.value.message_dict
    assert not Goal.objects.exists()


def test_target_on_the_wrong_side_of_the_baseline_is_refused(head, department, period):
    with pytest.raises(ValidationError) as error:
        goal_create(actor=head, department=department, data=goal_data(period, direction="lower"))
    assert error.value.message_dict["target"] == ["For a lower-is-better goal the target cannot be above the baseline."]


def test_a_bad_link_leaves_the_goal_and_its_links_unchanged(head, department, period):
    objective = ObjectiveFactory(period=period)
    goal = GoalFactory(department=department, period=period, title="Before")
    LinkFactory(goal=goal, objective=objective, strength=Decimal("0.5"))
    with pytest.raises(ValidationError) as error:
        links = parse_links([{"objective": objective.pk, "kind": "supports", "strength": "1.5"}])
        goal_update(actor=head, goal=goal, data={"title": "After"}, links=links)
    assert error.value.message_dict["links"] == ["Link 1: strength must be between 0 and 1."]
    goal.refresh_from_db()
    assert goal.title == "Before"
    assert goal.links.get().strength == Decimal("0.5")


def test_links_to_archived_objectives_are_refused_and_the_goal_rolls_back(head, department, period):
    archived = ObjectiveFactory(period=period, active=False)
    goal = GoalFactory(department=department, period=period, title="Before")
    with pytest.raises(ValidationError):
        goal_update(actor=head, goal=goal, data={"title": "After"}, links=[LinkInput(archived)])
    goal.refresh_from_db()
    assert goal.title == "Before"
    assert not GoalLink.objects.exists()


def test_parse_links_names_every_bad_row():
    with pytest.raises(ValidationError) as error:
        parse_links([{"objective": None}, {"objective": "999999", "kind": "supports"}])
    assert error.value.message_dict["links"] == ["Link 1: choose a customer objective.",
                                                 "Link 2: choose a customer objective."]  # fmt: skip


def test_head_cannot_edit_another_departments_goal(head, other_department, period):
    goal = GoalFactory(department=other_department, period=period, title="Theirs")
    with pytest.raises(PermissionDenied):
        goal_update(actor=head, goal=goal, data={"title": "Mine now"})
    goal.refresh_from_db()
    assert goal.title == "Theirs"


def test_executive_cannot_create_goals(executive, department, period):
    with pytest.raises(PermissionDenied):
        goal_create(actor=executive, department=department, data=goal_data(period))
    assert not Goal.objects.exists()


def test_latest_check_in_is_the_goals_current_value(head, department, period):
    goal = GoalFactory(department=department, period=period)
    check_in_create(actor=head, goal=goal, value=Decimal(20), confidence="on_track")
    check_in_create(actor=head, goal=goal, value=Decimal(35), confidence="at_risk", comment="Supplier late")
    annotated = Goal.objects.get(pk=goal.pk)
    assert annotated.current_value == Decimal(35)
    assert annotated.current_confidence == "at_risk"


def test_a_check_in_forms_submission_is_recorded_once(head, department, period):
    goal = GoalFactory(department=department, period=period)
    submission = uuid4()
    check_in_create(actor=head, goal=goal, value=Decimal(20), confidence="on_track", submission=submission)

    with pytest.raises(ValidationError) as error:
        check_in_create(actor=head, goal=goal, value=Decimal(20), confidence="on_track", submission=submission)

    assert error.value.error_list[0].code == ALREADY_RECORDED_CODE
    assert CheckIn.objects.filter(goal=goal).count() == 1
    check_in_create(actor=head, goal=goal, value=Decimal(20), confidence="on_track", submission=uuid4())
    assert CheckIn.objects.filter(goal=goal).count() == 2, "another form's submission is another reading"


def test_only_heads_of_the_department_record_check_ins(cco_user, department, period):
    goal = GoalFactory(department=department, period=period)
    with pytest.raises(PermissionDenied):
        check_in_create(actor=cco_user, goal=goal, value=Decimal(1), confidence="on_track")
    assert not CheckIn.objects.exists()


def test_archived_goals_take_no_check_ins(head, department, period):
    goal = GoalFactory(department=department, period=period, status=GoalStatus.ARCHIVED)
    with pytest.raises(ValidationError):
        check_in_create(actor=head, goal=goal, value=Decimal(1), confidence="on_track")


def test_a_managers_levers_cannot_exceed_100_percent(head, department, period):
    first = GoalFactory(department=department, period=period)
    second = GoalFactory(department=department, period=period)
    LeverFactory(goal=first, manager=head, share=Decimal(70))
    with pytest.raises(ValidationError) as error:
        lever_create(actor=head, department=department, data={"manager": head, "goal": second, "share": Decimal(40)})
    assert "cannot exceed 100%" in error.value.message_dict["share"][0]
    assert CompensationLever.objects.count() == 1


def test_a_lever_must_tie_to_a_goal_of_its_own_department(head, department, other_department, period):
    theirs = GoalFactory(department=other_department, period=period)
    with pytest.raises(ValidationError) as error:
        lever_create(actor=head, department=department, data={"manager": head, "goal": theirs, "share": Decimal(10)})
    assert "goal" in error.value.message_dict


def test_changing_a_signed_off_lever_voids_the_sign_off(head, department, period, cco_user):
    lever = LeverFactory(goal=GoalFactory(department=department, period=period), manager=head, signed_off=True,
                         signed_off_by=cco_user)  # fmt: skip
    lever_update(actor=head, lever=lever, data={"share": Decimal(30)})
    lever.refresh_from_db()
    assert lever.signed_off is False and lever.signed_off_by is None


def test_copy_to_next_period_copies_goals_with_links_but_not_check_ins(head, department, period):
    following = PeriodFactory(**vars(quarter(1)), is_current=False)
    objective = ObjectiveFactory(period=period, title="Keep more customers")
    carried = ObjectiveFactory(period=following, title="Keep more customers")  # the CCO carried it over
    dropped = ObjectiveFactory(period=period, title="Win back lapsed customers")  # not carried over
    goal = GoalFactory(department=department, period=period, title="Keep customers")
    LinkFactory(goal=goal, objective=objective, kind="supports", strength=Decimal("0.7"))
    LinkFactory(goal=goal, objective=dropped, kind="supports", strength=Decimal("0.4"))
    CheckInFactory(goal=goal)
    GoalFactory(department=department, period=period, title="Old", status=GoalStatus.ARCHIVED)

    copied = goals_copy_to_next_period(actor=head, department=department, period=period)

    assert [copy.title for copy in copied.goals] == ["Keep customers"]
    assert copied.links_left_out == 1
    copy = copied.goals[0]
    assert copy.period == following
    link = copy.links.get()  # the link to the objective not carried over is left out
    assert (link.objective, link.strength) == (carried, Decimal("0.7"))
    assert not copy.check_ins.exists()
    assert goals_copy_to_next_period(actor=head, department=department, period=period).goals == []


def test_copy_without_a_next_period_says_so(head, department, period):
    with pytest.raises(ValidationError) as error:
        goals_copy_to_next_period(actor=head, department=department, period=period)
    assert f"no period after {quarter().name}" in error.value.message_dict["period"][0]


def test_archiving_keeps_the_goal_and_its_history(head, department, period):
    goal = GoalFactory(department=department, period=period)
    goal_archive(actor=head, goal=goal)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ARCHIVED
    assert goal.history.first().history_user == head


# --- a goal links only its own period's objectives ------------------------------------------------------


def test_a_link_to_another_periods_objective_is_refused_and_nothing_is_saved(head, department, period):
    following = PeriodFactory(**vars(quarter(1)), is_current=False)
    later = ObjectiveFactory(period=following, title="Keep more customers")

    with pytest.raises(ValidationError) as error:
        goal_create(actor=head, department=department, data=goal_data(period),
                    links=[LinkInput(later, "supports", Decimal("0.5"))])  # fmt: skip

    assert error.value.message_dict["links"] == [
        f"“Keep more customers” is an objective of {following}; a goal of {period} links objectives of {period}."
    ]
    assert not Goal.objects.exists() and not GoalLink.objects.exists()


def test_the_rule_is_the_models_own_so_every_path_that_validates_meets_it(department, period):
    following = PeriodFactory(**vars(quarter(1)), is_current=False)
    goal = GoalFactory(department=department, period=period)

    with pytest.raises(ValidationError) as error:
        GoalLink(goal=goal, objective=ObjectiveFactory(period=following)).full_clean()

    assert "objective" in error.value.message_dict


def test_moving_a_linked_goal_to_another_period_is_refused_until_it_is_relinked(head, department, period):
    following = PeriodFactory(**vars(quarter(1)), is_current=False)
    now = ObjectiveFactory(period=period, title="Raise satisfaction")
    goal = GoalFactory(department=department, period=period, weight=Decimal(40))
    LinkFactory(goal=goal, objective=now)

    with pytest.raises(ValidationError) as error:
        goal_update(actor=head, goal=goal, data={"period": following})

    assert "“Raise satisfaction” is an objective of" in error.value.message_dict["period"][0]
    goal.refresh_from_db()
    assert goal.period == period and goal.links.get().objective == now

    carried = ObjectiveFactory(period=following, title="Raise satisfaction")
    goal_update(actor=head, goal=goal, data={"period": following}, links=[LinkInput(carried, "supports", Decimal(1))])
    goal.refresh_from_db()
    assert goal.period == following and goal.links.get().objective == carried


def test_a_link_saved_across_periods_before_the_rule_does_not_block_other_edits(head, department, period):
    """Links the old copy command made to the previous period's objectives stay until someone changes them."""
    earlier = PeriodFactory(**vars(quarter(-1)), is_current=False)
    old = ObjectiveFactory(period=earlier, title="Keep more customers")
    goal = GoalFactory(department=department, period=period, weight=Decimal(40))
    LinkFactory(goal=goal, objective=old, kind="supports", strength=Decimal("0.5"))  # saved before the rule

    goal_update(actor=head, goal=goal, data={"weight": Decimal(30)},
                links=[LinkInput(old, "supports", Decimal("0.5"))])  # fmt: skip
    goal_archive(actor=head, goal=goal)

    goal.refresh_from_db()
    assert goal.status == GoalStatus.ARCHIVED and goal.links.get().objective == old
    with pytest.raises(ValidationError) as error:  # changing it is writing it: then the rule applies
        goal_update(actor=head, goal=goal, data={}, links=[LinkInput(old, "supports", Decimal("0.9"))])
    assert "“Keep more customers” is an objective of" in error.value.message_dict["links"][0]


def test_a_title_that_differs_only_by_letter_case_is_refused_for_goals_and_objectives(
    head, cco_user, department, period
):
    """People read "answer first time" and "Answer first time" as one goal, and CSV import matches titles whatever
    their case, so a file's row could update either."""
    from goals.services import objective_create

    GoalFactory(department=department, period=period, title="Answer first time")
    ObjectiveFactory(period=period, title="Raise customer satisfaction")

    with pytest.raises(ValidationError) as goal_refused:
        goal_create(actor=head, department=department, data=goal_data(period, title="answer FIRST time"))
    with pytest.raises(ValidationError) as objective_refused:
        data = {"category": "satisfaction", "title": "raise customer satisfaction", "metric": "CSAT", "baseline": 1,
                "target": 2, "period": period}  # fmt: skip
        objective_create(actor=cco_user, data=data)

    assert goal_refused.value.message_dict["title"] == [
        f"The department already has “Answer first time” in {period}; use that title or another."
    ]
    assert "already has “Raise customer satisfaction”" in objective_refused.value.message_dict["title"][0]
    assert Goal.objects.filter(title__iexact="answer first time").count() == 1


def test_a_goal_whose_asserted_conflict_is_not_carried_over_yet_is_held_back_then_copied(
    head, cco_user, department, period
):
    """Copying ahead of the roll-over must not shed a conflict the CCO asserted: the goal waits, and once the CCO has
    carried the objective over it is copied with the conflict, still the CCO's."""
    from goals.rollover import period_roll_over

    following = PeriodFactory(**vars(quarter(1)), is_current=False)
    objective = ObjectiveFactory(period=period, title="Grow long-term profitability")
    pushy = GoalFactory(department=department, period=period, title="Push add-ons", weight=Decimal(20))
    LinkFactory(goal=pushy, objective=objective, kind="conflicts", asserted_by_cco=True, strength=Decimal("0.5"))
    GoalFactory(department=department, period=period, title="Answer first time", weight=Decimal(30))

    copied = goals_copy_to_next_period(actor=head, department=department, period=period)

    assert [copy.title for copy in copied.goals] == ["Answer first time"]
    assert copied.held_back == ("Push add-ons",)
    period_roll_over(actor=cco_user, source=period, target=following)
    carried = Goal.objects.get(period=following, title="Push add-ons")
    link = carried.links.get()
    assert (link.kind, link.asserted_by_cco, link.objective.title) == ("conflicts", True, objective.title)
