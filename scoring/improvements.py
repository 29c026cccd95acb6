"""Changing an organisation's inputs in memory and scoring the result: previews and suggestions, no ORM.

Built on the engine (scoring.engine); scoring.whatif feeds it the stored inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .engine import organisation_result, restrict_links, score_department
from .inputs import CONFLICTS, POWERS, SUPPORTS, DepartmentIn, GoalIn, LeverIn, LinkIn, OrgInputs, Result, Support
from .measures import half_up, organisation_support, strongest, support_with, supports_of

Scored = tuple[Result, dict[int, Result]]  # the organisation's result and each department's, by id


def rescore(inputs: OrgInputs, department_id: int, changed: DepartmentIn) -> tuple[Result, Result]:
    """The department's result as it is and with its inputs replaced by `changed`; only that department is scored,
    against the rest of the organisation's support (adjusted for the change), so a preview costs the same in an
    organisation of 20 departments or 2,000."""
    objective_ids = {objective.id for objective in inputs.objectives}
    current = restrict_links(next(d for d in inputs.departments if d.id == department_id), objective_ids)
    changed = restrict_links(changed, objective_ids)
    support = _support(inputs, objective_ids)
    before = score_department(current, support, inputs.weights)
    after = score_department(changed, support_with(support, current, changed), inputs.weights)
    return before, after


def score_before_and_after(before: OrgInputs, after: OrgInputs, *, explained: bool = True) -> tuple[Scored, Scored]:
    """Score the whole organisation as it is (`before`) and as a change leaves it (`after`), scoring each department
    once unless the change moves its score: a department given in `after` as the very same DepartmentIn object as in
    `before` keeps its result unless the support of an objective it supports moved (how many departments support
    it, or confirmed it: all that its shared-objectives component reads of the others). So previewing a change to a
    few departments of 2,000 costs one scoring of the organisation, not two. Both are scored with `before`'s
    weights; the same department ids in both. `explained=False`: the departments' scores only, without their
    reasons and fingerprints (engine.score_department)."""
    weights = before.weights
    before_ids, after_ids = {o.id for o in before.objectives}, {o.id for o in after.objectives}
    restricted = {d.id: restrict_links(d, before_ids) for d in before.departments}
    support = organisation_support(restricted.values(), before_ids)
    results = {
        key: score_department(department, support, weights, explained=explained)
        for key, department in restricted.items()
    }
    was = {d.id: d for d in before.departments}
    kept = {d.id for d in after.departments if was.get(d.id) is d and not _links_to(d, before_ids ^ after_ids)}
    now = {d.id: restricted[d.id] if d.id in kept else restrict_links(d, after_ids) for d in after.departments}
    support_after = organisation_support(now.values(), after_ids)
    moved = {
        oid for oid in support.keys() | support_after.keys() if _counts(support, oid) != _counts(support_after, oid)
    }
    rescored = {
        key: results[key]
        if key in kept and not supports_of(department) & moved
        else score_department(department, support_after, weights, explained=explained)
        for key, department in now.items()
    }
    return (
        (_organisation(before.departments, results, before, support), results),
        (_organisation(after.departments, rescored, after, support_after), rescored),
    )


def _links_to(department: DepartmentIn, objective_ids: set[int]) -> bool:
    return any(link.objective_id in objective_ids for goal in department.goals for link in goal.links)


def _counts(support: dict[int, Support], objective_id: int) -> tuple[int, int]:
    counts = support.get(objective_id)
    return (counts.departments, counts.confirmed) if counts else (0, 0)


def _organisation(departments, results: dict[int, Result], inputs: OrgInputs, support: dict[int, Support]) -> Result:
    facing = [(d.id, d.name, results[d.id].score) for d in departments if d.customer_facing]
    return organisation_result(facing, inputs.objectives, support, inputs.weights)


def _support(inputs: OrgInputs, objective_ids: set[int]) -> dict[int, Support]:
    if inputs.support is not None:
        return inputs.support
    restricted = (restrict_links(d, objective_ids) for d in inputs.departments)
    return organisation_support(restricted, objective_ids)


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
    """The single changes that would raise a department's score most, each scored with the same engine (only the
    department is rescored, see rescore). `inputs` holds the department, and the organisation or its support."""
    department = next(d for d in inputs.departments if d.id == department_id)
    objectives = {o.id: o for o in inputs.objectives}
    support = _support(inputs, set(objectives))
    own = supports_of(department)

    def others(oid: int) -> int:
        return support[oid].departments - (oid in own) if oid in support else 0

    shared_first = sorted(objectives, key=lambda oid: (-others(oid), oid))
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
        before, after = rescore(inputs, department_id, changed)
        gain = half_up(after.score - before.score, 1)
        if gain > 0:
            suggestions.append(Suggestion(text, gain))
    return sorted(suggestions, key=lambda s: -s.gain)[:limit]
