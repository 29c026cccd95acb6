"""The alignment engine: pure functions over plain data. No ORM, no settings lookups.

docs/alignment.md states the formula and a worked example that tests/goals/test_alignment.py
reproduces number by number. scoring.selectors builds the inputs; scoring.snapshots stores the results.
"""

from __future__ import annotations

from dataclasses import replace

from cco.fingerprints import fingerprint_of

from .inputs import CONFLICTS, POWERS, SUPPORTS, DepartmentIn, GoalIn, OrgInputs, Result, Weights
from .measures import (
    clamp,
    compensation_alignment,
    customer_linked_goal_ids,
    half_up,
    normalised_weights,
    reporting_credit,
    strongest,
    supported_objectives,
)
from .reasons import department_reasons

# --- department score --------------------------------------------------------------------------------


def score_department(department: DepartmentIn, supporters: dict[int, set[int]], weights: Weights) -> Result:
    """Score one department whose links point only at in-scope objectives (see score_organisation).

    `supporters` says which departments support each in-scope objective.
    """
    points = weights.positive()
    shared_ids = {oid for oid, who in supporters.items() if who - {department.id}}
    shares = normalised_weights(department.goals)

    credit = weights.claim_credit
    linkage = sum(shares[g.id] * strongest(g, SUPPORTS, claim_credit=credit) for g in department.goals)
    confirmed_linkage = sum(shares[g.id] * strongest(g, SUPPORTS, confirmed_only=True) for g in department.goals)
    shared_support = sum(
        shares[g.id] * strongest(g, SUPPORTS, shared_ids, claim_credit=credit) for g in department.goals
    )
    claimed_linkage = sum(shares[g.id] * strongest(g, SUPPORTS) for g in department.goals)  # claims at face value
    shared = shared_support / claimed_linkage if claimed_linkage > 0 else 0.0
    conflict = sum(shares[g.id] * strongest(g, CONFLICTS) for g in department.goals)
    customer_linked = customer_linked_goal_ids(
        (g.id, link.kind, link.strength) for g in department.goals for link in g.links
    )
    confirmed_goals = {g.id for g in department.goals if strongest(g, SUPPORTS, confirmed_only=True) > 0}
    goal_credit = {gid: 1.0 if gid in confirmed_goals else credit for gid in customer_linked}
    compensation, pay_tied, pay_signed = compensation_alignment(department.levers, goal_credit)
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
    return Result(
        score,
        components,
        department_reasons(department, components, pay_tied, pay_signed),
    )


# --- organisation score ------------------------------------------------------------------------------


def score_organisation(inputs: OrgInputs) -> tuple[Result, dict[int, Result]]:
    """Score every department and the organisation; returns (organisation, {department id: result})."""
    objective_ids = {objective.id for objective in inputs.objectives}
    supporters = {oid: who for oid, who in supported_objectives(inputs.departments).items() if oid in objective_ids}
    departments = tuple(_restrict_links(d, objective_ids) for d in inputs.departments)
    results = {
        d.id: _fingerprinted(
            score_department(d, supporters, inputs.weights),
            d,
            supporters,
            inputs.weights,
        )
        for d in departments
    }

    facing = [d for d in departments if d.customer_facing]
    mean = sum(results[d.id].score for d in facing) / len(facing) if facing else 0.0
    facing_ids = {d.id for d in facing}
    confirmed = supported_objectives(departments, confirmed_only=True)
    covered = [o for o in inputs.objectives if supporters.get(o.id, set()) & facing_ids]
    claimed_only = [o for o in covered if not confirmed.get(o.id, set()) & facing_ids]
    credit = len(covered) - len(claimed_only) + inputs.weights.claim_credit * len(claimed_only)
    coverage = credit / len(inputs.objectives) if inputs.objectives else 0.0
    total = inputs.weights.departments + inputs.weights.coverage
    department_points = inputs.weights.departments / total * 100 if total else 0.0
    coverage_points = inputs.weights.coverage / total * 100 if total else 0.0
    score = half_up(clamp(department_points * mean / 100 + coverage_points * coverage), 1)

    uncovered = [o for o in inputs.objectives if o not in covered]
    reasons = []
    if facing:
        reasons.append(
            f"Customer-facing departments average {half_up(mean, 1):.1f} out of 100 ({len(facing)} departments)."
        )
        weakest = min(facing, key=lambda d: results[d.id].score)
        reasons.append(f"Weakest: {weakest.name} at {results[weakest.id].score:g}.")
    else:
        reasons.append("No customer-facing departments are defined, so none can align.")
    if inputs.objectives:
        reasons.append(
            f"{len(covered)} of {len(inputs.objectives)} customer objectives are supported by a "
            "customer-facing department."
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
    fingerprint = fingerprint_of(
        [results[d.id].fingerprint for d in departments],
        inputs.objectives,
        inputs.weights,
    )
    return Result(score, components, reasons, fingerprint), results


def _restrict_links(department: DepartmentIn, objective_ids: set[int]) -> DepartmentIn:
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


def _fingerprinted(
    result: Result,
    department: DepartmentIn,
    supporters: dict[int, set[int]],
    weights: Weights,
):
    """Attach the fingerprint of everything the department's score depends on."""
    linked = {link.objective_id for g in department.goals for link in g.links}
    others = {oid: sorted(who - {department.id}) for oid, who in supporters.items() if oid in linked}
    return Result(
        result.score,
        result.components,
        result.reasons,
        fingerprint_of(department, sorted(others.items()), weights),
    )
