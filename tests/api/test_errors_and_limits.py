"""One error shape for every failure, and throttling for anonymous and signed-in clients."""

import pytest
from django.core.cache import cache

from cco.permissions import refusal
from tests.api.helpers import errors_of

pytestmark = pytest.mark.django_db


def test_malformed_json_is_a_400_in_the_error_shape(client_for, head, org):
    response = client_for(head).post("/api/v1/goals/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert errors_of(response) == {}


def test_a_refused_write_explains_itself_like_the_web(client_for, executive, org):
    response = client_for(executive).post("/api/v1/departments/", {"name": "X"}, format="json")
    assert response.json() == {"detail": refusal("add_department"), "code": "permission_denied", "errors": {}}


def test_a_refusal_by_the_service_keeps_the_services_sentence(client_for, head, org):
    payload = {"goal": org.other_goal.pk, "manager": head.pk, "share": "10"}
    response = client_for(head).post("/api/v1/levers/", payload, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == refusal("add_compensationlever")


def test_a_400_lists_every_field_and_summarises_them(client_for, admin_user, org):
    response = client_for(admin_user).post("/api/v1/data-sources/", {"category": "gossip"}, format="json")
    assert response.status_code == 400
    assert set(errors_of(response)) == {"name", "category"}
    assert response.json()["detail"] == "Invalid input in: name, category."


def test_an_invalid_filter_value_is_a_400_naming_the_filter(client_for, head, org):
    response = client_for(head).get("/api/v1/goals/", {"department": "abc"})
    assert response.status_code == 400
    assert list(errors_of(response)) == ["department"]


def test_a_page_past_the_end_is_a_404(client_for, head, org):
    assert client_for(head).get("/api/v1/goals/", {"page": 99}).status_code == 404


def test_anonymous_clients_are_throttled_so_passwords_cannot_be_guessed_fast(settings, client_for, head, org):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": None}}
    cache.clear()
    guesses = [{"username": "head-user", "password": guess} for guess in ("a", "b", "pw")]
    responses = [client_for().post("/api/v1/auth/token/", guess, format="json") for guess in guesses]
    assert [response.status_code for response in responses] == [400, 400, 429]
    assert responses[-1].headers["Retry-After"]


def test_signed_in_clients_are_throttled_per_user(settings, client_for, head, executive, org):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": "2/minute"}}
    cache.clear()
    client = client_for(head)
    assert [client.get("/api/v1/goals/").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/v1/goals/").json()["code"] == "throttled"
    assert client_for(executive).get("/api/v1/goals/").status_code == 200


def test_a_malformed_id_is_a_404_in_the_error_shape_not_an_html_page(client_for, head, org):
    response = client_for(head).patch("/api/v1/goals/1.5/", {}, format="json")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert errors_of(response) == {}


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_date_time_filter_out_of_range_is_a_400_not_a_crash(client_for, head, org, moment):
    response = client_for(head).get("/api/v1/check-ins/", {"at_after": moment})
    assert response.status_code == 400
    assert errors_of(response) == {"at_after": ["Date/time out of range."]}
