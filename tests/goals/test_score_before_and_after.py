"""scoring.improvements.score_before_and_after: scoring an organisation before and after a change to a few of its
departments (the roll-over's preview) gives exactly what scoring each side in full gives, department by department."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from scoring.engine import score_organisation
from scoring.improvements import score_before_and_after
from scoring.inputs import CONFLICTS, POWERS, SUPPORTS, DepartmentIn, GoalIn, LeverIn, LinkIn, ObjectiveIn, OrgInputs


def _links(rng: random.Random, objective_ids: list[int]) -> tuple[LinkIn, ...]:
    chosen = rng.sample(objective_ids, rng.randint(0, min(3, len(objective_ids))))
    return tuple(
        LinkIn(oid, rng.choice([SUPPORTS, SUPPORTS, CONFLICTS]), rng.choice([0.0, 0.3, 0.5, 1.0]), rng.random() < 0.5)
        for oid in chosen
    )


def _department(rng: random.Random, key: int, objective_ids: list[int]) -> DepartmentIn:
    goals = tuple(
        GoalIn(key * 100 + n, f"goal {n}", float(rng.choice([0, 10, 20, 30])), _links(rng, objective_ids))
        for n in range(rng.randint(0, 4))
    )
    heads = (f"head-{key}",)
    levers = tuple(
        LeverIn(heads[0], goal.id, float(rng.choice([10, 20])), rng.random() < 0.5)
        for goal in goals
        if rng.random() < 0.4
    )
    return DepartmentIn(
        key,
        f"Department {key}",
        rng.random() < 0.6,
        rng.choice(["direct", "dotted", "none"]),
        goals,
        levers,
        POWERS,
        heads=heads,
    )


def _organisation(rng: random.Random) -> OrgInputs:
    objectives = tuple(ObjectiveIn(oid, f"Objective {oid}", "satisfaction") for oid in range(1, rng.randint(2, 6)))
    ids = [o.id for o in objectives] + [99]  # 99: outside the strategy
    return OrgInputs(tuple(_department(rng, key, ids) for key in range(1, rng.randint(3, 12))), objectives)


def _changed(rng: random.Random, before: OrgInputs) -> OrgInputs:
    """A few departments replaced by new objects (their links, reviews and levers changed), the strategy losing an
    objective or gaining one; every other department the very same object."""
    objectives = list(before.objectives)
    if rng.random() < 0.4 and len(objectives) > 1:
        objectives.pop(rng.randrange(len(objectives)))
    if rng.random() < 0.3:
        objectives.append(ObjectiveIn(50, "Objective new", "retention"))
    ids = [o.id for o in objectives] + [50]
    departments = []
    for department in before.departments:
        if rng.random() < 0.3:
            goals = tuple(replace(g, links=_links(rng, ids)) for g in department.goals if rng.random() < 0.8)
            kept = {g.id for g in goals}
            levers = tuple(
                replace(v, signed_off=v.signed_off and rng.random() < 0.5)
                for v in department.levers
                if v.goal_id in kept
            )
            department = replace(department, goals=goals, levers=levers)
        departments.append(department)
    return OrgInputs(tuple(departments), tuple(objectives), before.weights)


def _random_change(seed: int) -> tuple[OrgInputs, OrgInputs]:
    """A random organisation and the same after a random change to some of its departments."""
    rng = random.Random(seed)
    before = _organisation(rng)
    return before, _changed(rng, before)


@pytest.mark.parametrize("seed", range(300))
def test_before_and_after_equal_scoring_each_in_full(seed):
    before, after = _random_change(seed)

    (org_before, was), (org_after, now) = score_before_and_after(before, after)

    expected_before, expected_was = score_organisation(before)
    expected_after, expected_now = score_organisation(after)
    assert (org_before.score, org_before.fingerprint) == (expected_before.score, expected_before.fingerprint)
    assert (org_after.score, org_after.fingerprint) == (expected_after.score, expected_after.fingerprint)
    assert {k: (r.score, r.fingerprint) for k, r in was.items()} == {
        k: (r.score, r.fingerprint) for k, r in expected_was.items()
    }
    assert {k: (r.score, r.fingerprint) for k, r in now.items()} == {
        k: (r.score, r.fingerprint) for k, r in expected_now.items()
    }


@pytest.mark.parametrize("seed", range(40))
def test_unexplained_the_scores_are_the_same(seed):
    """The roll-over's preview shows scores only: without reasons and fingerprints they are the same scores."""
    before, after = _random_change(seed)

    (org_before, was), (org_after, now) = score_before_and_after(before, after)
    (plain_before, plain_was), (plain_after, plain_now) = score_before_and_after(before, after, explained=False)

    assert (plain_before.score, plain_after.score) == (org_before.score, org_after.score)
    assert {k: r.score for k, r in plain_was.items()} == {k: r.score for k, r in was.items()}
    assert {k: r.score for k, r in plain_now.items()} == {k: r.score for k, r in now.items()}
    assert all(r.reasons == [] and r.fingerprint == "" for r in (*plain_was.values(), *plain_now.values()))
