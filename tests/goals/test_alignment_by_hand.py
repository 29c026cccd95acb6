"""docs/alignment.md's formula, written again from the page alone, against the engine on generated departments.

The second implementation shares nothing with scoring/: if the engine drifts from the documented formula (claim
credit, line authority, half-up rounding), a generated department finds it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import score_organisation
from scoring.inputs import DepartmentIn, GoalIn, LeverIn, LinkIn, ObjectiveIn, OrgInputs, Weights

OBJECTIVES = (ObjectiveIn(1, "A", "satisfaction"), ObjectiveIn(2, "B", "retention"))
POWERS = ("sets_goals", "signs_off_compensation", "can_veto")
OTHER = DepartmentIn(99, "Other", True, "none", goals=(GoalIn(99, "O", 100, (LinkIn(1, "supports", 1.0),)),))
CLAIMING = DepartmentIn(
    98, "Claiming", True, "none", goals=(GoalIn(98, "C", 100, (LinkIn(1, "supports", 1.0, confirmed=False),)),)
)

strengths = st.sampled_from([0.0, 0.25, 0.4, 0.5, 0.8, 1.0])
links = st.builds(
    LinkIn,
    objective_id=st.sampled_from([1, 2]),
    kind=st.sampled_from(["supports", "conflicts"]),
    strength=strengths,
    confirmed=st.booleans(),
)


@st.composite
def departments(draw):
    goals = []
    for goal_id in range(1, draw(st.integers(0, 4)) + 1):
        goal_links = draw(st.lists(links, max_size=2, unique_by=lambda link: link.objective_id))
        goals.append(GoalIn(goal_id, f"G{goal_id}", draw(st.sampled_from([0, 10, 25, 40])), tuple(goal_links)))
    levers = tuple(
        LeverIn(draw(st.sampled_from(["m1", "m2"])), goal.id, draw(st.sampled_from([10, 30])), draw(st.booleans()))
        for goal in goals
        if draw(st.booleans())
    )
    reach = draw(st.sampled_from(["direct", "dotted", "none"]))
    powers = tuple(power for power in POWERS if draw(st.booleans())) if reach != "none" else ()
    heads = tuple(head for head in ("m1", "m3") if draw(st.booleans()))
    return DepartmentIn(1, "Dept", True, reach, goals=tuple(goals), levers=levers, powers=powers, heads=heads)


def by_hand(department: DepartmentIn, claim: float = 0.5, *, others_confirmed: bool = True) -> Decimal:
    """The department score exactly as docs/alignment.md states it, with another department supporting objective 1
    (through a confirmed link, or only through a claim: then sharing it earns the claim credit)."""
    goals = department.goals
    total = sum(g.weight for g in goals)
    share = {g.id: (g.weight / total if total else 1 / len(goals)) for g in goals}

    def credit(link):
        return link.strength * (claim if link.kind == "supports" and not link.confirmed else 1)

    def best(values):
        return max(values, default=0.0)

    support = {g.id: best(credit(x) for x in g.links if x.kind == "supports") for g in goals}
    claimed = {g.id: best(x.strength for x in g.links if x.kind == "supports") for g in goals}
    sharing = 1 if others_confirmed else claim
    shared = {
        g.id: best(credit(x) * sharing for x in g.links if x.kind == "supports" and x.objective_id == 1) for g in goals
    }
    conflict = {g.id: best(x.strength for x in g.links if x.kind == "conflicts") for g in goals}
    linkage = sum(share[g] * support[g] for g in share)
    face = sum(share[g] * claimed[g] for g in share)
    shared_part = sum(share[g] * shared[g] for g in share) / face if face else 0.0
    penalty = sum(share[g] * conflict[g] for g in share)

    goal_credit = {}
    for g in goals:
        if any(x.kind == "supports" and x.strength > 0 for x in g.links):
            confirmed = any(x.kind == "supports" and x.strength > 0 and x.confirmed for x in g.links)
            goal_credit[g.id] = 1 if confirmed else claim
    managers = {lever.manager for lever in department.levers} | set(department.heads)  # a head without a lever: 0
    pay = sum(
        lever.share / 100 * goal_credit[lever.goal_id] * (1 if lever.signed_off else 0.5)
        for lever in department.levers
        if lever.goal_id in goal_credit
    )
    compensation = pay / len(managers) if managers else 0.0

    line = {"direct": 1, "dotted": 0.5, "none": 0}[department.reach]
    reporting = line * (1 + len(department.powers)) / 4

    raw = 35 * linkage + 15 * shared_part + 30 * compensation + 20 * reporting - 30 * penalty
    clamped = min(100.0, max(0.0, raw))
    return Decimal(repr(clamped)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@settings(max_examples=300, deadline=None)
@given(departments(), st.booleans())
def test_the_engine_computes_what_the_docs_say(department, others_confirmed):
    other = OTHER if others_confirmed else CLAIMING
    _, results = score_organisation(
        OrgInputs(departments=(department, other), objectives=OBJECTIVES, weights=Weights())
    )
    # Floating-point sums may differ in the last bits; allow one rounding step either way, never more.
    assert abs(Decimal(repr(results[1].score)) - by_hand(department, others_confirmed=others_confirmed)) <= Decimal(
        "0.1"
    )


@settings(max_examples=300, deadline=None)
@given(departments())
def test_a_head_cannot_gain_more_from_claims_than_the_claim_credit(department):
    """Confirming every claim at most doubles what the claims added (claim credit ½), clamping aside."""

    def score(d):
        _, results = score_organisation(OrgInputs(departments=(d, OTHER), objectives=OBJECTIVES, weights=Weights()))
        return results[1].score

    def with_links(predicate, confirmed):
        return DepartmentIn(
            department.id, department.name, True, department.reach,
            goals=tuple(
                GoalIn(g.id, g.title, g.weight, tuple(
                    LinkIn(x.objective_id, x.kind, x.strength, confirmed) for x in g.links if predicate(x)
                ))
                for g in department.goals
            ),
            levers=department.levers, powers=department.powers, heads=department.heads,
        )  # fmt: skip

    without_claims = score(with_links(lambda x: x.kind == "conflicts" or x.confirmed, True))
    as_claims = score(with_links(lambda x: True, False))
    everything_confirmed = score(with_links(lambda x: True, True))
    if 0 < everything_confirmed < 100 and without_claims > 0:
        gained_by_claiming = as_claims - without_claims
        gained_when_confirmed = everything_confirmed - without_claims
        assert gained_by_claiming <= 0.5 * gained_when_confirmed + 0.1


def test_rounding_is_half_up_where_pythons_round_is_not():
    from scoring.measures import half_up

    assert round(52.25, 1) == 52.2  # what the engine used to store
    assert half_up(52.25, 1) == 52.3
    assert half_up(36.25, 1) == 36.3
    assert half_up(0.125, 2) == 0.13
