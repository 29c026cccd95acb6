"""The mandate over the API: checklist items with what the data shows, data sources, and the CCO's decisions."""

import pytest

from goals.models import CompensationLever, Goal
from mandates.models import DataSource, Decision, MandateItem
from tests.api.helpers import errors_of

pytestmark = pytest.mark.django_db
ITEMS = "/api/v1/mandate-items/"
SOURCES = "/api/v1/data-sources/"
DECISIONS = "/api/v1/decisions/"


def item_url(key: str) -> str:
    return f"{ITEMS}{MandateItem.objects.get(key=key).pk}/"


def test_checklist_shows_what_the_data_says_beside_the_ccos_status(client_for, executive, org):
    body = client_for(executive).get(item_url("manage-customer-facing")).json()
    assert body["status"] == "not_granted"
    assert body["evaluated_status"] == "partial"
    assert body["evaluated_reason"].startswith("1 of 2 customer-facing departments report to the CCO")
    assert body["effective_status"] == "partial"
    assert body["disagrees"] is True


def test_an_item_the_data_cannot_tell_has_no_evaluation(client_for, executive, org):
    body = client_for(executive).get(item_url("customer-centric-culture")).json()
    assert (body["evaluated_status"], body["evaluated_reason"], body["disagrees"]) == (None, "", False)


def test_checklist_list_reads_the_facts_once(client_for, executive, org, django_assert_max_num_queries):
    client = client_for(executive)
    with django_assert_max_num_queries(14):
        response = client.get(ITEMS)
    assert response.json()["count"] == 9


