"""Hostile or broken requests get a clear 4xx in the API's error shape and change nothing: too many links, JSON
nested to break the parser, oversized bodies and texts, numbers too large to compute with, impossible dates."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from goals.models import MAX_LINKS_PER_GOAL, CheckIn, Goal, GoalLink
from mandates.models import Decision, MandateItem
from tests.api.helpers import errors_of

pytestmark = pytest.mark.django_db


def goal_url(goal) -> str:
    return f"/api/v1/goals/{goal.pk}/"


def links_state():
    return list(GoalLink.objects.order_by("pk").values_list("goal_id", "objective_id", "kind", "strength"))


def test_a_patch_with_forty_thousand_links_is_refused_before_any_is_read(client_for, head, org,
                                                                         django_assert_max_num_queries):  # fmt: skip
    links = [{"objective": org.objective.pk, "kind": "supports", "strength": "1"}] * 40_000
    before = links_state()
    client = client_for(head)
    with django_assert_max_num_queries(12):
        response = client.patch(goal_url(org.goal), {"links": links}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 400
    assert errors_of(response)["links"] == [f"Ensure this field has no more than {MAX_LINKS_PER_GOAL} elements."]
    assert links_state() == before


def test_the_service_refuses_more_links_than_a_goal_may_have_on_every_path(head, org):
    from django.core.exceptions import ValidationError

    from goals.links import parse_links
    from goals.services import goal_update

    rows = ({"objective": org.objective.pk, "kind": "supports", "strength": 1} for _ in range(10**9))
    with pytest.raises(ValidationError) as refused:
        parse_links(rows)  # a generator of a billion rows: only MAX + 1 are ever taken
    assert refused.value.message_dict["links"] == [f"A goal can link at most {MAX_LINKS_PER_GOAL} customer objectives."]
    with pytest.raises(ValidationError):
        goal_update(actor=head, goal=org.goal, data={}, links=parse_links([{"objective": org.objective.pk}] * 21))


def test_json_nested_a_thousand_deep_is_a_400_for_an_anonymous_client(client_for):
    body = '{"username": ' + "[" * 1000 + "]" * 1000 + "}"
    response = client_for().post("/api/v1/auth/token/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "nested more than" in response.json()["detail"]


def test_an_oversized_body_is_a_413_in_the_error_shape(client_for, admin_user):
    body = json.dumps({"name": "x" * 3_000_000})
    response = client_for(admin_user).post("/api/v1/departments/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert set(response.json()) == {"detail", "code", "errors"}


def test_an_unknown_object_is_a_404_with_the_not_found_code(client_for, executive):
    response = client_for(executive).get("/api/v1/goals/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found", "errors": {}}


@pytest.mark.parametrize("weight", ["1e999999999", "1e20", "-1e999999999"])
def test_a_weight_too_large_to_compute_with_is_a_field_error(client_for, head, org, weight):
    response = client_for(head).patch(goal_url(org.goal), {"weight": weight}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 400
    assert "weight" in errors_of(response)
    assert Goal.objects.get(pk=org.goal.pk).weight == org.goal.weight


@pytest.mark.parametrize("year", [1, 1999, 9999])
def test_a_check_in_dated_far_out_is_refused(client_for, head, org, year, settings):
    settings.TIME_ZONE = "Europe/Berlin"  # year 9999 UTC overflowed when shown in a zone east of UTC
    at = datetime(year, 12, 31, 23, 30, tzinfo=UTC).isoformat()
    response = client_for(head).post("/api/v1/check-ins/", {"goal": org.goal.pk, "value": "5", "at": at}, format="json")
    assert response.status_code == 400
    assert "at" in errors_of(response)
    assert not CheckIn.objects.exists()


def test_a_check_in_dated_in_the_future_is_refused(client_for, head, org):
    response = client_for(head).post(
        "/api/v1/check-ins/", {"goal": org.goal.pk, "value": "5", "at": "2099-01-01T00:00:00Z"}, format="json"
    )
    assert errors_of(response)["at"] == ["A check-in cannot be dated in the future."]


def test_a_million_character_decision_reason_is_refused(client_for, cco_user, org):
    payload = {"action": "veto", "goal": org.goal.pk, "reason": "x" * 1_000_000}
    response = client_for(cco_user).post("/api/v1/decisions/", payload, format="json")
    assert response.status_code == 400
    assert "reason" in errors_of(response)
    assert not Decision.objects.exists()


def test_mandate_evidence_has_a_maximum(client_for, cco_user, org):
    item = MandateItem.objects.get(key="customer-centric-culture")
    payload = {"status": "granted", "evidence": "x" * 100_000}
    response = client_for(cco_user).put(f"/api/v1/mandate-items/{item.pk}/", payload, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 400
    assert "evidence" in errors_of(response)
    item.refresh_from_db()
    assert item.evidence == ""
