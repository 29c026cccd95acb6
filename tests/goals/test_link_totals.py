"""The departments' link totals (goals.LinkTotal) always add up to what the links say.

The organisation-wide figures (each objective's supporters and conflicts, its roll-up, the support a recompute
scores against) are read from the totals; here they are compared with a count of the links themselves, the grouped
join the totals replaced, written out as the oracle. After every kind of write (random saves and deletes of goals,
links, check-ins, departments and objectives; the services; the API; the admin; bulk loads of readings; the
roll-over; the rebuild command) the two agree."""

from __future__ import annotations

import math
import random
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Case, Count, ExpressionWrapper, F, FloatField, Q, Sum, Value, When
from django.db.models.functions import Cast
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from departments.models import Department
from goals.link_totals import objective_totals
from goals.links import LinkInput
from goals.models import CheckIn, Goal, GoalLink, GoalStatus, LinkKind, LinkReview, LinkTotal, Period
from goals.rollover import period_roll_over
from goals.selectors import objectives_in_strategy, strategy_links
from goals.services import check_in_create, goal_delete, goal_delete_refusal, goal_update
from mandates.services import link_review
from pages.heatmap import strategy_columns
from scoring.selectors import organisation_support_read
from tests.admin.test_admin_goes_through_services import post_form, url
from tests.factories import (
    CheckInFactory,
    DepartmentFactory,
    GoalFactory,
    LinkFactory,
    ObjectiveFactory,
    PeriodFactory,
    UserFactory,
    quarter,
)

pytestmark = pytest.mark.django_db

COUNTS = (
    "departments", "supporters", "confirmed_facing", "conflicts", "rollup_reporting", "rollup_counted", "rollup_typed"
)  # fmt: skip
SUMS = ("rollup_weighted", "rollup_total")


def counted_from_links(period: Period) -> dict[int, dict]:
    """The oracle: every counted link joined to its goal and department, grouped by objective."""
    ids = list(objectives_in_strategy(period).values_list("pk", flat=True))
    supports = Q(kind=LinkKind.SUPPORTS)
    facing = Q(goal__department__customer_facing=True)
    credit = Case(When(review=LinkReview.CONFIRMED, then=Value(1.0)), default=Value(settings.LINK_CLAIM_CREDIT))
    reading = Case(When(goal__current_reading_fed=True, then=Value(1.0)), default=Value(settings.TYPED_READING_CREDIT))
    weight = ExpressionWrapper(Cast("strength", FloatField()) * credit * reading, output_field=FloatField())
    reporting = supports & Q(goal__current_value__isnull=False)
    rows = (
        strategy_links(period, ids)
        .values("objective_id")
        .annotate(
            departments=Count("goal__department_id", distinct=True, filter=supports),
            supporters=Count("goal__department_id", distinct=True, filter=supports & facing),
            confirmed_facing=Count(
                "goal__department_id", distinct=True, filter=supports & facing & Q(review=LinkReview.CONFIRMED)
            ),
            conflicts=Count("pk", filter=Q(kind=LinkKind.CONFLICTS)),
            rollup_weighted=Sum(
                ExpressionWrapper(weight * F("goal__current_progress"), output_field=FloatField()), filter=reporting
            ),  # fmt: skip
            rollup_total=Sum(weight, filter=reporting),
            rollup_reporting=Count("pk", filter=reporting),
            rollup_counted=Count("pk", filter=supports),
            rollup_typed=Count("pk", filter=reporting & Q(goal__current_reading_fed=False)),
        )
    )
    return {row["objective_id"]: row for row in rows}


def assert_in_step(period: Period, when: str = "") -> None:
    expected = counted_from_links(period)
    found = objective_totals(period, objectives_in_strategy(period).values_list("pk", flat=True))
    assert set(found) == set(expected), when
    for objective_id, row in expected.items():
        assert {name: found[objective_id][name] for name in COUNTS} == {name: row[name] for name in COUNTS}, when
        for name in SUMS:
            assert math.isclose(found[objective_id][name] or 0, row[name] or 0, abs_tol=1e-9), (when, name)


def build(rng: random.Random, period: Period, *, departments: int = 6, objectives: int = 4) -> list:
    objs = [ObjectiveFactory(period=period) for _ in range(objectives)]
    for _ in range(departments):
        head = UserFactory(role="Department head")
        department = DepartmentFactory(customer_facing=rng.random() < 0.7, heads=[head])
        for _ in range(rng.randint(0, 3)):
            goal = GoalFactory(department=department, period=period, weight=Decimal(rng.randint(5, 30)))
            for objective in rng.sample(objs, rng.randint(0, 3)):
                random_link(rng, goal, objective)
            if rng.random() < 0.5:
                CheckInFactory(goal=goal, value=Decimal(rng.randint(0, 100)), source=rng.choice(["", "CRM: nps"]))
    return objs


