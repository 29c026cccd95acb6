"""The dashboard (and the department list) read in a constant number of queries, whatever the organisation's size."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cco import roles
from departments.models import LineKind
from tests.factories import (
    CheckInFactory,
    DataSourceFactory,
    DepartmentFactory,
    GoalFactory,
    LeverFactory,
    LineFactory,
    LinkFactory,
    ObjectiveFactory,
    UserFactory,
)
from tests.web.conftest import score_everything

pytestmark = pytest.mark.django_db

DASHBOARD_MAX_QUERIES = 44  # +1 the period picker, +1 the score each quarter closed at (issue 12); +8 paging, +7
# the attention list asked in small parts, -3 no transaction and the status line in one query (issue 13)
KINDS = (LineKind.DIRECT, LineKind.DOTTED, None)  # None: no line at all


def build_organisation(size: int, period) -> None:
    """`size` departments, each with a head, four goals linked to objectives, a lever, check-ins and a line."""
    objectives = [ObjectiveFactory(period=period, title=f"Objective {i}") for i in range(4)]
    DataSourceFactory(category="competitor", last_refreshed_at=timezone.now() - timedelta(days=60))
    for index in range(size):
        head = UserFactory(username=f"head-{size}-{index}", role=roles.HEAD)
        department = DepartmentFactory(name=f"Department {size}-{index}", heads=[head])
        goals = [
            GoalFactory(department=department, period=period, title=f"Goal {index}-{g}", weight=Decimal(20))
            for g in range(4)
        ]
        for g, goal in enumerate(goals[:3]):
            LinkFactory(goal=goal, objective=objectives[(index + g) % 4], kind="conflicts" if g == 2 else "supports")
            CheckInFactory(goal=goal, value=Decimal(10), confidence=("on_track", "at_risk", "off_track")[g])
        LeverFactory(goal=goals[0], department=department, manager=head, share=Decimal(25))
        LeverFactory(goal=goals[3], department=department, manager=head, share=Decimal(10))
        kind = KINDS[index % 3]
        if kind:
            LineFactory(department=department, target=None, kind=kind)
    score_everything()
    for department_goal in GoalFactory._meta.model.objects.filter(title__endswith="-0")[:2]:
        department_goal.weight = Decimal(30)
        department_goal.save()
    score_everything()  # a second snapshot, so every department has a previous score to compare with


@pytest.mark.parametrize("size", [3, 15])
def test_dashboard_reads_in_a_constant_number_of_queries(
    client, executive, period, size, django_assert_max_num_queries
):
    build_organisation(size, period)
    client.force_login(executive)
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count('class="dept-row-wrap"') == size


@pytest.mark.parametrize("size", [3, 15])
def test_scores_region_reads_in_a_constant_number_of_queries(
    client, executive, period, size, django_assert_max_num_queries
):
    build_organisation(size, period)
    client.force_login(executive)
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        assert client.get(reverse("dashboard-scores")).status_code == 200


@pytest.mark.parametrize("size", [3, 15])
def test_department_list_reads_in_a_constant_number_of_queries(
    client, executive, period, size, django_assert_max_num_queries
):
    build_organisation(size, period)
    client.force_login(executive)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("department-list")).status_code == 200
