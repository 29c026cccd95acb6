"""Authentication: session and token, users' own tokens, admins issuing and revoking tokens, and users/me."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.helpers import errors_of

pytestmark = pytest.mark.django_db
TOKENS = "/api/v1/tokens/"


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_user_exchanges_their_password_for_a_token(head, org):
    response = APIClient().post("/api/v1/auth/token/", {"username": "head-user", "password": "pw"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=head).key, "username": "head-user"}


def test_asking_twice_gives_the_same_token(head, org):
    client = APIClient()
    first = client.post("/api/v1/auth/token/", {"username": "head-user", "password": "pw"}, format="json")
    second = client.post("/api/v1/auth/token/", {"username": "head-user", "password": "pw"}, format="json")
    assert first.json()["token"] == second.json()["token"]


def test_a_wrong_password_is_a_400_and_issues_no_token(head, org):
    response = APIClient().post("/api/v1/auth/token/", {"username": "head-user", "password": "no"}, format="json")
    assert response.status_code == 400
    assert errors_of(response) == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert not Token.objects.exists()


def test_a_token_authenticates_api_requests(head, org):
    token = Token.objects.create(user=head)
    assert with_token(token.key).get("/api/v1/goals/").status_code == 200


def test_an_unknown_token_is_a_401(org):
    response = with_token("not-a-token").get("/api/v1/goals/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


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


def test_admin_issues_a_token_for_a_user(client_for, admin_user, head, org):
    response = client_for(admin_user).post(TOKENS, {"user": head.pk}, format="json")
    assert response.status_code == 201
    key = response.json()["key"]
    assert with_token(key).get("/api/v1/users/me/").json()["username"] == "head-user"


def test_issuing_again_replaces_the_old_token(client_for, admin_user, head, org):
    old = Token.objects.create(user=head)
    client_for(admin_user).post(TOKENS, {"user": head.pk}, format="json")
    assert with_token(old.key).get("/api/v1/users/me/").status_code == 401


def test_admin_revokes_a_token(client_for, admin_user, head, org):
    token = Token.objects.create(user=head)
    assert client_for(admin_user).delete(f"{TOKENS}{head.pk}/").status_code == 204
    assert with_token(token.key).get("/api/v1/users/me/").status_code == 401


def test_token_list_shows_holders_but_never_keys(client_for, admin_user, head, org):
    Token.objects.create(user=head)
    rows = client_for(admin_user).get(TOKENS).json()["results"]
    assert [(row["username"], "key" in row) for row in rows] == [("head-user", False)]


@pytest.mark.parametrize("role", ["cco", "executive", "head"])
def test_only_admins_manage_tokens(client_for, users, org, role):
    response = client_for(users[role]).post(TOKENS, {"user": users[role].pk}, format="json")
    assert response.status_code == 403
    assert not Token.objects.exists()


def test_issuing_a_token_for_an_inactive_user_is_a_400(client_for, admin_user, head, org):
    head.is_active = False
    head.save()
    response = client_for(admin_user).post(TOKENS, {"user": head.pk}, format="json")
    assert response.status_code == 400
    assert "user" in errors_of(response)
    assert not Token.objects.exists()
