"""Data migrations do what their docstrings say, on rows shaped as they were before (the schema part is Django's)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from goals.link_totals import objective_totals
from goals.models import CustomerObjective, Goal, LinkTotal
from tests.factories import CheckInFactory, DataSourceFactory, GoalFactory, LinkFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


def test_0016_unbinds_goals_and_objectives_whose_source_was_deleted(department, period):
    """Before 0016 a deleted source left its goals and objectives with a metric and no source, which no path could
    save again: the migration gives them typed values, and leaves bound and unbound rows as they are."""
    unbind = importlib.import_module("goals.migrations.0016_data_source_protect").unbind_half_bound
    source = DataSourceFactory(name="CRM")
    half_goal = GoalFactory(department=department, period=period, title="Half-bound goal")
    bound_goal = GoalFactory(department=department, period=period, title="Bound goal")
    GoalFactory(department=department, period=period, title="Typed goal")
    half_objective = ObjectiveFactory(period=period, title="Half-bound objective")
    Goal.objects.filter(pk=half_goal.pk).update(source_metric="nps")  # as SET_NULL left it
    Goal.objects.filter(pk=bound_goal.pk).update(data_source=source, source_metric="nps")
    CustomerObjective.objects.filter(pk=half_objective.pk).update(source_metric="churn")

    unbind(apps, None)

    assert dict(Goal.objects.values_list("title", "source_metric")) == {
        "Half-bound goal": "",
        "Bound goal": "nps",
        "Typed goal": "",
    }
    assert CustomerObjective.objects.get(pk=half_objective.pk).source_metric == ""
    assert Goal.objects.get(pk=bound_goal.pk).data_source == source


def test_0020_marks_fed_readings_and_totals_their_typed_part(department, period):
    """Before 0020 no goal said whether its newest reading was fed, and the link totals had no typed part: the
    migration marks the goals whose newest check-in came from a data source and writes every total again."""
    mark = importlib.import_module("goals.migrations.0020_reading_fed").mark_fed_readings
    objective = ObjectiveFactory(period=period)
    fed, typed, was_fed = (GoalFactory(department=department, period=period, title=t) for t in ("Fed", "Typed", "Was"))
    for goal in (fed, typed, was_fed):
        LinkFactory(goal=goal, objective=objective, review="confirmed")
    CheckInFactory(goal=fed, value=1, source="CRM: nps")
    CheckInFactory(goal=typed, value=1)
    CheckInFactory(goal=was_fed, value=1, source="CRM: nps", at=period.begins_at)
    CheckInFactory(goal=was_fed, value=2)  # newer, typed
    Goal.objects.update(current_reading_fed=False)  # as the column was added
    LinkTotal.objects.update(typed_reporting=0)

    mark(apps, None)

    assert dict(Goal.objects.values_list("title", "current_reading_fed")) == {"Fed": True, "Typed": False, "Was": False}
    assert objective_totals(period, [objective.pk])[objective.pk]["rollup_typed"] == 2