def test_cco_records_an_items_status_and_evidence(client_for, cco_user, org):
    url = item_url("customer-centric-culture")
    payload = {"status": "granted", "evidence": "Board minute 2026-10."}
    response = client_for(cco_user).put(url, payload, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200, response.json()
    item = MandateItem.objects.get(key="customer-centric-culture")
    assert (item.status, item.updated_by) == ("granted", cco_user)


def test_granted_without_evidence_is_a_400_on_evidence(client_for, cco_user, org):
    url = item_url("customer-centric-culture")
    response = client_for(cco_user).patch(url, {"status": "granted"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 400
    assert "evidence" in errors_of(response)
    assert MandateItem.objects.get(key="customer-centric-culture").status == "not_granted"


@pytest.mark.parametrize("role", ["admin", "executive", "head"])
def test_only_the_cco_changes_checklist_items(client_for, users, org, role):
    url = item_url("customer-centric-culture")
    response = client_for(users[role]).patch(url, {"status": "partial"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 403
    assert MandateItem.objects.get(key="customer-centric-culture").status == "not_granted"


def test_checklist_items_cannot_be_created_or_deleted(client_for, cco_user, org):
    client = client_for(cco_user)
    assert client.post(ITEMS, {"key": "new"}, format="json").status_code == 405
    assert client.delete(item_url("customer-strategy"), HTTP_IF_MATCH="*").status_code == 405
    assert MandateItem.objects.count() == 9


@pytest.mark.parametrize("role", ["admin", "cco"])
def test_admin_and_cco_add_data_sources(client_for, users, org, role):
    payload = {"name": "Win/loss panel", "category": "competitor", "cco_has_access": role == "admin"}
    assert client_for(users[role]).post(SOURCES, payload, format="json").status_code == 201
    assert DataSource.objects.filter(name="Win/loss panel").exists()


def test_head_cannot_add_data_sources(client_for, head, org):
    payload = {"name": "Win/loss panel", "category": "competitor"}
    assert client_for(head).post(SOURCES, payload, format="json").status_code == 403
    assert not DataSource.objects.filter(name="Win/loss panel").exists()


def test_a_source_refreshed_in_the_future_is_a_400(client_for, cco_user, org):
    payload = {"last_refreshed_at": "2999-01-01T00:00:00Z"}
    response = client_for(cco_user).patch(f"{SOURCES}{org.source.pk}/", payload, format="json")
    assert response.status_code == 400
    assert "last_refreshed_at" in errors_of(response)


def test_cco_deletes_a_data_source(client_for, cco_user, org):
    assert client_for(cco_user).delete(f"{SOURCES}{org.source.pk}/").status_code == 204
    assert not DataSource.objects.exists()


def test_executive_cannot_delete_a_data_source(client_for, executive, org):
    assert client_for(executive).delete(f"{SOURCES}{org.source.pk}/").status_code == 403
    assert DataSource.objects.exists()


def test_cco_signs_off_a_lever_and_the_decision_is_logged(client_for, cco_user, org):
    payload = {"action": "sign_off", "lever": org.lever.pk, "reason": "Tied to a customer objective."}
    response = client_for(cco_user).post(DECISIONS, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["by_username"] == "cco-user"
    assert CompensationLever.objects.get(pk=org.lever.pk).signed_off is True


def test_cco_vetoes_a_goal_back_to_draft(client_for, cco_user, org):
    payload = {"action": "veto", "goal": org.goal.pk, "reason": "Rewards speed over resolution."}
    assert client_for(cco_user).post(DECISIONS, payload, format="json").status_code == 201
    assert Goal.objects.get(pk=org.goal.pk).status == "draft"


def test_sign_off_without_authority_through_the_line_is_a_400_saying_why(client_for, cco_user, org):
    org.line.signs_off_compensation = False
    org.line.save()
    payload = {"action": "sign_off", "lever": org.lever.pk, "reason": "Looks right."}
    response = client_for(cco_user).post(DECISIONS, payload, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == ("Service's line to the CCO does not let the CCO sign off its compensation.")
    assert not Decision.objects.exists()
    assert CompensationLever.objects.get(pk=org.lever.pk).signed_off is False


def test_approving_a_goal_in_a_department_without_a_line_is_a_400(client_for, cco_user, org):
    payload = {"action": "approve", "goal": org.other_goal.pk, "reason": "Fine."}
    response = client_for(cco_user).post(DECISIONS, payload, format="json")
    assert response.status_code == 400
    assert "no reporting line to the CCO" in response.json()["detail"]
    assert not Decision.objects.exists()


@pytest.mark.parametrize("role", ["admin", "executive", "head"])
def test_only_the_cco_decides(client_for, users, org, role):
    payload = {"action": "sign_off", "lever": org.lever.pk, "reason": "Mine."}
    assert client_for(users[role]).post(DECISIONS, payload, format="json").status_code == 403
    assert not Decision.objects.exists()


def test_a_decision_names_exactly_one_subject(client_for, cco_user, org):
    payload = {"action": "veto", "goal": org.goal.pk, "lever": org.lever.pk, "reason": "Both?"}
    response = client_for(cco_user).post(DECISIONS, payload, format="json")
    assert response.status_code == 400
    assert errors_of(response) == {"non_field_errors": ["Name exactly one goal or one lever."]}


def test_sign_off_applies_to_levers_only(client_for, cco_user, org):
    payload = {"action": "sign_off", "goal": org.goal.pk, "reason": "Goal?"}
    response = client_for(cco_user).post(DECISIONS, payload, format="json")
    assert response.status_code == 400
    assert list(errors_of(response)) == ["action"]


def test_decisions_filter_by_action(client_for, cco_user, executive, org):
    client_for(cco_user).post(DECISIONS, {"action": "veto", "goal": org.goal.pk, "reason": "No."}, format="json")
    response = client_for(executive).get(DECISIONS, {"action": "veto"})
    assert [row["subject"] for row in response.json()["results"]] == ["Resolve at first contact"]


def test_the_cco_cannot_record_their_own_access_to_a_source(client_for, cco_user, org):
    payload = {"name": "Win/loss panel", "category": "competitor", "cco_has_access": True}
    response = client_for(cco_user).post(SOURCES, payload, format="json")
    assert response.status_code == 400
    assert "An admin records that the CCO has access" in errors_of(response)["cco_has_access"][0]
    assert not DataSource.objects.filter(name="Win/loss panel").exists()
