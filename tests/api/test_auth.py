"""Authentication: tokens and sessions authenticate API requests, and users/me says who is signed in.

Tokens' lifecycle (exchange, issue, revoke, expiry, password changes, the admin) is in test_tokens.py.
"""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_authenticates_api_requests(head, org):
    _, key = AuthToken.objects.create(user=head)
    assert with_token(key).get("/api/v1/goals/").status_code == 200


def test_an_unknown_token_is_a_401(org):
    response = with_token("not-a-token").get("/api/v1/goals/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_token_that_is_not_utf8_is_a_401(org):
    response = with_token("\xe9\xe9").get("/api/v1/goals/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_no_credentials_is_a_401_naming_the_token_scheme(org):
    response = APIClient().get("/api/v1/goals/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_session_authenticates_api_requests(head, org):
    client = APIClient()
    client.login(username="head-user", password="pw")
    assert client.get("/api/v1/users/me/").json()["username"] == "head-user"


def test_session_writes_need_the_csrf_token(head, org):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="head-user", password="pw")
    response = client.post("/api/v1/check-ins/", {"goal": org.goal.pk, "value": "1"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_me_names_roles_and_headed_departments(client_for, head, org):
    body = client_for(head).get("/api/v1/users/me/").json()
    assert body["roles"] == ["Department head"]
    assert body["headed_departments"] == [{"id": org.department.pk, "name": "Service"}]
    assert body["permissions"]["add_department"] is False


def test_me_tells_the_cco_they_may_sign_off(client_for, cco_user, org):
    body = client_for(cco_user).get("/api/v1/users/me/").json()
    assert (body["roles"], body["permissions"]["sign_off_lever"]) == (["CCO"], True)