def random_link(rng: random.Random, goal: Goal, objective) -> GoalLink:
    return LinkFactory(
        goal=goal,
        objective=objective,
        kind=rng.choice([LinkKind.SUPPORTS, LinkKind.SUPPORTS, LinkKind.CONFLICTS]),
        strength=Decimal(rng.choice(["0", "0.2", "0.5", "1"])),
        review=rng.choice(list(LinkReview)),
    )


def random_write(rng: random.Random, period: Period, objectives: list, actor) -> str:
    """One write of the kind the product makes, chosen at random; returns what it was."""
    goals = list(Goal.objects.filter(period=period))
    links = list(GoalLink.objects.select_related("goal"))
    choice = rng.randrange(12)
    if choice == 0 or not goals:
        department = rng.choice(list(Department.objects.filter(heads__isnull=False)))
        random_link(rng, GoalFactory(department=department, period=period, weight=Decimal(5)), rng.choice(objectives))
        return "a new goal with a link"
    goal = rng.choice(goals)
    if choice == 1 or not links:
        objective = rng.choice(objectives)
        if not GoalLink.objects.filter(goal=goal, objective=objective).exists():
            random_link(rng, goal, objective)
        return "a new link"
    link = rng.choice(links)
    if choice == 2:
        link.strength, link.kind = Decimal(rng.choice(["0", "0.3", "0.9"])), rng.choice(list(LinkKind))
        link.save()
        return "a link's strength and kind"
    if choice == 3:
        link_review(actor=actor, link=link, action=rng.choice(["confirm", "reject"]), reason="Checked.") if (
            link.kind == LinkKind.SUPPORTS and link.review == LinkReview.CLAIMED
        ) else link.delete()
        return "a link reviewed or deleted"
    if choice == 4:
        goal.status = rng.choice([GoalStatus.ACTIVE, GoalStatus.DRAFT, GoalStatus.ARCHIVED])
        goal.save()
        return "a goal's status"
    if choice == 5:
        goal.department = rng.choice(list(Department.objects.filter(heads__isnull=False)))
        goal.save()
        return "a goal moved to another department"
    if choice == 6:
        if goal_delete_refusal(goal):
            goal.delete()  # as a department's delete takes its goals, whatever they hold
        else:
            goal_delete(actor=actor, goal=goal)
        return "a goal deleted"
    if choice == 7 and goal.status == GoalStatus.ACTIVE:
        if rng.random() < 0.5:  # as a data source's feed records one (mandates.feeds)
            CheckInFactory(goal=goal, value=Decimal(rng.randint(0, 100)), source="CRM: nps")
            return "a fed reading"
        head = goal.department.heads.first()
        check_in_create(actor=head, goal=goal, value=Decimal(rng.randint(0, 100)), confidence="on_track")
        return "a check-in"
    if choice == 8 and CheckIn.objects.filter(goal__period=period).exists():
        check_in = rng.choice(list(CheckIn.objects.filter(goal__period=period)))
        check_in.delete()
        return "a check-in deleted"
    if choice == 9:
        department = Department.objects.order_by("?").first()
        department.customer_facing = not department.customer_facing
        department.save()
        return "a department's customer-facing flag"
    undecided = Department.objects.filter(decisions__isnull=True)  # one the CCO decided on cannot be deleted
    if choice == 10 and Department.objects.count() > 2 and undecided.exists():
        undecided.order_by("?").first().delete()
        return "a department deleted"
    if choice == 11 and len(objectives) > 2:
        objectives.pop(rng.randrange(len(objectives))).delete()
        return "an objective deleted"
    goal.target, goal.baseline = Decimal(rng.randint(50, 200)), Decimal(0)
    goal.save()
    return "a goal's target (and so its progress)"


@pytest.mark.parametrize("seed", range(4))
def test_every_write_keeps_the_totals_in_step_with_the_links(seed, period, cco_user):
    rng = random.Random(seed)
    objectives = build(rng, period)
    assert_in_step(period, "built")
    for step in range(40):
        what = random_write(rng, period, objectives, cco_user)
        assert_in_step(period, f"step {step}: {what}")


