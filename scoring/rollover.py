"""The organisation score a roll-over will give, before it runs: the same engine over the carried state.

goals.rollover says what will be carried; this builds the engine's inputs for the target period as it will be once
the roll-over has run and the target is the current period, and scores them. Nothing is saved.
"""

from __future__ import annotations

from dataclasses import replace

from goals.models import LinkReview, Period
from goals.rollover import RollOverPlan

from .engine import score_organisation
from .inputs import GoalIn, LeverIn, LinkIn, ObjectiveIn, OrgInputs
from .selectors import scoring_inputs


def period_organisation_score(period: Period) -> float:
    """What the organisation scores against `period`'s objectives and goals now (whether or not it is current)."""
    organisation, _ = score_organisation(scoring_inputs(period=period))
    return organisation.score


def rolled_over_inputs(plan: RollOverPlan) -> OrgInputs:
    """The engine's inputs for `plan.target` after the roll-over: what the target already holds, plus the carried
    objectives and goals. Links keep their review only where the plan says so (a claim again otherwise; rejected
    links count nothing, as scoring_inputs leaves them out), levers keep their sign-off likewise.

    Departments (reach, powers) come from scoring_inputs(period=source); with nothing in the target and nothing
    left out, these inputs are the source period's own, so the preview equals what the source scores now."""
    source = scoring_inputs(period=plan.source)
    target = scoring_inputs(period=plan.target, weights=source.weights)
    objectives = {o.id: o for o in target.objectives}
    carried_ids: dict[int, int] = {}  # source objective id → the id it has in the target (a stand-in when created)
    for carry in plan.objectives:
        if carry.existing is None:
            objectives[carry.source.pk] = ObjectiveIn(carry.source.pk, carry.source.title, carry.source.category)
        carried_ids[carry.source.pk] = carry.existing.pk if carry.existing else carry.source.pk
    goals: dict[int, list[GoalIn]] = {}
    levers: dict[int, list[LeverIn]] = {}
    for carry in plan.goals:
        links = tuple(
            LinkIn(
                carried_ids[link.link.objective_id],
                link.link.kind,
                float(link.link.strength),
                confirmed=link.keeps_review and link.link.review == LinkReview.CONFIRMED,
            )
            for link in carry.links
            if not (link.keeps_review and link.link.review == LinkReview.REJECTED)
        )
        goal = carry.goal
        goals.setdefault(goal.department_id, []).append(GoalIn(goal.pk, goal.title, float(goal.weight), links))
        levers.setdefault(goal.department_id, []).extend(
            LeverIn(lever.manager.username, goal.pk, float(lever.share), carry.unchanged and lever.signed_off)
            for lever in carry.levers
        )
    held = {department.id: department for department in target.departments}
    departments = tuple(
        replace(
            department,
            goals=(*held[department.id].goals, *goals.get(department.id, ())),
            levers=(*held[department.id].levers, *levers.get(department.id, ())),
            vetoed=held[department.id].vetoed,
        )
        for department in source.departments
        if department.id in held
    )
    return OrgInputs(departments=departments, objectives=tuple(objectives.values()), weights=source.weights)


def preview_roll_over(plan: RollOverPlan) -> float:
    """The organisation score the target period will have once rolled over and made current."""
    organisation, _ = score_organisation(rolled_over_inputs(plan))
    return organisation.score
