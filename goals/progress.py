"""A goal's progress from its baseline toward its target: direction-aware, never dividing by zero."""

from __future__ import annotations

from decimal import Decimal


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
