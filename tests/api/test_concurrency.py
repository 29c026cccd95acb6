"""Optimistic concurrency: ETags on goals, levers and mandate items; stale If-Match gets 412 and changes nothing."""

import pytest

from goals.models import CompensationLever, Goal
from mandates.models import MandateItem
from tests.api.helpers import errors_of

pytestmark = pytest.mark.django_db


def goal_url(org) -> str:
    return f"/api/v1/goals/{org.goal.pk}/"


def test_retrieve_carries_an_etag_that_changes_when_the_goal_changes(client_for, head, org):
    client = client_for(head)
    before = client.get(goal_url(org)).headers["ETag"]
    after = client.patch(goal_url(org), {"title": "New title"}, format="json", HTTP_IF_MATCH=before).headers["ETag"]
    assert before.startswith('"') and after.startswith('"')
    assert before != after
    assert client.get(goal_url(org)).headers["ETag"] == after


def test_stale_if_match_gets_412_and_changes_nothing(client_for, head, org):
    client = client_for(head)
    stale = client.get(goal_url(org)).headers["ETag"]
    client.patch(goal_url(org), {"title": "First edit"}, format="json", HTTP_IF_MATCH=stale)
    response = client.patch(goal_url(org), {"title": "Second edit"}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert Goal.objects.get(pk=org.goal.pk).title == "First edit"


def test_two_heads_editing_the_same_version_do_not_overwrite_each_other(client_for, head, role_groups, org):
    from tests.factories import UserFactory

    co_head = UserFactory(username="co-head", role="Department head")
    org.department.heads.add(co_head)
    first, second = client_for(head), client_for(co_head)
    etag = first.get(goal_url(org)).headers["ETag"]
    assert second.get(goal_url(org)).headers["ETag"] == etag
    assert first.put(goal_url(org), put_body(org, weight="45"), format="json", HTTP_IF_MATCH=etag).status_code == 200
    response = second.put(goal_url(org), put_body(org, weight="10"), format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert str(Goal.objects.get(pk=org.goal.pk).weight) == "45.00"


def put_body(org, **overrides) -> dict:
    body = {"title": org.goal.title, "metric": "Metric", "baseline": "0", "target": "100", "direction": "higher",
            "period": org.period.pk, "weight": "40", "status": "active"}  # fmt: skip
    return {**body, **overrides}


def test_write_without_if_match_gets_428_and_changes_nothing(client_for, head, org):
    response = client_for(head).patch(goal_url(org), {"title": "Blind edit"}, format="json")
    assert response.status_code == 428
    assert errors_of(response) == {}
    assert Goal.objects.get(pk=org.goal.pk).title == "Resolve at first contact"


def test_if_match_star_overwrites_whatever_is_there(client_for, head, org):
    response = client_for(head).patch(goal_url(org), {"title": "Deliberate"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200
    assert Goal.objects.get(pk=org.goal.pk).title == "Deliberate"


def test_delete_with_stale_if_match_gets_412_and_keeps_the_goal(client_for, head, org):
    client = client_for(head)
    stale = client.get(goal_url(org)).headers["ETag"]
    client.patch(goal_url(org), {"title": "Changed meanwhile"}, format="json", HTTP_IF_MATCH=stale)
    assert client.delete(goal_url(org), HTTP_IF_MATCH=stale).status_code == 412
    assert Goal.objects.filter(pk=org.goal.pk).exists()


def test_create_answers_with_the_new_goals_etag(client_for, head, org):
    from tests.api.helpers import goal_payload

    client = client_for(head)
    created = client.post("/api/v1/goals/", goal_payload(org), format="json")
    fetched = client.get(f"/api/v1/goals/{created.json()['id']}/")
    assert created.headers["ETag"] == fetched.headers["ETag"]


def test_a_cco_sign_off_makes_the_heads_lever_etag_stale(client_for, head, cco_user, org):
    url = f"/api/v1/levers/{org.lever.pk}/"
    etag = client_for(head).get(url).headers["ETag"]
    client_for(cco_user).post(
        "/api/v1/decisions/", {"action": "sign_off", "lever": org.lever.pk, "reason": "Agreed."}, format="json"
    )
    response = client_for(head).patch(url, {"share": "30"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    lever = CompensationLever.objects.get(pk=org.lever.pk)
    assert (str(lever.share), lever.signed_off) == ("20.00", True)


def test_stale_if_match_on_a_mandate_item_gets_412(client_for, cco_user, org):
    item = MandateItem.objects.get(key="customer-centric-culture")
    url = f"/api/v1/mandate-items/{item.pk}/"
    client = client_for(cco_user)
    stale = client.get(url).headers["ETag"]
    first = client.patch(url, {"status": "partial", "evidence": "Town halls."}, format="json", HTTP_IF_MATCH=stale)
    assert first.status_code == 200, first.json()
    response = client.patch(url, {"status": "granted", "evidence": "Board"}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    item.refresh_from_db()
    assert (item.status, item.evidence) == ("partial", "Town halls.")


def test_if_match_with_a_list_of_tags_matches_any_of_them(client_for, head, org):
    client = client_for(head)
    etag = client.get(goal_url(org)).headers["ETag"]
    response = client.patch(goal_url(org), {"title": "Listed"}, format="json", HTTP_IF_MATCH=f'"old", {etag}')
    assert response.status_code == 200