@pytest.mark.parametrize("seed", range(3))
def test_a_roll_over_writes_the_next_quarters_totals_once_and_in_step(seed, period, cco_user):
    """It saves every goal and link one at a time; their totals are rewritten once, when the last is saved
    (link_totals.deferred), where each save rewrote its department's (two thirds of the run at 200 departments)."""
    build(random.Random(seed), period)
    following = PeriodFactory(**vars(quarter(1)), is_current=False)

    with CaptureQueriesContext(connection) as queries:
        period_roll_over(actor=cco_user, source=period, target=following)

    assert_in_step(following, "rolled over")
    assert sum('INSERT INTO "goals_linktotal"' in q["sql"] for q in queries.captured_queries) == 1


def test_the_figures_read_from_the_totals_are_the_links_figures(period, cco_user):
    """What the dashboard and the recompute read, worked by hand: one customer-facing department supports
    “Happier customers” twice (one claim, one confirmed), another conflicts with it."""
    service, ops = DepartmentFactory(customer_facing=True), DepartmentFactory(customer_facing=False)
    happier = ObjectiveFactory(period=period, title="Happier customers")
    answer = GoalFactory(department=service, period=period, baseline=Decimal(0), target=Decimal(100))
    callback = GoalFactory(department=service, period=period, baseline=Decimal(0), target=Decimal(100))
    LinkFactory(goal=answer, objective=happier, kind="supports", strength=Decimal("0.8"), review="claimed")
    LinkFactory(goal=callback, objective=happier, kind="supports", strength=Decimal("0.4"), review="confirmed")
    LinkFactory(goal=GoalFactory(department=ops, period=period), objective=happier, kind="conflicts")
    CheckInFactory(goal=answer, value=Decimal(50))
    CheckInFactory(goal=callback, value=Decimal(100))

    [column] = strategy_columns(period)
    assert (column.supporters, column.conflicts) == (1, 1)
    # weights: 0.8 × 0.5 (claimed) = 0.4 and 0.4 × 1 (confirmed), both typed (× 0.5, which the mean cancels);
    # progress 0.5 and 1
    assert column.rollup.value == pytest.approx((0.4 * 0.5 + 0.4 * 1.0) / 0.8)
    assert column.rollup[1:] == (2, 2, 2)
    support = organisation_support_read(period, {happier.pk})[happier.pk]
    assert (support.departments, support.facing, support.confirmed_facing) == (1, True, True)


def test_a_link_reviewed_through_the_api_moves_the_totals(period, cco_user):
    objective = ObjectiveFactory(period=period)
    claim = LinkFactory(goal=GoalFactory(period=period), objective=objective, kind="supports", review="claimed")
    api = APIClient()
    api.force_authenticate(cco_user)
    response = api.post(f"/api/v1/links/{claim.pk}/review/", {"action": "reject", "reason": "No."}, format="json")
    assert response.status_code == 200, response.content
    assert objective.pk not in objective_totals(period, [objective.pk])
    assert_in_step(period)


def test_a_goal_archived_in_the_admin_leaves_the_totals(client, admin_user, period):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    objective = ObjectiveFactory(period=period)
    goal = GoalFactory(period=period)
    LinkFactory(goal=goal, objective=objective, kind="supports")
    assert objective_totals(period, [objective.pk])[objective.pk]["departments"] == 1
    response = post_form(client, url(goal), status=GoalStatus.ARCHIVED, **{"links-TOTAL_FORMS": "1"})
    assert response.status_code == 302
    assert objective.pk not in objective_totals(period, [objective.pk])
    assert_in_step(period)


def test_a_goals_links_replaced_by_the_service_move_the_totals(period, department, head):
    first, second = ObjectiveFactory(period=period), ObjectiveFactory(period=period)
    goal = GoalFactory(department=department, period=period)
    LinkFactory(goal=goal, objective=first, kind="supports")
    goal_update(actor=head, goal=goal, data={}, links=[LinkInput(second, "supports", Decimal("0.5"))])
    assert set(objective_totals(period, [first.pk, second.pk])) == {second.pk}
    assert_in_step(period)


def test_the_rebuild_command_repairs_totals_written_around_the_application(period, capsys):
    objective = ObjectiveFactory(period=period)
    LinkFactory(goal=GoalFactory(period=period), objective=objective, kind="supports")
    LinkTotal.objects.update(supporting=0, conflicting=7)  # as SQL by hand would
    GoalLink.objects.update(strength=Decimal("0.9"))
    call_command("rebuild_link_totals")
    assert "Link totals rewritten: 1 rows." in capsys.readouterr().out
    assert_in_step(period)
