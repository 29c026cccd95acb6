"""The alignment engine: pure functions over plain data. No ORM, no settings lookups.

docs/alignment.md states the formula and a worked example that tests/goals/test_alignment.py
reproduces number by number. scoring.selectors builds the inputs; scoring.snapshots stores the results.
"""

from __future__ import annotations

from dataclasses import replace

from cco.fingerprints import digest
from cco.wording import points

from .inputs import POWERS, DepartmentIn, GoalIn, ObjectiveIn, OrgInputs, Result, Support, Weights
from .measures import (
    clamp,
    compensation_alignment,
    customer_linked_goal_ids,
    goal_strengths,
    half_up,
    normalised_weights,
    organisation_support,
    reporting_credit,
    shared_objectives,
    supports_of,
)
from .reasons import department_reasons

# --- department score --------------------------------------------------------------------------------


def score_department(
    department: DepartmentIn, support: dict[int, Support], weights: Weights, *, explained: bool = True
) -> Result:
    """Score one department whose links point only at in-scope objectives (see restrict_links).

    `support` is how the whole organisation supports each in-scope objective; only whether some other department
    supports an objective matters here, so the score and its fingerprint stay linear in the department's size.
    `explained=False` leaves out the reasons and the fingerprint (a third of the time), for a preview that shows
    scores only and stores nothing.
    """
    points = weights.positive()
    shared_ids = shared_objectives(department, support, weights.claim_credit)
    own = supports_of(department)
    shares = normalised_weights(department.goals)

    credit = weights.claim_credit
    strengths = {g.id: goal_strengths(g, shared_ids, credit) for g in department.goals}
    linkage = sum(shares[gid] * s[0] for gid, s in strengths.items())
    confirmed_linkage = sum(shares[gid] * s[1] for gid, s in strengths.items())
    shared_support = sum(shares[gid] * s[2] for gid, s in strengths.items())
    claimed_linkage = sum(shares[gid] * s[3] for gid, s in strengths.items())  # claims at face value
    shared = shared_support / claimed_linkage if claimed_linkage > 0 else 0.0
    conflict = sum(shares[gid] * s[4] for gid, s in strengths.items())
    customer_linked = customer_linked_goal_ids(
        (g.id, link.kind, link.strength) for g in department.goals for link in g.links
    )
    confirmed_goals = {gid for gid, s in strengths.items() if s[1] > 0}
    goal_credit = {gid: 1.0 if gid in confirmed_goals else credit for gid in customer_linked}
    compensation, pay_tied, pay_signed = compensation_alignment(department.levers, goal_credit, department.heads)
    reporting = reporting_credit(department.reach, department.powers)

    raw = (
        points["linkage"] * linkage
        + points["shared"] * shared
        + points["compensation"] * compensation
        + points["reporting"] * reporting
        - weights.conflict * conflict
    )
    score = half_up(clamp(raw), 1)
    components = {
        "linkage": {
            "value": half_up(linkage, 4),
            "points": half_up(points["linkage"] * linkage, 2),
            "confirmed_points": half_up(points["linkage"] * confirmed_linkage, 2),
            "claimed_points": half_up(points["linkage"] * (linkage - confirmed_linkage), 2),
        },
        "shared": {
            "value": half_up(shared, 4),
            "points": half_up(points["shared"] * shared, 2),
            "through_claims": sum(1 for oid, c in shared_ids.items() if oid in own and c < 1.0),
        },
        "compensation": {
            "value": half_up(compensation, 4),
            "points": half_up(points["compensation"] * compensation, 2),
        },
        "reporting": {
            "value": half_up(reporting, 4),
            "points": half_up(points["reporting"] * reporting, 2),
            "reach": department.reach,
            "powers": [power for power in POWERS if power in department.powers and department.reach != "none"],
        },
        "conflict": {
            "value": half_up(conflict, 4),
            "points": half_up(-weights.conflict * conflict, 2),
        },
    }
    if not explained:
        return Result(score, components, [])
    return Result(
        score,
        components,
        department_reasons(department, components, pay_tied, pay_signed),
        digest(
            _department_key(department),
            sorted((oid, credit) for oid, credit in shared_ids.items() if oid in own),
            _weights_key(weights),
        ),
    )


# --- organisation score ------------------------------------------------------------------------------


def score_departments(inputs: OrgInputs) -> dict[int, Result]:
    """Score the departments of `inputs` ({department id: result}); with `inputs.support` given they may be only
    the ones being rescored, the rest of the organisation standing behind the support counts."""
    objective_ids = {objective.id for objective in inputs.objectives}
    departments = tuple(restrict_links(d, objective_ids) for d in inputs.departments)
    support = inputs.support if inputs.support is not None else organisation_support(departments, objective_ids)
    return {d.id: score_department(d, support, inputs.weights) for d in departments}


