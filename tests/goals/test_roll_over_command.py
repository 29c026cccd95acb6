"""`manage.py roll_over`: the operators' roll-over, the service run directly; a refusal exits non-zero, saving
nothing."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from goals.models import CustomerObjective, Goal
from tests.factories import GoalFactory
from tests.rollover_org import next_quarter

pytestmark = pytest.mark.django_db


def roll_over(*args: str) -> str:
    out = StringIO()
    call_command("roll_over", *args, stdout=out)
    return out.getvalue()


def test_it_rolls_the_chosen_objectives_and_the_goals_over(rolled, cco_user):
    target = next_quarter()
    said = roll_over(
        "--from",
        rolled.period.name,
        "--to",
        target.name,
        "--objectives",
        "Happier customers",
        "--as",
        cco_user.username,
    )
    assert f"Rolled {rolled.period.name} over into {target.name}: 1 objective(s) created" in said
    assert "5 goal(s) created" in said
    assert list(CustomerObjective.objects.filter(period=target).values_list("title", flat=True)) == [
        "Happier customers"
    ]
    assert Goal.objects.filter(period=target).count() == 5


def test_a_refused_roll_over_exits_with_the_reason_and_saves_nothing(rolled, cco_user, department):
    target = next_quarter()
    GoalFactory(department=department, period=target, title="Something new", weight=Decimal(80))
    with pytest.raises(CommandError) as refused:
        roll_over("--from", rolled.period.name, "--to", target.name, "--as", cco_user.username)
    assert "Nothing was saved." in str(refused.value) and "the total may not exceed 100" in str(refused.value)
    assert Goal.objects.filter(period=target).count() == 1
    assert not CustomerObjective.objects.filter(period=target).exists()


def test_a_head_may_not_roll_over(rolled, head):
    with pytest.raises(CommandError) as refused:
        roll_over("--from", rolled.period.name, "--to", next_quarter().name, "--as", head.username)
    assert str(refused.value).startswith(f"{head.username}: ")
    assert not Goal.objects.exclude(period=rolled.period).exists()


def test_an_unknown_period_or_objective_is_named(rolled, cco_user):
    target = next_quarter()
    with pytest.raises(CommandError, match="No period named “2099-Q9”"):
        roll_over("--from", "2099-Q9", "--to", target.name, "--as", cco_user.username)
    with pytest.raises(CommandError, match="has no objective “Nope”"):
        roll_over("--from", rolled.period.name, "--to", target.name, "--objectives", "Nope", "--as", cco_user.username)
