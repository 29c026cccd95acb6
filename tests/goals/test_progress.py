from decimal import Decimal as D

import pytest

from goals.progress import goal_progress


@pytest.mark.parametrize(
    ("baseline", "target", "current", "direction", "expected"),
    [
        (D(60), D(80), D(70), "higher", 0.5),
        (D(60), D(80), D(90), "higher", 1.0),
        (D(60), D(80), D(50), "higher", 0.0),
        (D(9), D(6), D(7.5), "lower", 0.5),
        (D(9), D(6), D(10), "lower", 0.0),
        (D(5), D(5), D(5), "higher", 1.0),
        (D(5), D(5), D(4), "higher", 0.0),
        (D(5), D(5), D(4), "lower", 1.0),
        (D(5), D(5), None, "lower", None),
    ],
)
def test_progress_is_direction_aware_and_never_divides_by_zero(baseline, target, current, direction, expected):
    assert goal_progress(baseline=baseline, target=target, current=current, direction=direction) == expected


@pytest.mark.django_db
def test_the_database_computes_progress_as_goal_progress_does(department, period):
    """goals.progress.progress_expression (the scorecard's roll-up, in one query) against goal_progress."""
    from decimal import Decimal as D

    from goals.models import Goal
    from goals.progress import goal_progress, progress_expression
    from tests.factories import GoalFactory

    cases = [  # baseline, target, direction, current
        (0, 10, "higher", None), (0, 10, "higher", 5), (0, 10, "higher", 12), (0, 10, "higher", -3),
        (100, 80, "lower", 90), (100, 80, "lower", 70), (100, 80, "lower", 120), (9, 6, "lower", D("7.5")),
        (50, 50, "higher", 50), (50, 50, "higher", 49), (50, 50, "lower", 50), (50, 50, "lower", 51),
    ]  # fmt: skip
    goals = [
        GoalFactory(
            department=department, period=period, baseline=b, target=t, direction=d, weight=D(1), current_value=c
        )  # fmt: skip
        for b, t, d, c in cases
    ]
    asked = dict(
        Goal.objects.filter(pk__in=[g.pk for g in goals]).annotate(p=progress_expression()).values_list("pk", "p")
    )
    for goal, (b, t, d, c) in zip(goals, cases, strict=True):
        expected = goal_progress(baseline=D(b), target=D(t), current=None if c is None else D(c), direction=d)
        assert asked[goal.pk] == pytest.approx(expected) if expected is not None else asked[goal.pk] is None, (
            b,
            t,
            d,
            c,
        )


@pytest.mark.django_db
def test_a_goal_keeps_its_progress_with_its_latest_reading(department, period):
    """The scorecard sums Goal.current_progress: it follows check-ins and changes of baseline or target."""
    from decimal import Decimal as D

    from goals.models import Goal
    from tests.factories import CheckInFactory, GoalFactory

    goal = GoalFactory(department=department, period=period, baseline=D(0), target=D(10))
    assert Goal.objects.get(pk=goal.pk).current_progress is None
    check_in = CheckInFactory(goal=goal, value=D(5))
    assert Goal.objects.get(pk=goal.pk).current_progress == pytest.approx(0.5)
    goal.refresh_from_db()
    goal.target = D(20)
    goal.save()
    assert Goal.objects.get(pk=goal.pk).current_progress == pytest.approx(0.25)
    check_in.delete()
    assert Goal.objects.get(pk=goal.pk).current_progress is None
