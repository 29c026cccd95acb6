"""Changing an organisation's inputs in memory and scoring the result: previews and suggestions, no ORM.

Built on the engine (scoring.engine); scoring.whatif feeds it the stored inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .engine import score_organisation
from .inputs import CONFLICTS, POWERS, SUPPORTS, DepartmentIn, GoalIn, LeverIn, LinkIn, OrgInputs
from .measures import half_up, strongest, supported_objectives


def with_department(inputs: OrgInputs, department: DepartmentIn) -> OrgInputs:
    """The same organisation with one department's inputs replaced (used for previews; nothing is saved)."""
    departments = tuple(department if d.id == department.id else d for d in inputs.departments)
    return OrgInputs(departments=departments, objectives=inputs.objectives, weights=inputs.weights)


def with_goal(department: DepartmentIn, goal: GoalIn | None, *, remove_id: int | None = None) -> DepartmentIn:
    """The department with `goal` added or replacing the goal of the same id (or `remove_id` dropped)."""
    goals = [g for g in department.goals if g.id not in {remove_id, goal.id if goal else None}]
    if goal is not None:
        goals.append(goal)
    return replace(department, goals=tuple(goals))


@dataclass(frozen=True)
class Suggestion:
    text: str
    gain: float  # points the department's score would rise by


def suggest_improvements(inputs: OrgInputs, department_id: int, *, limit: int = 3) -> list[Suggestion]:
    """The single changes that would raise a department's score most, each scored with the same engine."""
    _, before = score_organisation(inputs)
    department = next(d for d in inputs.departments if d.id == department_id)
    base = before[department_id].score
    objectives = {o.id: o for o in inputs.objectives}
    supporters = supported_objectives(inputs.departments)
    shared_first = sorted(objectives, key=lambda oid: (-len(supporters.get(oid, set()) - {department_id}), oid))
    candidates: list[tuple[str, DepartmentIn]] = []
    for goal in department.goals:
        if strongest(goal, CONFLICTS) > 0:
            links = tuple(link for link in goal.links if link.kind != CONFLICTS)
            candidates.append(
                (
                    f"Rework “{goal.title}” so it no longer conflicts with customer objectives",
                    with_goal(department, replace(goal, links=links)),
                )
            )
        if not goal.links and shared_first:  # an internal goal that could serve a shared objective
            target = objectives[shared_first[0]]
            links = (*goal.links, LinkIn(target.id, SUPPORTS, 1.0, confirmed=False))
            candidates.append(
                (
                    f"Link “{goal.title}” to “{target.title}” (it counts in full once the CCO confirms it)",
                    with_goal(department, replace(goal, links=links)),
                )
            )
    if any(not link.confirmed for goal in department.goals for link in goal.links if link.kind == SUPPORTS):
        goals = tuple(
            replace(goal, links=tuple(replace(link, confirmed=True) for link in goal.links))
            for goal in department.goals
        )
        candidates.append(("Ask the CCO to review the links awaiting confirmation", replace(department, goals=goals)))
    unsigned = tuple(replace(lever, signed_off=True) for lever in department.levers)
    if any(not lever.signed_off for lever in department.levers):
        candidates.append(("Get the CCO's sign-off on the department's levers", replace(department, levers=unsigned)))
    linked = [g for g in department.goals if strongest(g, SUPPORTS) > 0]
    if linked and not department.levers:
        best = max(linked, key=lambda g: strongest(g, SUPPORTS))
        lever = LeverIn("the head", best.id, 30.0, True)
        candidates.append(
            (
                f"Tie 30% of the head's variable pay to “{best.title}”, signed off by the CCO",
                replace(department, levers=(lever,)),
            )
        )
    if department.reach != "direct" or set(POWERS) - set(department.powers):
        candidates.append(
            (
                "Give the department a direct line to the CCO that lets the CCO set its goals, sign off its pay "
                "and veto",
                replace(department, reach="direct", powers=POWERS),
            )
        )
    suggestions = []
    for text, changed in candidates:
        _, after = score_organisation(with_department(inputs, changed))
        gain = half_up(after[department_id].score - base, 1)
        if gain > 0:
            suggestions.append(Suggestion(text, gain))
    return sorted(suggestions, key=lambda s: -s.gain)[:limit]
