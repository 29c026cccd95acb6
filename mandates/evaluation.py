"""Evaluating the mandate checklist from the data: pure functions over plain data, no ORM.

Items the data can tell (reporting lines, authority, sign-offs, data sources, objectives) get an
evaluated status and a reason; the rest rely on the CCO's own status and evidence. Where the data can
tell, it wins: the effective status is the evaluated one. docs/mandate.md explains each rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

GRANTED, PARTIAL, NOT_GRANTED = "granted", "partial", "not_granted"
POINTS = {GRANTED: 1.0, PARTIAL: 0.5, NOT_GRANTED: 0.0}
UNCONFIRMED_CREDIT = 0.5  # the CCO's own status, where the data cannot tell, until someone else confirms it
CUSTOMER_SYSTEM_CATEGORIES = ("behaviour", "profitability", "satisfaction")
OBJECTIVE_CATEGORIES = ("acquisition", "satisfaction", "retention", "profitability", "experience_gap")


@dataclass(frozen=True)
class DepartmentFacts:
    name: str
    customer_facing: bool
    reaches_cco: bool
    holds_goal_and_pay_authority: bool
    levers: int
    unsigned_levers: int


@dataclass(frozen=True)
class SourceFacts:
    name: str
    category: str
    cco_has_access: bool
    last_refreshed_at: datetime | None


@dataclass(frozen=True)
class MandateFacts:
    departments: tuple[DepartmentFacts, ...]
    sources: tuple[SourceFacts, ...]
    objective_categories: frozenset[str]  # categories with at least one active objective
    now: datetime
    competitor_max_age_days: int


@dataclass(frozen=True)
class Evaluation:
    status: str
    reason: str


NAMED = 5  # a reason names this many departments and counts the rest: it is read on the dashboard and the charter


def listed(names: list[str], separator: str = ", ") -> str:
    """The first NAMED names and how many more: "A, B, C, D, E and 1,995 more"."""
    shown = separator.join(names[:NAMED])
    return f"{shown} and {len(names) - NAMED:,} more" if len(names) > NAMED else shown


def by_share(done: int, total: int) -> str:
    if total and done == total:
        return GRANTED
    return PARTIAL if done else NOT_GRANTED


def manage_customer_facing(facts: MandateFacts) -> Evaluation:
    facing = [d for d in facts.departments if d.customer_facing]
    if not facing:
        return Evaluation(NOT_GRANTED, "No customer-facing departments are defined.")
    reaching = [d for d in facing if d.reaches_cco]
    missing = [d.name for d in facing if not d.reaches_cco]
    reason = f"{len(reaching)} of {len(facing)} customer-facing departments report to the CCO directly or indirectly."
    if missing:
        reason += f" Not reporting: {listed(missing)}."
    return Evaluation(by_share(len(reaching), len(facing)), reason)


def influence_goals_and_compensation(facts: MandateFacts) -> Evaluation:
    facing = [d for d in facts.departments if d.customer_facing]
    if not facing:
        return Evaluation(NOT_GRANTED, "No customer-facing departments are defined.")
    influenced = [d for d in facing if d.holds_goal_and_pay_authority and d.unsigned_levers == 0]
    lacking = [d for d in facing if not (d.holds_goal_and_pay_authority and d.unsigned_levers == 0)]
    reason = (
        f"The CCO sets goals and signs off pay, with every lever signed off, in {len(influenced)} of "
        f"{len(facing)} customer-facing departments."
    )
    notes = []
    for d in lacking:
        if not d.holds_goal_and_pay_authority:
            notes.append(f"{d.name} (no goal and pay authority)")
        else:
            notes.append(f"{d.name} ({d.unsigned_levers} lever(s) not signed off)")
    if notes:
        reason += f" Missing: {listed(notes, '; ')}."
    return Evaluation(by_share(len(influenced), len(facing)), reason)


def access_customer_systems(facts: MandateFacts) -> Evaluation:
    covered = {s.category for s in facts.sources if s.cco_has_access and s.category in CUSTOMER_SYSTEM_CATEGORIES}
    missing = [c for c in CUSTOMER_SYSTEM_CATEGORIES if c not in covered]
    reason = f"The CCO can access data on {len(covered)} of 3: customer behaviour, profitability and satisfaction."
    if missing:
        reason += f" Missing: {', '.join(missing)}."
    return Evaluation(by_share(len(covered), len(CUSTOMER_SYSTEM_CATEGORIES)), reason)


def timely_competitor_data(facts: MandateFacts) -> Evaluation:
    sources = [s for s in facts.sources if s.category == "competitor" and s.cco_has_access]
    if not sources:
        return Evaluation(NOT_GRANTED, "The CCO has access to no competitor data source.")
    limit = facts.now - timedelta(days=facts.competitor_max_age_days)
    fresh = [s for s in sources if s.last_refreshed_at and s.last_refreshed_at >= limit]
    if fresh:
        return Evaluation(GRANTED, f"{fresh[0].name} was refreshed within {facts.competitor_max_age_days} days.")
    return Evaluation(
        PARTIAL,
        f"Competitor data exists but none was refreshed in the last {facts.competitor_max_age_days} days.",
    )


def customer_strategy(facts: MandateFacts) -> Evaluation:
    present = [c for c in OBJECTIVE_CATEGORIES if c in facts.objective_categories]
    missing = [c.replace("_", " ") for c in OBJECTIVE_CATEGORIES if c not in facts.objective_categories]
    reason = f"Active customer objectives cover {len(present)} of 5 outcome categories."
    if missing:
        reason += f" Missing: {', '.join(missing)}."
    return Evaluation(by_share(len(present), len(OBJECTIVE_CATEGORIES)), reason)


EVALUATORS = {
    "manage-customer-facing": manage_customer_facing,
    "influence-goals-compensation": influence_goals_and_compensation,
    "access-customer-systems": access_customer_systems,
    "timely-competitor-data": timely_competitor_data,
    "customer-strategy": customer_strategy,
}


def evaluate(key: str, facts: MandateFacts) -> Evaluation | None:
    """The data's verdict on one checklist item, or None where the data cannot tell."""
    evaluator = EVALUATORS.get(key)
    return evaluator(facts) if evaluator else None


def self_assessed(key: str) -> bool:
    """Whether only the CCO's own status and evidence can say how far the item is granted (no data tells)."""
    return key not in EVALUATORS


def item_credit(status: str, *, counts_in_full: bool = True) -> float:
    """What one item adds: granted 1, partial ½, not granted 0; the CCO's own status where the data cannot tell
    counts at UNCONFIRMED_CREDIT of that until someone other than the CCO confirms it."""
    return POINTS[status] * (1.0 if counts_in_full else UNCONFIRMED_CREDIT)


def empowerment_score(credits: list[float]) -> float:
    """0–100: the items' credits (item_credit) averaged over the checklist."""
    if not credits:
        return 0.0
    return round(100 * sum(credits) / len(credits), 1)
