"""manage.py synthetic_org: an organisation of the size asked, obeying every rule, that people can sign in to."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.urls import reverse

from demo.synthetic import PASSWORD, PREFIX, synthetic_org_build
from departments.models import Department, ReportingLine
from departments.selectors import departments_reaching_cco
from goals.models import CheckIn, CompensationLever, CustomerObjective, Goal, GoalLink, GoalStatus, LinkReview, Period
from mandates.models import DataSource, Decision, DecisionAction, EmpowermentSnapshot, MandateItem
from scoring.models import AlignmentScore

DEPARTMENTS, GOALS = 6, 4


@pytest.fixture
def org(role_groups):
    return synthetic_org_build(departments=DEPARTMENTS, goals=GOALS, seed=7)


def test_builds_the_departments_and_goals_asked_with_last_quarter_closed(org):
    current, previous = Period.objects.get(is_current=True), Period.objects.get(is_current=False)
    assert Department.objects.count() == DEPARTMENTS
    per_department = Counter(Goal.objects.filter(period=current).values_list("department_id", flat=True))
    assert set(per_department.values()) == {GOALS}
    assert previous.end == current.start
    closed = Goal.objects.filter(period=previous)
    assert closed.exists() and CheckIn.objects.filter(goal__period=previous).count() == closed.count()
    assert 10 <= CustomerObjective.objects.filter(period=current).count() <= 25


def test_a_sample_of_every_model_passes_full_clean(org):
    sample = random.Random(1)
    models = [Department, ReportingLine, Period, CustomerObjective, Goal, GoalLink, CheckIn, CompensationLever]
    models += [Decision, DataSource, MandateItem, get_user_model()]
    for model in models:
        rows = list(model.objects.all())
        assert rows, f"no {model.__name__} was built"
        for row in sample.sample(rows, min(len(rows), 25)):
            row.full_clean()


def test_weight_and_pay_budgets_hold_in_every_department(org):
    active = Goal.objects.filter(status=GoalStatus.ACTIVE).values("department_id", "period_id")
    assert all(row["total"] <= 100 for row in active.annotate(total=Sum("weight")))
    shares = CompensationLever.objects.values("manager_id").annotate(total=Sum("share"))
    assert all(row["total"] <= Decimal(100) for row in shares)
    assert all(lever.manager in lever.department.heads.all() for lever in CompensationLever.objects.all())


def test_the_cco_signs_off_and_vetoes_only_where_the_line_gives_that_authority(role_groups):
    synthetic_org_build(departments=40, goals=5, seed=2)
    reach = departments_reaching_cco()
    signed = CompensationLever.objects.filter(signed_off=True)
    assert signed.exists()
    assert all(reach[lever.department_id].signs_off_compensation for lever in signed)
    vetoed = Goal.objects.filter(needs_approval=True)
    assert all(reach[goal.department_id].can_veto and goal.status == GoalStatus.DRAFT for goal in vetoed)
    assert set(Decision.objects.filter(action=DecisionAction.SIGN_OFF).values_list("lever", flat=True)) == set(
        signed.values_list("pk", flat=True)
    )


def test_links_mix_confirmed_and_unreviewed_claims_and_conflicts_the_cco_asserted(role_groups):
    synthetic_org_build(departments=40, goals=5, seed=2)
    current = GoalLink.objects.filter(goal__period__is_current=True)
    reviews = set(current.values_list("review", flat=True))
    assert {LinkReview.CONFIRMED, LinkReview.CLAIMED, LinkReview.REJECTED} <= reviews
    asserted = current.filter(asserted_by_cco=True)
    assert asserted.exists() and all(link.goal.department.customer_facing for link in asserted)
    assert current.filter(kind="conflicts", asserted_by_cco=False).exists()


def test_reporting_lines_form_a_tree_with_direct_dotted_and_no_line_to_the_cco(role_groups):
    synthetic_org_build(departments=40, goals=2, seed=2)
    statuses = Counter(reach.status for reach in departments_reaching_cco().values())
    assert statuses["direct"] and statuses["dotted"] and statuses["none"]


def test_a_head_signs_in_and_sees_and_checks_in_on_their_own_department(org, client):
    head = get_user_model().objects.get(username=f"{PREFIX}head-0002")
    department = head.headed_departments.get()
    goal = department.goals.filter(period__is_current=True, status=GoalStatus.ACTIVE).first()
    other = Goal.objects.exclude(department=department).filter(status=GoalStatus.ACTIVE).first()

    assert client.login(username=head.username, password=PASSWORD)
    page = client.get(reverse("department-detail", args=[department.pk]))
    assert page.status_code == 200 and department.name in page.content.decode()
    assert client.get(reverse("check-in-create", args=[goal.pk])).status_code == 200
    assert client.get(reverse("check-in-create", args=[other.pk])).status_code == 403


def test_the_cco_admin_and_executive_can_sign_in_with_the_printed_password(org, client):
    for role in ("cco", "admin", "executive"):
        assert client.login(username=f"{PREFIX}{role}", password=PASSWORD)
        assert client.get(reverse("dashboard")).status_code == 200


def test_scores_and_the_empowerment_score_exist_after_the_build(org):
    current = Period.objects.get(is_current=True)
    scored = set(AlignmentScore.objects.filter(period=current).values_list("department_id", flat=True))
    assert scored == {*Department.objects.values_list("pk", flat=True), None}
    assert EmpowermentSnapshot.objects.exists()


def test_refuses_a_database_that_has_an_organisation_and_changes_nothing(org):
    before = (Department.objects.count(), Goal.objects.count(), get_user_model().objects.count())
    with pytest.raises(CommandError, match="--replace"):
        call_command("synthetic_org", "--departments", "3", "--goals", "2")
    assert (Department.objects.count(), Goal.objects.count(), get_user_model().objects.count()) == before


def test_replace_leaves_exactly_one_organisation(org, capsys):
    old_departments = set(Department.objects.values_list("pk", flat=True))
    call_command("synthetic_org", "--departments", "3", "--goals", "2", "--replace")

    assert Department.objects.count() == 3 and not Department.objects.filter(pk__in=old_departments).exists()
    assert Goal.objects.filter(period__is_current=True).count() == 3 * 2
    assert Period.objects.count() == 2 and Period.objects.filter(is_current=True).count() == 1
    assert get_user_model().objects.filter(username__startswith=PREFIX).count() == 3 + 3
    assert AlignmentScore.objects.exclude(department__isnull=True).count() == 3
    assert Decision.objects.exclude(department__in=Department.objects.all()).count() == 0
    output = capsys.readouterr().out
    assert f"{PREFIX}cco" in output and PASSWORD in output


def test_the_same_seed_builds_the_same_organisation(role_groups):
    def shape():
        goals = Goal.objects.order_by("department__name", "period__start", "title")
        lines = ReportingLine.objects.order_by("department__name", "target__name")
        return (
            list(goals.values_list("department__name", "title", "weight", "status")),
            list(lines.values_list("department__name", "target__name", "kind", "sets_goals")),
        )

    synthetic_org_build(departments=8, goals=3, seed=11)
    first = shape()
    synthetic_org_build(departments=8, goals=3, seed=11, replace=True)
    assert shape() == first


def test_replace_refuses_an_organisation_it_did_not_build_and_changes_nothing(role_groups, head, department):
    """A company's own departments (or the demo's) are headed by people: --replace deletes only what it built."""
    before = (Department.objects.count(), get_user_model().objects.count())

    with pytest.raises(CommandError, match="did not build"):
        call_command("synthetic_org", "--departments", "3", "--goals", "2", "--replace")

    assert (Department.objects.count(), get_user_model().objects.count()) == before
