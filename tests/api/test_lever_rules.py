"""The lever rules hold on every path, not only in the web form: pay is tied only for a head of the department and
only to a goal that still counts. Through the API and the Django admin alike, a refusal saves nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from goals.models import CompensationLever, GoalStatus
from tests.api.helpers import errors_of
from tests.factories import GoalFactory, UserFactory

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
