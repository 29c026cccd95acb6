"""Data migrations do what their docstrings say, on rows shaped as they were before (the schema part is Django's)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from goals.models import CustomerObjective, Goal
from tests.factories import DataSourceFactory, GoalFactory, ObjectiveFactory

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
