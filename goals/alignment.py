"""The alignment engine: pure functions over plain data. No ORM, no settings lookups.

docs/alignment.md states the formula and a worked example that tests/goals/test_alignment.py
reproduces number by number. Selectors build the inputs (goals/scoring_inputs.py); goals/scoring.py
stores the results.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

SUPPORTS = "supports"
CONFLICTS = "conflicts"
REPORTING_CREDIT = {"direct": 1.0, "dotted": 0.5, "none": 0.0}
UNSIGNED_LEVER_CREDIT = 0.5
REACH_WORDS = {
    "direct": "reports to the CCO directly",
    "dotted": "reaches the CCO only through a dotted line",
    "none": "has no line to the CCO",
}


@dataclass(frozen=True)
class LinkIn:
    objective_id: int
    kind: str  # SUPPORTS or CONFLICTS
    strength: float


@dataclass(frozen=True)
class GoalIn:
    id: int
    title: str
    weight: float
    links: tuple[LinkIn, ...] = ()


@dataclass(frozen=True)
class LeverIn:
    manager: str
    goal_id: int
    share: float  # percent of the manager's variable pay
    signed_off: bool


@dataclass(frozen=True)
class DepartmentIn:
    id: int
    name: str
    customer_facing: bool
    reach: str  # "direct", "dotted" or "none"
    goals: tuple[GoalIn, ...] = ()
    levers: tuple[LeverIn, ...] = ()


@dataclass(frozen=True)
class ObjectiveIn:
    id: int
    title: str
    category: str


@dataclass(frozen=True)
class Weights:
    """Points per component; the positive ones are scaled to sum to 100, conflict is a deduction."""

    linkage: float = 35.0
    shared: float = 15.0
    compensation: float = 30.0
    reporting: float = 20.0
    conflict: float = 30.0
    departments: float = 80.0
    coverage: float = 20.0

    def positive(self) -> dict[str, float]:
        total = self.linkage + self.shared + self.compensation + self.reporting
        if total <= 0:
            raise ValueError("At least one positive alignment weight must be above zero.")
        scale = 100.0 / total
        return {
            "linkage": self.linkage * scale,
            "shared": self.shared * scale,
            "compensation": self.compensation * scale,
            "reporting": self.reporting * scale,
        }


@dataclass(frozen=True)
class Result:
    score: float
    components: dict
    reasons: list[str]
    fingerprint: str = ""


@dataclass(frozen=True)
class OrgInputs:
    departments: tuple[DepartmentIn, ...]
    objectives: tuple[ObjectiveIn, ...]
    weights: Weights = field(default_factory=Weights)


# --- helpers -----------------------------------------------------------------------------------------


def pct(value: float) -> str:
    return f"{round(value * 100):d}%"


def clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return max(low, min(high, value))


def normalised_weights(goals: tuple[GoalIn, ...]) -> dict[int, float]:
    """Each goal's share of the department's total weight; equal shares when every weight is zero."""
    if not goals:
        return {}
    total = sum(max(goal.weight, 0.0) for goal in goals)
    if total <= 0:
        return {goal.id: 1.0 / len(goals) for goal in goals}
    return {goal.id: max(goal.weight, 0.0) / total for goal in goals}


def strongest(goal: GoalIn, kind: str, objective_ids: set[int] | None = None) -> float:
    """The strongest link of one kind from a goal (to objectives in `objective_ids` when given)."""
    strengths = [
        link.strength
        for link in goal.links
        if link.kind == kind and (objective_ids is None or link.objective_id in objective_ids)
    ]
    return max(strengths, default=0.0)


def supported_objectives(departments: tuple[DepartmentIn, ...]) -> dict[int, set[int]]:
    """For each objective id, the ids of the departments with a goal supporting it."""
    supporters: dict[int, set[int]] = {}
    for department in departments:
        for goal in department.goals:
            for link in goal.links:
                if link.kind == SUPPORTS and link.strength > 0:
                    supporters.setdefault(link.objective_id, set()).add(department.id)
    return supporters


# --- department score --------------------------------------------------------------------------------


def score_department(department: DepartmentIn, supporters: dict[int, set[int]], weights: Weights) -> Result:
    """Score one department whose links point only at in-scope objectives (see score_organisation).

    `supporters` says which departments support each in-scope objective.
    """
    points = weights.positive()
    shared_ids = {oid for oid, who in supporters.items() if who - {department.id}}
    shares = normalised_weights(department.goals)

    linkage = sum(shares[g.id] * strongest(g, SUPPORTS) for g in department.goals)
    shared_support = sum(shares[g.id] * strongest(g, SUPPORTS, shared_ids) for g in department.goals)
    shared = shared_support / linkage if linkage > 0 else 0.0
    conflict = sum(shares[g.id] * strongest(g, CONFLICTS) for g in department.goals)
    customer_linked = {g.id for g in department.goals if strongest(g, SUPPORTS) > 0}
    compensation, pay_tied, pay_signed = compensation_alignment(department.levers, customer_linked)
    reporting = REPORTING_CREDIT[department.reach]

    raw = (
        points["linkage"] * linkage
        + points["shared"] * shared
        + points["compensation"] * compensation
        + points["reporting"] * reporting
        - weights.conflict * conflict
    )
    score = round(clamp(raw), 1)
    components = {
        "linkage": {
            "value": round(linkage, 4),
            "points": round(points["linkage"] * linkage, 2),
        },
        "shared": {
            "value": round(shared, 4),
            "points": round(points["shared"] * shared, 2),
        },
        "compensation": {
            "value": round(compensation, 4),
            "points": round(points["compensation"] * compensation, 2),
        },
        "reporting": {
            "value": reporting,
            "points": round(points["reporting"] * reporting, 2),
            "reach": department.reach,
        },
        "conflict": {
            "value": round(conflict, 4),
            "points": round(-weights.conflict * conflict, 2),
        },
    }
    return Result(
        score,
        components,
        department_reasons(department, components, pay_tied, pay_signed),
    )


def compensation_alignment(levers: tuple[LeverIn, ...], customer_linked: set[int]) -> tuple[float, float, float]:
    """Average over managers of the variable pay riding on customer-linked goals (unsigned levers count half).

    Returns (component value, average share of pay tied to customer-linked goals, average share signed off).
    """
    by_manager: dict[str, list[LeverIn]] = {}
    for lever in levers:
        by_manager.setdefault(lever.manager, []).append(lever)
    if not by_manager:
        return 0.0, 0.0, 0.0
    credit = tied = signed = 0.0
    for manager_levers in by_manager.values():
        for lever in manager_levers:
            if lever.goal_id in customer_linked:
                share = min(lever.share, 100.0) / 100.0
                tied += share
                signed += share if lever.signed_off else 0.0
                credit += share * (1.0 if lever.signed_off else UNSIGNED_LEVER_CREDIT)
    managers = len(by_manager)
    return credit / managers, tied / managers, signed / managers


def department_reasons(department: DepartmentIn, components: dict, pay_tied: float, pay_signed: float) -> list[str]:
    """Sentences a department head can check against their own goals and levers."""
    name = department.name
    if not department.goals:
        reasons = [f"{name}: no active goals in the current period, so nothing links it to customer objectives."]
    else:
        linkage = components["linkage"]["value"]
        reasons = [f"{name}: {pct(linkage)} of goal weight supports customer objectives."]
        if linkage > 0:
            reasons.append(
                f"{name}: {pct(components['shared']['value'])} of that support goes to objectives "
                "other departments also support."
            )
        if all(goal.weight <= 0 for goal in department.goals):
            reasons.append(f"{name}: every goal weighs 0, so the goals count equally.")
    if department.levers:
        reasons.append(
            f"{name}: {pct(pay_tied)} of variable pay rides on customer-linked goals, "
            f"{pct(pay_signed)} with the CCO's sign-off."
        )
    else:
        reasons.append(f"{name}: no variable pay is tied to goals.")
    if components["conflict"]["value"] > 0:
        reasons.append(
            f"{name}: {pct(components['conflict']['value'])} of goal weight conflicts with customer objectives "
            f"({components['conflict']['points']:g} points)."
        )
    reasons.append(f"{name} {REACH_WORDS[department.reach]}.")
    if not department.customer_facing:
        reasons.append(f"{name} is not customer-facing, so it does not count toward the organisation score.")
    return reasons


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
    covered = [o for o in inputs.objectives if supporters.get(o.id, set()) & facing_ids]
    coverage = len(covered) / len(inputs.objectives) if inputs.objectives else 0.0
    total = inputs.weights.departments + inputs.weights.coverage
    department_points = inputs.weights.departments / total * 100 if total else 0.0
    coverage_points = inputs.weights.coverage / total * 100 if total else 0.0
    score = round(clamp(department_points * mean / 100 + coverage_points * coverage), 1)

    uncovered = [o for o in inputs.objectives if o not in covered]
    reasons = []
    if facing:
        reasons.append(f"Customer-facing departments average {mean:.1f} out of 100 ({len(facing)} departments).")
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
    else:
        reasons.append("There are no active customer objectives: the CCO has no customer strategy to align to.")
    components = {
        "departments": {
            "value": round(mean / 100, 4),
            "points": round(department_points * mean / 100, 2),
            "count": len(facing),
        },
        "coverage": {
            "value": round(coverage, 4),
            "points": round(coverage_points * coverage, 2),
            "uncovered": [o.id for o in uncovered],
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
    return DepartmentIn(
        department.id,
        department.name,
        department.customer_facing,
        department.reach,
        goals,
        department.levers,
    )


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


def fingerprint_of(*parts) -> str:
    """A stable hash of plain data (dataclasses, lists, dicts, numbers, strings)."""

    def plain(value):
        if hasattr(value, "__dataclass_fields__"):
            return plain(asdict(value))
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
        if isinstance(value, (list, tuple, set, frozenset)):
            items = [plain(v) for v in value]
            return sorted(items, key=json.dumps) if isinstance(value, (set, frozenset)) else items
        return value

    payload = json.dumps(plain(list(parts)), sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()
