"""The quarterly review the CCO takes to the CEO: how one period went, from its stored snapshots and decision log.

Everything comes from what was recorded during the period (scores carry their period; decisions and the
empowerment snapshots carry their moment), so a past quarter reads as it ended. The objectives' coverage is counted
from the period's goals and links as the dashboard counts it (pages.heatmap), not read from the last score: that
score knows nothing of an objective added after it, and a quarter not begun has none. Bounded queries whatever the
organisation's size: two per score series, one for departments' first and last scores, one for decisions, two for
the objectives.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from departments.models import Department
from goals.models import Period
from mandates.models import Decision, DecisionAction, EmpowermentSnapshot
from scoring.models import AlignmentScore
from scoring.selectors import newest_first, oldest_first

from .heatmap import kept_strategy_columns
from .rows import ObjectiveColumn, change_between, objectives_supported

LINK_REVIEWS = (DecisionAction.CONFIRM_LINK, DecisionAction.ADJUST_LINK, DecisionAction.REJECT_LINK)
MOVERS = 5  # departments listed as the biggest rises and falls


@dataclass(frozen=True)
class DepartmentMove:
    department: Department
    opening: Decimal | None
    closing: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return change_between(self.closing, self.opening)


@dataclass(frozen=True)
class QuarterlyReview:
    period: Period
    opening: AlignmentScore | None  # the organisation's first snapshot of the period
    closing: AlignmentScore | None  # and its last one: how the period ended (or stands, while it runs)
    moves: list[DepartmentMove]
    objectives: list[ObjectiveColumn]  # the period's active objectives with their support, as on the dashboard
    decision_counts: dict[str, int]
    claims_reviewed: int
    empowerment: EmpowermentSnapshot | None  # the last one stored before the period ended

    @property
    def change(self) -> Decimal | None:
        return change_between(
            self.closing.score if self.closing else None, self.opening.score if self.opening else None
        )

    @property
    def rises(self) -> list[DepartmentMove]:
        moved = [m for m in self.moves if m.change is not None and m.change > 0]
        return sorted(moved, key=lambda m: -m.change)[:MOVERS]

    @property
    def falls(self) -> list[DepartmentMove]:
        moved = [m for m in self.moves if m.change is not None and m.change < 0]
        return sorted(moved, key=lambda m: m.change)[:MOVERS]

    @property
    def objectives_supported(self) -> int:
        return objectives_supported(self.objectives)

    @property
    def added_after_closing(self) -> set[int]:
        """Objectives created after the period's last score was computed: that score and its reasons do not count
        them."""
        if self.closing is None:
            return set()
        return {c.objective.pk for c in self.objectives if c.objective.created_at > self.closing.computed_at}

    @property
    def powers(self) -> list[dict]:
        return [item for item in (self.empowerment.items if self.empowerment else []) if item.get("kind") == "power"]


def quarterly_review(period: Period) -> QuarterlyReview:
    """How `period` went: the organisation's score from start to end, the departments that moved most, the
    objectives' coverage (counted from the links, as on the dashboard), the CCO's decisions and link reviews, and the
    powers as they stood."""
    begins, ends = period.begins_at, period.ends_at
    closing = newest_first(period=period).first()
    departments = Department.objects.annotate(
        opening=Subquery(oldest_first(OuterRef("pk"), period=period).values("score")[:1]),
        closing=Subquery(newest_first(OuterRef("pk"), period=period).values("score")[:1]),
    ).order_by("name")
    actions = Counter(Decision.objects.filter(at__gte=begins, at__lt=ends).values_list("action", flat=True).iterator())
    return QuarterlyReview(
        period=period,
        opening=oldest_first(period=period).first(),
        closing=closing,
        moves=[DepartmentMove(d, d.opening, d.closing) for d in departments if d.closing is not None],
        objectives=kept_strategy_columns(period),
        decision_counts={DecisionAction(action).label: count for action, count in sorted(actions.items())},
        claims_reviewed=sum(actions[action] for action in LINK_REVIEWS),
        empowerment=EmpowermentSnapshot.objects.filter(computed_at__lt=ends).order_by("-computed_at", "-pk").first(),
    )
