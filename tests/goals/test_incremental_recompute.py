"""A recompute of the owed departments stores exactly what a full recompute would: random organisations, random
edits, every department and the organisation compared after each round. Also: a no-op stores nothing, a task with
nothing owed does nothing, and the scope stays small in a large organisation."""

import random
from decimal import Decimal

import pytest

from cco.models import RecomputeRequest
from departments.models import Department
from goals.link_totals import refresh_goals
from goals.models import CompensationLever, Goal, GoalLink, GoalStatus, LinkReview
from goals.services import goal_update
from scoring.models import AlignmentScore
from scoring.selectors import departments_to_rescore, latest_scores
from scoring.snapshots import owed_recompute, scores_compute, scores_recompute
from tests.factories import (
    DepartmentFactory,
    GoalFactory,
    LeverFactory,
    LineFactory,
    LinkFactory,
    ObjectiveFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
REVIEWS = [LinkReview.CLAIMED, LinkReview.CONFIRMED, LinkReview.REJECTED]


def build(rng: random.Random, period, *, departments: int = 8, objectives: int = 4):
    objs = [ObjectiveFactory(period=period) for _ in range(objectives)]
    for _ in range(departments):
        department = DepartmentFactory(customer_facing=rng.random() < 0.7)
        if rng.random() < 0.8:
            LineFactory(department=department, kind=rng.choice(["direct", "dotted"]), can_veto=rng.random() < 0.5)
        for _ in range(rng.randint(0, 3)):
            goal = GoalFactory(department=department, period=period, weight=Decimal(rng.randint(5, 30)))
            for objective in rng.sample(objs, rng.randint(0, 2)):
                LinkFactory(
                    goal=goal,
                    objective=objective,
                    kind=rng.choice(["supports", "supports", "conflicts"]),
                    strength=Decimal(rng.choice(["0.2", "0.5", "1"])),
                    review=rng.choice(REVIEWS),
                )
            if rng.random() < 0.4:
                LeverFactory(goal=goal, manager=UserFactory(), signed_off=rng.random() < 0.5)
    return objs


def random_edit(rng: random.Random, objectives) -> int:
    """Change one scoring input directly in the database, as a service would, and return its department's id."""
    department = rng.choice(list(Department.objects.all()))
    goals = list(Goal.objects.filter(department=department, status=GoalStatus.ACTIVE))
    choice = rng.randrange(6)
    if choice == 0 or not goals:
        goal = GoalFactory(department=department, period=objectives[0].period, weight=Decimal(10))
        LinkFactory(goal=goal, objective=rng.choice(objectives), strength=Decimal("0.5"))
    elif choice == 1:
        GoalLink.objects.filter(
            pk__in=list(GoalLink.objects.filter(goal__in=goals).values_list("pk", flat=True)[:1])
        ).delete()
    elif choice == 2:
        goal = rng.choice(goals)
        objective = rng.choice(objectives)
        if not GoalLink.objects.filter(goal=goal, objective=objective).exists():
            LinkFactory(goal=goal, objective=objective, strength=Decimal(rng.choice(["0.2", "1"])))
    elif choice == 3:
        Goal.objects.filter(pk=rng.choice(goals).pk).update(weight=Decimal(rng.randint(1, 40)))
    elif choice == 4:
        GoalLink.objects.filter(goal__in=goals).update(review=rng.choice(REVIEWS))
        refresh_goals(Goal.objects.filter(department=department))  # as every bulk write of links must
        CompensationLever.objects.filter(department=department).update(signed_off=rng.random() < 0.5)
    else:
        Department.objects.filter(pk=department.pk).update(
            customer_facing=not department.customer_facing, name=f"{department.name}!"
        )
    RecomputeRequest.objects.create(department_id=department.pk)
    return department.pk


def assert_stored_equals_full():
    full = scores_compute()
    stored = latest_scores()
    for department_id, result in full.departments.items():
        snapshot = stored[department_id]
        assert (float(snapshot.score), snapshot.components, snapshot.reasons, snapshot.fingerprint) == (
            result.score,
            result.components,
            result.reasons,
            result.fingerprint,
        ), f"department {department_id}"
    organisation = stored[None]
    assert (float(organisation.score), organisation.reasons, organisation.fingerprint) == (
        full.organisation.score,
        full.organisation.reasons,
        full.organisation.fingerprint,
    )


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_recomputing_what_is_owed_stores_what_a_full_recompute_would(period, seed):
    rng = random.Random(seed)
    objectives = build(rng, period)
    scores_recompute()
    for _ in range(16):
        for _ in range(rng.randint(1, 3)):
            random_edit(rng, objectives)
        outcome = owed_recompute()
        assert outcome["settled"] >= 1
        assert not RecomputeRequest.objects.exists()
        assert_stored_equals_full()


def test_a_department_losing_its_only_companion_on_an_objective_is_rescored(period):
    """Sales and Service both support one objective (each earns the shared points); Sales drops its link: only
    Sales was edited, yet Service must lose its shared points too."""
    objective = ObjectiveFactory(period=period)
    sales, service = DepartmentFactory(name="Sales"), DepartmentFactory(name="Service")
    confirmed = {"objective": objective, "review": LinkReview.CONFIRMED}
    sales_link = LinkFactory(goal=GoalFactory(department=sales, period=period), **confirmed)
    LinkFactory(goal=GoalFactory(department=service, period=period), **confirmed)
    scores_recompute()
    assert latest_scores()[service.pk].components["shared"]["value"] == 1

    sales_link.delete()
    RecomputeRequest.objects.create(department_id=sales.pk)
    owed_recompute()

    assert latest_scores()[service.pk].components["shared"]["value"] == 0
    assert_stored_equals_full()


def test_an_edit_rescores_only_its_department_where_every_objective_is_widely_shared(period):
    objectives = [ObjectiveFactory(period=period) for _ in range(3)]
    departments = [DepartmentFactory() for _ in range(12)]
    for department in departments:
        goal = GoalFactory(department=department, period=period)
        for objective in objectives:
            LinkFactory(goal=goal, objective=objective, review=LinkReview.CONFIRMED)
    edited = departments[4]
    assert departments_to_rescore(period, {edited.pk})[0] == {edited.pk}


def test_the_ccos_first_confirmation_on_a_widely_claimed_objective_rescores_its_other_supporters(period):
    """Sharing through claims alone earns the claim credit, so the first confirmed supporter of an objective lifts
    every other supporter's shared points: the recompute of the reviewed department alone must rescore them."""
    objective = ObjectiveFactory(period=period)
    departments = [DepartmentFactory() for _ in range(6)]
    links = [LinkFactory(goal=GoalFactory(department=d, period=period), objective=objective) for d in departments]
    GoalLink.objects.filter(pk=links[0].pk).update(review=LinkReview.CONFIRMED)  # its own support is not in doubt
    refresh_goals(Goal.objects.filter(department=departments[0]))
    scores_recompute()
    assert latest_scores()[departments[0].pk].components["shared"]["value"] == 0.5

    GoalLink.objects.filter(pk=links[3].pk).update(review=LinkReview.CONFIRMED)
    refresh_goals(Goal.objects.filter(department=departments[3]))
    RecomputeRequest.objects.create(department_id=departments[3].pk)
    owed_recompute()

    assert latest_scores()[departments[0].pk].components["shared"]["value"] == 1
    assert_stored_equals_full()


def test_a_no_op_edit_stores_no_snapshot(period, head, department):
    goal = GoalFactory(department=department, period=period, weight=Decimal(40))
    for objective in [ObjectiveFactory(period=period, category="satisfaction") for _ in range(3)]:
        LinkFactory(goal=goal, objective=objective, strength=Decimal("0.5"))  # ties in the links' default ordering
    DepartmentFactory()
    scores_recompute()
    stored = AlignmentScore.objects.count()

    goal_update(actor=head, goal=goal, data={"weight": Decimal(40), "title": goal.title})
    owed_recompute()
    scores_recompute()

    assert AlignmentScore.objects.count() == stored


def test_a_task_with_nothing_owed_reads_nothing_more(period, department, django_assert_num_queries):
    GoalFactory(department=department, period=period)
    scores_recompute()
    with django_assert_num_queries(1):
        outcome = owed_recompute()
    assert outcome["settled"] == 0