def score_organisation(inputs: OrgInputs) -> tuple[Result, dict[int, Result]]:
    """Score every department and the organisation from the whole organisation's inputs; returns
    (organisation, {department id: result})."""
    objective_ids = {objective.id for objective in inputs.objectives}
    departments = tuple(restrict_links(d, objective_ids) for d in inputs.departments)
    support = organisation_support(departments, objective_ids)
    results = {d.id: score_department(d, support, inputs.weights) for d in departments}
    facing = [(d.id, d.name, results[d.id].score) for d in departments if d.customer_facing]
    return organisation_result(facing, inputs.objectives, support, inputs.weights), results


def organisation_result(
    facing: list[tuple[int, str, float]],
    objectives: tuple[ObjectiveIn, ...],
    support: dict[int, Support],
    weights: Weights,
) -> Result:
    """The organisation's score from its customer-facing departments' scores, (id, name, score), and how the
    strategy's objectives are supported. Its fingerprint is exactly these inputs."""
    mean = sum(score for _, _, score in facing) / len(facing) if facing else 0.0
    covered = [o for o in objectives if o.id in support and support[o.id].facing]
    claimed_only = [o for o in covered if not support[o.id].confirmed_facing]
    credit = len(covered) - len(claimed_only) + weights.claim_credit * len(claimed_only)
    coverage = credit / len(objectives) if objectives else 0.0
    total = weights.departments + weights.coverage
    department_points = weights.departments / total * 100 if total else 0.0
    coverage_points = weights.coverage / total * 100 if total else 0.0
    score = half_up(clamp(department_points * mean / 100 + coverage_points * coverage), 1)

    uncovered = [o for o in objectives if o not in covered]
    reasons = []
    if facing:
        reasons.append(
            f"Customer-facing departments average {half_up(mean, 1):.1f} out of 100 ({len(facing)} departments)."
        )
        _, weakest_name, weakest_score = min(facing, key=lambda row: (row[2], row[0]))
        reasons.append(f"Weakest: {weakest_name} at {points(weakest_score)}.")
    else:
        reasons.append("No customer-facing departments are defined, so none can align.")
    if objectives:
        reasons.append(
            f"{len(covered)} of {len(objectives)} customer objectives are supported by a customer-facing department."
        )
        reasons.extend(f"No customer-facing department supports “{o.title}”." for o in uncovered)
        reasons.extend(
            f"“{o.title}” is supported only by links the CCO has not confirmed yet, so it counts at a reduced credit."
            for o in claimed_only
        )
    else:
        reasons.append("There are no active customer objectives: the CCO has no customer strategy to align to.")
    components = {
        "departments": {
            "value": half_up(mean / 100, 4),
            "points": half_up(department_points * mean / 100, 2),
            "count": len(facing),
        },
        "coverage": {
            "value": half_up(coverage, 4),
            "points": half_up(coverage_points * coverage, 2),
            "uncovered": [o.id for o in uncovered],
            "claimed_only": [o.id for o in claimed_only],
        },
    }
    fingerprint = digest(
        sorted(facing),
        [(o.id, o.title, o.category) for o in objectives],
        [(o.id, o in covered, o in claimed_only) for o in objectives],
        _weights_key(weights),
    )
    return Result(score, components, reasons, fingerprint)


def restrict_links(department: DepartmentIn, objective_ids: set[int]) -> DepartmentIn:
    """Drop links to objectives outside the strategy (inactive or of another period)."""
    goals = tuple(
        GoalIn(
            g.id,
            g.title,
            g.weight,
            tuple(link for link in g.links if link.objective_id in objective_ids),
        )
        for g in department.goals
    )
    return replace(department, goals=goals)


def _goal_key(goal: GoalIn) -> tuple:
    return (goal.id, goal.title, goal.weight, [(k.objective_id, k.kind, k.strength, k.confirmed) for k in goal.links])


def _department_key(department: DepartmentIn) -> tuple:
    """Everything a department's score and reasons depend on, as plain JSON-able values (fast to hash)."""
    return (
        department.id,
        department.name,
        department.customer_facing,
        department.reach,
        list(department.powers),
        [_goal_key(g) for g in department.goals],
        [(v.manager, v.goal_id, v.share, v.signed_off) for v in department.levers],
        [_goal_key(g) for g in department.vetoed],
        list(department.heads),
    )


def _weights_key(weights: Weights) -> tuple:
    return tuple(getattr(weights, name) for name in weights.__dataclass_fields__)
