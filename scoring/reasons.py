"""The sentences under a department's score: what each component measured, said so a head can check it."""

from __future__ import annotations

from cco.wording import as_percent, points
from departments.reach import NO_AUTHORITY, authority_labels

from .inputs import CONFLICTS, REACH_WORDS, SUPPORTS, DepartmentIn
from .measures import strongest


def department_reasons(department: DepartmentIn, components: dict, pay_tied: float, pay_signed: float) -> list[str]:
    """Sentences a department head can check against their own goals and levers."""
    name = department.name
    if not department.goals:
        reasons = [f"{name}: no active goals in the current period, so nothing links it to customer objectives."]
    else:
        linkage = components["linkage"]["value"]
        reasons = [f"{name}: {as_percent(linkage)} of goal weight supports customer objectives."]
        claimed = components["linkage"]["claimed_points"]
        if claimed > 0:
            reasons.append(
                f"{name}: {points(claimed)} of the {points(components['linkage']['points'])} support points come from "
                "links the CCO has not confirmed yet (a claim counts at a reduced credit until the CCO reviews it)."
            )
        if linkage > 0:
            reasons.append(
                f"{name}: {as_percent(components['shared']['value'])} of that support goes to objectives "
                "other departments also support."
            )
        through_claims = components["shared"].get("through_claims", 0)
        if through_claims:
            reasons.append(
                f"{name}: {through_claims} of the objectives it supports {'is' if through_claims == 1 else 'are'} "
                "shared only through other departments' claims the CCO has not confirmed, which count at a reduced "
                "credit."
            )
        if all(goal.weight <= 0 for goal in department.goals):
            reasons.append(f"{name}: every goal weighs 0, so the goals count equally.")
    if department.levers:
        reasons.append(
            f"{name}: {as_percent(pay_tied)} of variable pay rides on customer-linked goals, "
            f"{as_percent(pay_signed)} with the CCO's sign-off."
        )
        paid = {lever.manager for lever in department.levers}
        unpaid = sum(1 for head in department.heads if head not in paid)
        if unpaid:
            reasons.append(
                f"{name}: {unpaid} of its {len(department.heads)} heads {'has' if unpaid == 1 else 'have'} no "
                "variable pay tied to its goals, which counts as none tied to the customer."
            )
    else:
        reasons.append(f"{name}: no variable pay is tied to goals.")
    if components["conflict"]["value"] > 0:
        reasons.append(
            f"{name}: {as_percent(components['conflict']['value'])} of goal weight conflicts with customer objectives "
            f"({points(components['conflict']['points'])} points)."
        )
    reasons.extend(_veto_reasons(department))
    reasons.append(_line_reason(department))
    if not department.customer_facing:
        reasons.append(f"{name} is not customer-facing, so it does not count toward the organisation score.")
    return reasons


def _line_reason(department: DepartmentIn) -> str:
    """How the department reaches the CCO and what the line lets the CCO do (the reporting points follow it)."""
    sentence = f"{department.name} {REACH_WORDS[department.reach]}"
    if department.reach == "none":
        return sentence + "."
    given = authority_labels(department.powers)
    if not given:
        return sentence + f"; the CCO's authority through the line: {NO_AUTHORITY}."
    return sentence + "; the CCO's authority through the line: " + _and(given) + "."


def _veto_reasons(department: DepartmentIn) -> list[str]:
    """What each of the CCO's vetoes changed: the goal stopped counting, with its support or its conflict."""
    reasons = []
    for goal in department.vetoed:
        effect = ""
        if strongest(goal, CONFLICTS) > 0:
            effect = "; its conflict with customer objectives no longer lowers the score"
        elif strongest(goal, SUPPORTS) > 0:
            effect = "; its support for customer objectives no longer counts"
        reasons.append(
            f"{department.name}: the CCO vetoed “{goal.title}”, so it does not count until the CCO approves it{effect}."
        )
    return reasons


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
