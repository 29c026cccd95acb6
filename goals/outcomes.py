"""Is the strategy working? Each customer objective's value, progress and the roll-up of its supporting goals.

- An objective's **current value** is its newest reading (a CCO check-in or its bound metric's feed).
- Its **progress** runs from its baseline to its target, clamped to 0–100 % (goals.progress.goal_progress; the
  direction is the one from baseline to target).
- Its **roll-up** is the weighted mean of the progress of the active goals that support it, each weighted by the
  link's strength times its credit: 1 when the CCO confirmed the link, LINK_CLAIM_CREDIT while it is a claim;
  rejected links and goals without a reading count for nothing (the count of goals reporting says how many did).
- The **scorecard** has one row per outcome category: the mean progress of its objectives that have a value, the
  mean roll-up, and a trend of the category's progress, one point per day with a reading.

docs/alignment.md, "Outcome scorecard", works an example through; tests/goals/test_outcomes.py reproduces it.
`progress_of` and `category_series` are pure functions; the roll-up is one grouped query (`_rollups`) over the
progress each goal keeps with its latest reading (Goal.current_progress).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.db.models import OuterRef, Subquery

from .link_totals import objective_totals
from .models import Category, CustomerObjective, ObjectiveReading, Period
from .progress import goal_progress

TREND_READINGS = 90  # the newest readings per objective a trend is drawn from


def progress_of(baseline: Decimal, target: Decimal, current: Decimal | None) -> float | None:
    """An objective's progress (0..1) from baseline to target, or None without a value."""
    return goal_progress(
        baseline=baseline, target=target, current=current, direction="higher" if target >= baseline else "lower"
    )


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def category_series(
    objectives: Sequence[tuple[int, Decimal, Decimal]], readings: Iterable[tuple[int, datetime, Decimal]]
):
    """The category's progress after each day with a reading: the mean, over its objectives with a value by then,
    of their progress at their newest reading so far. `objectives` are (id, baseline, target); `readings`
    (objective id, at, value) oldest first. Returns [(day, progress 0..1)]."""
    bounds = {pk: (baseline, target) for pk, baseline, target in objectives}
    latest: dict[int, float] = {}
    series: dict[date, float] = {}
    for objective_id, at, value in readings:
        baseline, target = bounds[objective_id]
        latest[objective_id] = progress_of(baseline, target, value)
        series[at.date()] = sum(latest.values()) / len(latest)
    return sorted(series.items())


@dataclass(frozen=True)
class ObjectiveOutcome:
    objective: CustomerObjective
    current_value: Decimal | None
    last_reading_at: datetime | None
    progress: float | None
    rollup: float | None
    goals_reporting: int
    goals_counted: int
    goals_typed: int = 0  # of those reporting, how many readings their departments typed (not fed)

    @property
    def typed_by_hand(self) -> bool:
        """Its value was typed by the CCO, whose mandate it measures, rather than fed by a data source."""
        return self.current_value is not None and not getattr(self.objective, "last_reading_source", "")


@dataclass(frozen=True)
class CategoryRow:
    category: str
    label: str
    objectives: list[ObjectiveOutcome]
    progress: float | None
    rollup: float | None
    series: list[tuple[date, float]]

    @property
    def typed_by_hand(self) -> int:
        """How many of its values the CCO typed rather than a data source fed (the scorecard says so)."""
        return sum(1 for o in self.objectives if o.typed_by_hand)

    @property
    def goals_reporting(self) -> int:
        """Supporting goals' readings in its roll-ups (a goal supporting two of its objectives counts twice)."""
        return sum(o.goals_reporting for o in self.objectives)

    @property
    def goals_typed(self) -> int:
        """Of those, how many their departments typed rather than a data source fed (counted at reduced weight)."""
        return sum(o.goals_typed for o in self.objectives)

    @property
    def valued(self) -> int:
        """How many of its objectives have a value."""
        return sum(1 for o in self.objectives if o.current_value is not None)

    @property
    def change(self) -> float | None:
        """Progress points gained since the first day of the trend (None with fewer than two days)."""
        return (self.series[-1][1] - self.series[0][1]) * 100 if len(self.series) > 1 else None


