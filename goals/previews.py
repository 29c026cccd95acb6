"""Checking a goal as it would be saved, without saving it: what the goal editor shows before "Save"."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from cco.writes import assign_fields
from departments.models import Department

from .models import MAX_TOTAL_WEIGHT, Goal, GoalStatus
from .services import GOAL_FIELDS


def weight_budget(department: Department, goal: Goal | None, values: Mapping[str, Any]) -> dict | None:
    """The department's active weight in the goal's period if `values` were saved: the other goals, this one, the
    sum and what is left under MAX_TOTAL_WEIGHT (the rule Goal.clean enforces), for the editor to show."""
    period = values.get("period")
    if period is None:
        return None
    probe = Goal(pk=goal.pk if goal else None, department=department, period=period)
    others = probe.active_weight_of_others()
    counts = values.get("status") == GoalStatus.ACTIVE
    this = values.get("weight") if counts and values.get("weight") is not None else Decimal(0)
    total = others + this
    return {
        "period": period,
        "others": others,
        "this": this,
        "counts": counts,
        "total": total,
        "left": MAX_TOTAL_WEIGHT - total,
        "over": total > MAX_TOTAL_WEIGHT,
    }


def goal_refusal(*, department: Department, goal: Goal | None, data: Mapping[str, Any]) -> ValidationError | None:
    """The model's own validation of the goal as it would be saved (weight total, target side), without saving."""
    probe = Goal(pk=goal.pk if goal else None, department=department)
    probe._state.adding = goal is None  # an edit is checked as an update of itself, not as a duplicate
    assign_fields(probe, data, GOAL_FIELDS)
    try:
        probe.full_clean()
    except ValidationError as exc:
        return exc
    return None
