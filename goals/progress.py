"""A goal's progress from its baseline toward its target (direction-aware, never dividing by zero), and whether
its latest check-in is too old to trust."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, ExpressionWrapper, F, FloatField, Q, Value, When
from django.db.models.functions import Cast, Greatest, Least
from django.utils import timezone


def stale_before(now: datetime | None = None) -> datetime:
    """A latest reading taken before this moment is stale (what a query filters on; check_in_is_stale asks it)."""
    return (now or timezone.now()) - timedelta(days=settings.CHECK_IN_STALE_DAYS)


def check_in_is_stale(last_check_in_at: datetime | None, *, now: datetime | None = None) -> bool:
    """Whether the latest reading is older than CHECK_IN_STALE_DAYS (no reading at all is "missing", not stale)."""
    if last_check_in_at is None:
        return False
    return last_check_in_at < stale_before(now)


def goal_progress(*, baseline: Decimal, target: Decimal, current: Decimal | None, direction: str) -> float | None:
    """Share of the way from baseline to target, clamped to 0..1; None before the first check-in.

    When target equals baseline (a "hold the line" goal) progress is 1 if the current value is at or on
    the better side of the target, else 0.
    """
    if current is None:
        return None
    if target == baseline:
        better_or_equal = current >= target if direction == "higher" else current <= target
        return 1.0 if better_or_equal else 0.0
    share = float((current - baseline) / (target - baseline))
    return max(0.0, min(1.0, share))


def progress_expression(prefix: str = "") -> Case:
    """goal_progress asked of the database, for an aggregate over many goals (the scorecard's roll-up): the share
    of the way from baseline to target clamped to 0..1, 1 or 0 for a "hold the line" goal, NULL before the first
    check-in. `prefix` reaches the goal through a relation ("goal__"). tests/goals/test_progress.py checks it
    against goal_progress case by case."""
    baseline, target, current = F(f"{prefix}baseline"), F(f"{prefix}target"), F(f"{prefix}current_value")
    held = Q(**{f"{prefix}direction": "higher", f"{prefix}current_value__gte": target}) | Q(
        **{f"{prefix}direction": "lower", f"{prefix}current_value__lte": target}
    )
    # As floats before dividing: SQLite stores whole decimals as integers and would divide them as integers.
    share = ExpressionWrapper(
        Cast(current - baseline, FloatField()) / Cast(target - baseline, FloatField()), output_field=FloatField()
    )
    return Case(
        When(**{f"{prefix}current_value__isnull": True}, then=Value(None, output_field=FloatField())),
        When(Q(**{f"{prefix}target": baseline}) & held, then=Value(1.0)),
        When(**{f"{prefix}target": baseline}, then=Value(0.0)),
        default=Greatest(Value(0.0), Least(Value(1.0), share)),
        output_field=FloatField(),
    )
