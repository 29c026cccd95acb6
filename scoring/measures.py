"""The measures the alignment engine combines, each a pure function over scoring.inputs: link credit, goal
weight shares, pay tied to customer-linked goals, the line's credit, and half-up rounding of the stored values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from .inputs import (
    CONFLICTS,
    LINE_CREDIT,
    POWERS,
    SUPPORTS,
    UNSIGNED_LEVER_CREDIT,
    DepartmentIn,
    GoalIn,
    LeverIn,
    LinkIn,
    Support,
)


def half_up(value: float, places: int) -> float:
    """`value` rounded half away from zero to `places` decimals, in Decimal (36.25 → 36.3, not Python's 36.2).

    The float's shortest representation is what is rounded, so what a person reads is what rounds."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return max(low, min(high, value))


def customer_linked_goal_ids(links: Iterable[tuple[int, str, float | Decimal]]) -> set[int]:
    """The goals a lever should ride on: those with a supporting link, stronger than 0, to an objective of the
    strategy. `links` are (goal id, kind, strength) of links to the strategy's objectives only. The engine, the
    dashboard and the department page all decide "customer-linked" here."""
    return {goal_id for goal_id, kind, strength in links if kind == SUPPORTS and strength > 0}


def normalised_weights(goals: tuple[GoalIn, ...]) -> dict[int, float]:
    """Each goal's share of the department's total weight; equal shares when every weight is zero."""
    if not goals:
        return {}
    total = sum(max(goal.weight, 0.0) for goal in goals)
    if total <= 0:
        return {goal.id: 1.0 / len(goals) for goal in goals}
    return {goal.id: max(goal.weight, 0.0) / total for goal in goals}


def credited(link: LinkIn, claim_credit: float) -> float:
    """What a link counts for: its strength, or `claim_credit` of it for a supporting link not yet confirmed.
    A conflict counts in full whoever declared it."""
    if link.kind == SUPPORTS and not link.confirmed:
        return link.strength * claim_credit
    return link.strength


def strongest(
    goal: GoalIn, kind: str, objective_ids: set[int] | None = None, *, claim_credit: float = 1.0, confirmed_only=False
) -> float:
    """The strongest credited link of one kind from a goal (to objectives in `objective_ids` when given).

    With the default claim_credit of 1 a claim counts like a confirmed link (how strong the head says it is);
    `confirmed_only` leaves claims out."""
    strengths = [
        credited(link, claim_credit)
        for link in goal.links
        if link.kind == kind
        and (objective_ids is None or link.objective_id in objective_ids)
        and (link.confirmed or not confirmed_only)
    ]
    return max(strengths, default=0.0)


def goal_strengths(
    goal: GoalIn, shared: dict[int, float], claim_credit: float
) -> tuple[float, float, float, float, float]:
    """What `strongest` gives for each way the department score reads a goal's links, in one pass (a recompute
    does this for every goal): supporting (claims at the claim credit), confirmed only, to shared objectives
    (claims at the claim credit, times the objective's sharing credit, see shared_objectives), supporting at face
    value, and conflicting."""
    found: list[float | None] = [None, None, None, None, None]

    def keep(index: int, value: float) -> None:
        if found[index] is None or value > found[index]:
            found[index] = value

    for link in goal.links:
        if link.kind == SUPPORTS:
            value = credited(link, claim_credit)
            keep(0, value)
            keep(3, link.strength)
            if link.confirmed:
                keep(1, link.strength)
            if link.objective_id in shared:
                keep(2, value * shared[link.objective_id])
        elif link.kind == CONFLICTS:
            keep(4, link.strength)
    return tuple(0.0 if value is None else value for value in found)


def supports_of(department: DepartmentIn) -> set[int]:
    """The objectives a department supports: a supporting link stronger than 0, claimed or confirmed."""
    return {
        link.objective_id
        for goal in department.goals
        for link in goal.links
        if link.kind == SUPPORTS and link.strength > 0
    }


def confirmed_supports_of(department: DepartmentIn) -> set[int]:
    """The objectives a department supports through a link the CCO confirmed (stronger than 0)."""
    return {
        link.objective_id
        for goal in department.goals
        for link in goal.links
        if link.kind == SUPPORTS and link.strength > 0 and link.confirmed
    }


def organisation_support(departments: Iterable[DepartmentIn], objective_ids: set[int]) -> dict[int, Support]:
    """Each in-scope objective's support, counted from every department's inputs (the whole organisation)."""
    counts: dict[int, int] = {}
    confirmed: dict[int, int] = {}
    facing: set[int] = set()
    confirmed_facing: set[int] = set()
    for department in departments:
        supported, confirmed_here = supports_of(department) & objective_ids, confirmed_supports_of(department)
        for objective_id in supported:
            counts[objective_id] = counts.get(objective_id, 0) + 1
        for objective_id in confirmed_here & objective_ids:
            confirmed[objective_id] = confirmed.get(objective_id, 0) + 1
        if department.customer_facing:
            facing |= supported
            confirmed_facing |= confirmed_here
    return {
        oid: Support(count, oid in facing, oid in confirmed_facing, confirmed.get(oid, 0))
        for oid, count in counts.items()
    }


def shared_objectives(department: DepartmentIn, support: dict[int, Support], claim_credit: float) -> dict[int, float]:
    """The objectives some other department supports too, each with the credit sharing it earns: 1 when another
    department's support of it is confirmed by the CCO, the claim credit while the others only claim it. A claim
    nobody has reviewed cannot make an objective shared in full: a person who heads two departments, or an admin
    who heads one, could otherwise lift one department's number by claiming in the other."""
    own, confirmed_own = supports_of(department), confirmed_supports_of(department)
    shared = {}
    for oid, s in support.items():
        if s.departments - (oid in own) > 0:
            shared[oid] = 1.0 if s.confirmed - (oid in confirmed_own) > 0 else claim_credit
    return shared


def support_with(support: dict[int, Support], before: DepartmentIn | None, after: DepartmentIn) -> dict[int, Support]:
    """The organisation's support counts with one department's inputs changed from `before` to `after` (previews
    and suggestions; coverage flags are left as they are, since only the department's own score is asked for)."""
    changed = dict(support)

    def move(field: str, was: set[int], now: set[int]) -> None:
        for oid in was ^ now:
            counts = changed.get(oid, Support(0))
            value = max(getattr(counts, field) + (1 if oid in now else -1), 0)
            changed[oid] = replace(counts, **{field: value})

    move("departments", supports_of(before) if before is not None else set(), supports_of(after))
    move("confirmed", confirmed_supports_of(before) if before is not None else set(), confirmed_supports_of(after))
    return changed


def reporting_credit(reach: str, powers: tuple[str, ...]) -> float:
    """The line's share of the reporting points: the line itself counts for a quarter (direct) or an eighth
    (dotted), and each power it gives the CCO (set goals, sign off pay, veto) for as much again. A direct line
    with every power earns all the points; one that only lets the CCO be consulted earns a quarter."""
    given = sum(1 for power in POWERS if power in powers)
    return LINE_CREDIT[reach] * (1 + given) / (1 + len(POWERS))


def compensation_alignment(
    levers: tuple[LeverIn, ...], customer_linked: dict[int, float], heads: tuple[str, ...] = ()
) -> tuple[float, float, float]:
    """Average over managers of the variable pay riding on customer-linked goals (unsigned levers count half).

    The managers are the department's heads and whoever else still has a lever on its goals (a former head). A head
    with no lever counts as none of their pay tied to the customer: otherwise deleting a manager's only lever, on a
    goal that ignores the customer, would raise the department's number.

    `customer_linked` maps each customer-linked goal to its credit: 1 when a supporting link is confirmed, the
    claim credit while its links are only claimed. Returns (component value, average share of pay tied to
    customer-linked goals, average share signed off).
    """
    managers = set(heads) | {lever.manager for lever in levers}
    if not managers:
        return 0.0, 0.0, 0.0
    credit = tied = signed = 0.0
    for lever in levers:
        if lever.goal_id in customer_linked:
            share = min(lever.share, 100.0) / 100.0
            tied += share
            signed += share if lever.signed_off else 0.0
            goal_credit = customer_linked[lever.goal_id]
            credit += share * goal_credit * (1.0 if lever.signed_off else UNSIGNED_LEVER_CREDIT)
    count = len(managers)
    return credit / count, tied / count, signed / count
