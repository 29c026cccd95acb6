"""Previewing a goal change's effect on the department's score with the same engine; nothing is saved."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from departments.models import Department
from goals.models import GoalStatus
from goals.selectors import current_period

from .improvements import rescore, with_goal
from .inputs import GoalIn, LinkIn, Result
from .measures import half_up
from .selectors import kept_organisation_support, scoring_inputs

NEW_GOAL_ID = -1


@dataclass(frozen=True)
class Preview:
    before: Result
    after: Result

    @property
    def change(self) -> float:
        return half_up(self.after.score - self.before.score, 1)


def preview_goal_change(
    *,
    department: Department,
    goal_id: int | None,
    title: str,
    weight: Decimal,
    status: str,
    period_id: int | None,
    links: list[tuple[int, str, Decimal]],
) -> Preview:
    """Score the department as it is and as it would be with this goal saved (new when goal_id is None).

    Goals that would not count (archived, draft, or of another period) are previewed as removed.
    """
    period = current_period()
    inputs = scoring_inputs(period=period, departments={department.pk}, support=kept_organisation_support(period))
    current = next(d for d in inputs.departments if d.id == department.pk)
    counts = status == GoalStatus.ACTIVE and period is not None and period_id == period.pk
    stored = {link.objective_id: link for g in current.goals if g.id == goal_id for link in g.links}
    goal = None
    if counts:
        goal = GoalIn(
            goal_id or NEW_GOAL_ID,
            title,
            float(weight or 0),
            tuple(
                _previewed(stored.get(objective_id), objective_id, kind, strength)
                for objective_id, kind, strength in links
            ),
        )
    before, after = rescore(inputs, department.pk, with_goal(current, goal, remove_id=goal_id))
    return Preview(before=before, after=after)


def _previewed(stored: LinkIn | None, objective_id: int, kind: str, strength: Decimal) -> LinkIn:
    """A link as saving it would leave it: a confirmed link kept as it is stays confirmed; anything new or
    changed becomes a claim (goals.services does the same when it saves)."""
    unchanged = stored is not None and stored.kind == kind and stored.strength == float(strength)
    return LinkIn(objective_id, kind, float(strength), confirmed=unchanged and stored.confirmed)
