"""Every list answers in a constant number of queries, however many rows it shows."""

import pytest
from django.utils import timezone
from knox.models import AuthToken

from mandates.models import Decision
from scoring.models import RecomputeJob
from scoring.snapshots import scores_recompute
from tests.factories import (
    CheckInFactory,
    DataSourceFactory,
    DepartmentFactory,
    GoalFactory,
    LeverFactory,
    LineFactory,
    LinkFactory,
    ObjectiveFactory,
    PeriodFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
LISTS = [
    "/api/v1/departments/",
    "/api/v1/reporting-lines/",
    "/api/v1/periods/",
    "/api/v1/objectives/",
    "/api/v1/goals/",
    "/api/v1/check-ins/",
    "/api/v1/levers/",
    "/api/v1/links/",
    "/api/v1/decisions/",
    "/api/v1/data-sources/",
    "/api/v1/mandate-items/",
    "/api/v1/scores/",
    "/api/v1/scores/latest/",
    "/api/v1/scores/history/",
    "/api/v1/recompute/",
    "/api/v1/tokens/",
    "/api/v1/users/me/needs/",  # not a list, but it grows with the organisation's claims, drafts and levers (issue 14)
]


def grow(org, cco_user, numbers: range) -> None:
    """Add one more of everything a list shows for each number."""
    for number in numbers:
        department = DepartmentFactory(heads=[UserFactory()])
        LineFactory(department=department, kind="dotted")
        PeriodFactory(name=f"20{30 + number}-Q1", start=f"20{30 + number}-01-01", end=f"20{30 + number}-04-01",
                      is_current=False)  # fmt: skip
        objective = ObjectiveFactory(period=org.period)
        goal = GoalFactory(department=department, period=org.period, weight=10)
        LinkFactory(goal=goal, objective=objective)
        CheckInFactory(goal=goal, at=timezone.now())
        lever = LeverFactory(goal=goal, manager=UserFactory())
        Decision.objects.create(department=department, lever=lever, action="veto", reason="No.", by=cco_user,
                                subject=str(lever))  # fmt: skip
        DataSourceFactory()
        RecomputeJob.objects.create(requested_by=cco_user)
        AuthToken.objects.create(user=UserFactory())
    scores_recompute()


@pytest.mark.parametrize("url", LISTS)
def test_list_queries_stay_constant(client_for, admin_user, cco_user, org, url, django_assert_max_num_queries):
    admin_user.groups.add(*cco_user.groups.all())  # an admin who is also the CCO may read every list
    client = client_for(admin_user)
    grow(org, cco_user, range(2))
    client.get(url)  # the user's roles are read once and remembered on the user
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    grow(org, cco_user, range(2, 8))
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
