"""The rows the dashboard and the department page are built from: plain, frozen, and only displayed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cco.wording import number
from departments.models import Department
from departments.reach import Reach
from goals.models import CustomerObjective
from goals.outcomes import NO_ROLLUP, Rollup
from scoring.models import AlignmentScore


def change_between(latest, previous) -> Decimal | None:
    if latest is None or previous is None:
        return None
    return Decimal(latest) - Decimal(previous)


@dataclass(frozen=True)
class DepartmentRow:
    department: Department
    reach: Reach
    score: AlignmentScore | None
    previous: Decimal | None  # the score the period began with

    @property
    def change(self) -> Decimal | None:
        return change_between(self.score.score if self.score else None, self.previous)


@dataclass(frozen=True)
class HeatCell:
    objective: CustomerObjective
    supports: Decimal | None  # strongest supporting link of the department's active goals
    conflicts: Decimal | None

    @property
    def state(self) -> str:
        if self.supports and self.conflicts:
            return "mixed"
        if self.supports:
            return "supports"
        if self.conflicts:
            return "conflicts"
        return "none"

    @property
    def label(self) -> str:
        parts = []
        if self.supports:
            parts.append(f"supports, strength {number(self.supports)}")
        if self.conflicts:
            parts.append(f"conflicts, strength {number(self.conflicts)}")
        return " and ".join(parts) or "no link"


@dataclass(frozen=True)
class HeatRow:
    department: Department
    cells: list[HeatCell]


@dataclass(frozen=True)
class ObjectiveColumn:
    objective: CustomerObjective
    supporters: int  # customer-facing departments whose goals support it
    conflicts: int = 0  # links of active goals that conflict with it (any department)
    rollup: Rollup = NO_ROLLUP  # its supporting goals' weighted progress and how many report (goals.outcomes)
    confirmed_supporters: int = 0  # customer-facing departments with a supporting link the CCO confirmed

    @property
    def claimed_only(self) -> bool:
        """Supported only through claims awaiting the CCO: the engine counts it at a reduced credit."""
        return bool(self.supporters) and not self.confirmed_supporters


def objectives_supported(columns: list[ObjectiveColumn]) -> int:
    """How many of the strategy's objectives a customer-facing department supports: the engine's coverage, counted
    from the same link totals it reads. The dashboard and the quarterly review both say "N of M" from this."""
    return sum(1 for column in columns if column.supporters)