def with_current_values(objectives):
    """Objectives annotated with their newest reading's value and time (two subqueries, no row per reading)."""
    newest = ObjectiveReading.objects.filter(objective=OuterRef("pk")).order_by("-at", "-pk")
    return objectives.annotate(
        current_value=Subquery(newest.values("value")[:1]),
        last_reading_at=Subquery(newest.values("at")[:1]),
        last_reading_source=Subquery(newest.values("source")[:1]),
    )


def objective_outcomes(period: Period | None, objectives=None, rollups: dict | None = None) -> list[ObjectiveOutcome]:
    """Each objective of the period's strategy (or `objectives`) with its value, progress and roll-up (two queries;
    one when the caller has the roll-ups already, from rollup_annotations)."""
    if objectives is None:
        objectives = CustomerObjective.objects.filter(period=period, active=True)
    objectives = list(with_current_values(objectives).order_by("category", "title"))
    if rollups is None:
        rollups = _rollups(period, [o.pk for o in objectives])
    outcomes = []
    for objective in objectives:
        rollup = rollups.get(objective.pk, NO_ROLLUP)
        outcomes.append(
            ObjectiveOutcome(
                objective,
                objective.current_value,
                objective.last_reading_at,
                progress_of(objective.baseline, objective.target, objective.current_value),
                rollup.value,
                rollup.reporting,
                rollup.counted,
                rollup.typed,
            )
        )
    return outcomes


class Rollup(NamedTuple):
    """An objective's supporting goals: their weighted mean progress (None when none has a reading), how many have a
    reading, how many count, and how many of those readings were typed by their departments rather than fed."""

    value: float | None
    reporting: int
    counted: int
    typed: int


NO_ROLLUP = Rollup(None, 0, 0, 0)


def rollup_of(row: dict) -> Rollup:
    """The Rollup of a row of goals.link_totals.objective_totals. Each supporting goal's progress is the one it keeps
    with its latest reading (Goal.current_progress), its weight the link's strength times its credit (1 when
    confirmed, LINK_CLAIM_CREDIT while claimed) times its reading's (1 when fed, TYPED_READING_CREDIT when typed)."""
    total = row.get("rollup_total")
    return Rollup(
        (row["rollup_weighted"] / total if total else None),
        row.get("rollup_reporting", 0),
        row.get("rollup_counted", 0),
        row.get("rollup_typed", 0),
    )


def _rollups(period: Period | None, objective_ids: list[int]) -> dict[int, Rollup]:
    """Per objective, its roll-up, in one grouped query of the departments' link totals."""
    return {objective_id: rollup_of(row) for objective_id, row in objective_totals(period, objective_ids).items()}


def scorecard(period: Period | None, rollups: dict | None = None) -> list[CategoryRow]:
    """One row per outcome category, in Category order, with its objectives (three queries; two with `rollups`)."""
    if period is None:
        return []
    outcomes = objective_outcomes(period, rollups=rollups)
    ids = [o.objective.pk for o in outcomes]
    readings = (
        ObjectiveReading.objects.filter(objective__in=ids, at__gte=period.begins_at)
        .order_by("at", "pk")
        .values_list("objective_id", "at", "value")
    )
    by_objective: dict[int, list] = defaultdict(list)
    for row in readings:
        by_objective[row[0]].append(row)
    rows = []
    for category in Category:
        members = [o for o in outcomes if o.objective.category == category.value]
        recent = sorted(
            (r for o in members for r in by_objective[o.objective.pk][-TREND_READINGS:]), key=lambda r: r[1]
        )
        bounds = [(o.objective.pk, o.objective.baseline, o.objective.target) for o in members]
        rows.append(
            CategoryRow(
                category.value,
                category.label,
                members,
                mean(o.progress for o in members),
                mean(o.rollup for o in members),
                category_series(bounds, recent),
            )
        )
    return rows
