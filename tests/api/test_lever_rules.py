"""The lever rules hold on every path, not only in the web form: pay is tied only for a head of the department and
only to a goal that still counts. Through the API and the Django admin alike, a refusal saves nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from goals.models import CompensationLever, GoalStatus, Period
from tests.api.helpers import errors_of
from tests.factories import GoalFactory, PeriodFactory, UserFactory, quarter
from tests.lever_cases import GOAL_REFUSALS, MANAGERS, refused_goal, refused_manager

pytestmark = pytest.mark.django_db
LEVERS = "/api/v1/levers/"


def test_a_head_cannot_tie_the_ccos_pay_to_their_departments_goal(client_for, head, cco_user, org):
    goal = GoalFactory(department=org.department, period=org.period, title="Second goal", weight=10)
    response = client_for(head).post(LEVERS, {"goal": goal.pk, "manager": cco_user.pk, "share": "100"}, format="json")
    assert response.status_code == 400
    assert errors_of(response)["manager"] == [f"Only a head of {org.department} can have pay tied to its goals."]
    assert CompensationLever.objects.count() == 1


def test_pay_cannot_be_tied_to_an_archived_goal(client_for, head, org):
    archived = GoalFactory(department=org.department, period=org.period, title="Old goal", status=GoalStatus.ARCHIVED)
    response = client_for(head).post(LEVERS, {"goal": archived.pk, "manager": head.pk, "share": "5"}, format="json")
    assert response.status_code == 400
    assert errors_of(response)["goal"] == ["This goal is archived; tie pay to a goal that still counts."]
    assert CompensationLever.objects.count() == 1


def test_a_lever_keeps_its_manager_and_goal_after_they_stop_qualifying(client_for, head, org):
    org.department.heads.remove(head)  # moved to another job
    org.goal.status = GoalStatus.ARCHIVED
    org.goal.save()
    response = client_for(org.other_department.heads.get()).get(f"{LEVERS}{org.lever.pk}/")
    assert response.status_code == 200
    admin = UserFactory(username="lever-admin", role="Admin")
    patch = client_for(admin).patch(f"{LEVERS}{org.lever.pk}/", {"share": "10"}, format="json", HTTP_IF_MATCH="*")
    assert patch.status_code == 200, patch.json()
    assert CompensationLever.objects.get(pk=org.lever.pk).share == Decimal(10)


def test_the_django_admin_refuses_a_manager_outside_the_department(client, admin_user, cco_user, org):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    goal = GoalFactory(department=org.department, period=org.period, title="Second goal", weight=10)
    data = {"department": org.department.pk, "manager": cco_user.pk, "goal": goal.pk, "share": "20"}
    response = client.post("/admin/goals/compensationlever/add/", data)
    assert response.status_code == 200, "the form is shown again"
    assert f"Only a head of {org.department} can have pay tied to its goals." in response.content.decode()
    assert CompensationLever.objects.count() == 1


def levers():
    return list(CompensationLever.objects.order_by("pk").values("manager_id", "goal_id", "share", "signed_off"))


def patch_with_etag(client, url: str, data: dict):
    etag = client.get(url)["ETag"]
    return client.patch(url, data, format="json", HTTP_IF_MATCH=etag)


@pytest.mark.parametrize("kind", GOAL_REFUSALS)
def test_pay_is_tied_only_to_an_active_goal_of_the_current_period(client_for, head, org, kind):
    goal = refused_goal(kind, org.department)
    before = levers()
    response = client_for(head).post(LEVERS, {"goal": goal.pk, "manager": head.pk, "share": "5"}, format="json")
    assert response.status_code == 400
    assert errors_of(response)["goal"] == [GOAL_REFUSALS[kind]]
    assert levers() == before


@pytest.mark.parametrize("kind", GOAL_REFUSALS)
def test_a_lever_cannot_be_moved_to_a_goal_that_does_not_count_now(client_for, head, org, kind):
    goal = refused_goal(kind, org.department)
    before = levers()
    response = patch_with_etag(client_for(head), f"{LEVERS}{org.lever.pk}/", {"goal": goal.pk})
    assert response.status_code == 400
    assert errors_of(response)["goal"] == [GOAL_REFUSALS[kind]]
    assert levers() == before


@pytest.mark.parametrize("kind", MANAGERS)
def test_pay_is_tied_only_for_a_head_of_the_goals_department(client_for, head, cco_user, org, kind):
    manager = refused_manager(kind, cco=cco_user, other_department=org.other_department)
    message = [f"Only a head of {org.department} can have pay tied to its goals."]
    before = levers()
    created = client_for(head).post(LEVERS, {"goal": org.goal.pk, "manager": manager.pk, "share": "5"}, format="json")
    changed = patch_with_etag(client_for(head), f"{LEVERS}{org.lever.pk}/", {"manager": manager.pk})
    assert (created.status_code, changed.status_code) == (400, 400)
    assert errors_of(created)["manager"] == errors_of(changed)["manager"] == message
    assert levers() == before


def test_a_lever_keeps_its_goal_after_the_period_moves_on(client_for, head, org):
    Period.objects.filter(pk=org.period.pk).update(is_current=False)
    PeriodFactory(**vars(quarter(1)), is_current=True)
    response = patch_with_etag(client_for(head), f"{LEVERS}{org.lever.pk}/", {"share": "15"})
    assert response.status_code == 200, response.json()
    assert CompensationLever.objects.get(pk=org.lever.pk).share == Decimal(15)
