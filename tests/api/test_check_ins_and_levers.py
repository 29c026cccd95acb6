"""Check-ins and compensation levers over the API."""

import pytest

from goals.models import CheckIn, CompensationLever
from tests.api.helpers import errors_of
from tests.factories import CheckInFactory, GoalFactory

pytestmark = pytest.mark.django_db
CHECK_INS = "/api/v1/check-ins/"
LEVERS = "/api/v1/levers/"


def test_head_records_a_check_in_on_their_goal(client_for, head, org):
    payload = {"goal": org.goal.pk, "value": "72.5", "confidence": "on_track", "comment": "Good month."}
    response = client_for(head).post(CHECK_INS, payload, format="json")
    assert response.status_code == 201, response.json()
    check_in = CheckIn.objects.get()
    assert (check_in.by, str(check_in.value)) == (head, "72.5000")
    assert response.json()["department"] == org.department.pk


@pytest.mark.parametrize("role", ["other_head", "cco", "admin", "executive"])
def test_only_the_departments_heads_record_check_ins(client_for, users, org, role):
    response = client_for(users[role]).post(CHECK_INS, {"goal": org.goal.pk, "value": "1"}, format="json")
    assert response.status_code == 403
    assert not CheckIn.objects.exists()


def test_check_in_on_an_archived_goal_is_a_400_on_goal(client_for, head, org):
    org.goal.status = "archived"
    org.goal.save()
    response = client_for(head).post(CHECK_INS, {"goal": org.goal.pk, "value": "1"}, format="json")
    assert response.status_code == 400
    assert "goal" in errors_of(response)


def test_check_ins_filter_by_department(client_for, executive, org):
    CheckInFactory(goal=org.goal)
    CheckInFactory(goal=org.other_goal)
    response = client_for(executive).get(CHECK_INS, {"department": org.other_department.pk})
    assert [row["goal"] for row in response.json()["results"]] == [org.other_goal.pk]


def test_head_ties_pay_to_their_departments_goal(client_for, head, org):
    goal = GoalFactory(department=org.department, period=org.period, title="Second goal", weight=10)
    response = client_for(head).post(LEVERS, {"goal": goal.pk, "manager": head.pk, "share": "15"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["department"] == org.department.pk
    assert response.headers["ETag"]


def test_head_cannot_add_a_lever_to_another_departments_goal(client_for, head, org):
    payload = {"goal": org.other_goal.pk, "manager": head.pk, "share": "15"}
    assert client_for(head).post(LEVERS, payload, format="json").status_code == 403
    assert CompensationLever.objects.count() == 1


def test_pay_over_100_percent_is_a_400_on_share(client_for, head, org):
    goal = GoalFactory(department=org.department, period=org.period, title="Second goal", weight=10)
    response = client_for(head).post(LEVERS, {"goal": goal.pk, "manager": head.pk, "share": "90"}, format="json")
    assert response.status_code == 400
    assert "share" in errors_of(response)
    assert CompensationLever.objects.count() == 1


def test_changing_a_signed_off_levers_share_voids_the_sign_off(client_for, head, cco_user, org):
    org.lever.signed_off, org.lever.signed_off_by = True, cco_user
    org.lever.save()
    response = client_for(head).patch(f"{LEVERS}{org.lever.pk}/", {"share": "25"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200
    assert response.json()["signed_off"] is False


def test_patching_a_lever_with_its_own_share_adds_nothing_to_its_history(client_for, head, org):
    client = client_for(head)
    etag = client.get(f"{LEVERS}{org.lever.pk}/").headers["ETag"]
    history = org.lever.history.count()

    response = client.patch(f"{LEVERS}{org.lever.pk}/", {"share": "20.00"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200, response.json()
    assert response.headers["ETag"] == etag
    assert org.lever.history.count() == history


def test_moving_a_lever_to_another_departments_goal_is_a_400(client_for, admin_user, org):
    url = f"{LEVERS}{org.lever.pk}/"
    response = client_for(admin_user).patch(url, {"goal": org.other_goal.pk}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 400
    assert "goal" in errors_of(response)
    assert CompensationLever.objects.get(pk=org.lever.pk).goal == org.goal


def test_other_head_cannot_delete_the_lever(client_for, other_head, org):
    assert client_for(other_head).delete(f"{LEVERS}{org.lever.pk}/", HTTP_IF_MATCH="*").status_code == 403
    assert CompensationLever.objects.filter(pk=org.lever.pk).exists()


def test_head_deletes_their_lever(client_for, head, org):
    assert client_for(head).delete(f"{LEVERS}{org.lever.pk}/", HTTP_IF_MATCH="*").status_code == 204
    assert not CompensationLever.objects.exists()


def test_levers_filter_by_signed_off(client_for, executive, org):
    response = client_for(executive).get(LEVERS, {"signed_off": "true"})
    assert response.json()["count"] == 0
