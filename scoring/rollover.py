"""The organisation score a roll-over will give, before it runs: the same engine over the carried state.

goals.rollover says what will be carried; this builds the engine's inputs for the target period as it will be once
the roll-over has run and the target is the current period, and scores them beside the source period as it is now.
Nothing is saved. The source is read once (scoring_inputs) and scored once: the carried state differs from it only
in the departments the plan says lose something, hold goals in the target already, or had goals skipped, so only
those (and the supporters of objectives whose support moves) are scored again (improvements.score_before_and_after).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from goals.models import Period
from goals.rollover import RollOverPlan

from .engine import score_organisation
from .improvements import score_before_and_after
from .inputs import DepartmentIn, GoalIn, LinkIn, ObjectiveIn, OrgInputs
from .selectors import scoring_inputs


@dataclass(frozen=True)
class RollOverPreview:
    before: float  # the organisation's score against the source period now
    after: float  # against the target once rolled over and made current
    departments: dict[int, tuple[float, float]]  # each department's score now and after, by id


def period_organisation_score(period: Period) -> float:
    """What the organisation scores against `period`'s objectives and goals now (whether or not it is current)."""
    organisation, _ = score_organisation(scoring_inputs(period=period))
    return organisation.score


def roll_over_preview(plan: RollOverPlan) -> RollOverPreview:
    """The organisation's score now and once rolled over, and each department's, scoring the organisation once."""
    source = scoring_inputs(period=plan.source)
    (before, was), (after, now) = score_before_and_after(source, rolled_over_inputs(plan, source), explained=False)
    return RollOverPreview(before.score, after.score, {key: (was[key].score, now[key].score) for key in was})


def preview_roll_over(plan: RollOverPlan) -> float:
    """The organisation score the target period will have once rolled over and made current."""
    return roll_over_preview(plan).after


def rolled_over_inputs(plan: RollOverPlan, source: OrgInputs | None = None) -> OrgInputs:
    """The engine's inputs for `plan.target` after the roll-over: what the target already holds, plus the carried
    objectives and goals. Links keep their review only where the plan says so (a claim again otherwise; rejected
    links count nothing, as scoring_inputs leaves them out), levers keep their sign-off likewise.

    Built from the source period's inputs (`source`, read when not given): departments (reach, powers, heads) as they
    are, and each carried goal, link and lever from them. A carried objective keeps the source's id here (it stands
    for the target's objective of the same title, created or reused), so a department the roll-over leaves as it
    is comes back as the very same object: with nothing in the target and nothing left out, these inputs are the
    source period's own, and the preview equals what the source scores now."""
    source = source if source is not None else scoring_inputs(period=plan.source)
    held = scoring_inputs(
        period=plan.target, weights=source.weights, departments=plan.target_departments, support={}
    )  # the target's goals and levers, of the departments holding any
    reused = {carry.existing.pk: carry.source.pk for carry in plan.objectives if carry.existing is not None}
    objectives = [
        ObjectiveIn(carry.source.pk, carry.source.title, (carry.existing or carry.source).category)
        for carry in plan.objectives
    ]
    objectives += [o for o in held.objectives if o.id not in reused]
    held_in = {d.id: _as_carried(d, reused) for d in held.departments}
    changed = {d.id for d in plan.departments if d.loses_something or d.goals_skipped} | set(held_in)
    claims: dict[int, list[LinkIn]] = {}
    for goal_id, objective_id, kind, strength in plan.claims_again:
        claims.setdefault(goal_id, []).append(LinkIn(objective_id, kind, strength, confirmed=False))
    departments = tuple(
        _rolled(department, plan, held_in.get(department.id), claims) if department.id in changed else department
        for department in source.departments
    )
    return OrgInputs(departments=departments, objectives=tuple(objectives), weights=source.weights)


def _as_carried(department: DepartmentIn, reused: dict[int, int]) -> DepartmentIn:
    """The target's own goals, their links to a reused objective named by the source's id as the carried ones are."""
    goals = tuple(
        replace(goal, links=tuple(replace(link, objective_id=reused.get(link.objective_id, link.objective_id))
                                  for link in goal.links))
        for goal in department.goals
    )  # fmt: skip
    return replace(department, goals=goals)


def _rolled(
    department: DepartmentIn, plan: RollOverPlan, held: DepartmentIn | None, claims: dict[int, list[LinkIn]]
) -> DepartmentIn:
    """One department as the roll-over leaves it in the target (`claims`: rejected links arriving as claims)."""
    carried, unchanged = plan.carried_ids, plan.unchanged_ids
    goals = tuple(
        GoalIn(
            goal.id,
            goal.title,
            goal.weight,
            tuple(
                replace(link, confirmed=link.confirmed and link.objective_id in unchanged)
                for link in goal.links
                if link.objective_id in carried
            )
            + tuple(claims.get(goal.id, ())),
        )
        for goal in department.goals
        if goal.id not in plan.skipped_goal_ids
    )
    goal_ids = {goal.id for goal in goals}
    levers = tuple(
        replace(lever, signed_off=lever.signed_off and lever.goal_id not in plan.withdrawn_sign_off_goal_ids)
        for lever in department.levers
        if lever.goal_id in goal_ids and lever.manager in department.heads
    )
    return replace(
        department,
        goals=(*(held.goals if held else ()), *goals),
        levers=(*(held.levers if held else ()), *levers),
        vetoed=held.vetoed if held else (),
    )
