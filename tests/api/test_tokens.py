"""API tokens' lifecycle: exchanged for a password or issued by an admin, stored hashed, shown once, expiring,
limited per user, revoked by an admin or by any password change, and never shown in the Django admin."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.management.commands import changepassword
from django.core.management import call_command
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.api.helpers import errors_of

pytestmark = pytest.mark.django_db
TOKENS = "/api/v1/tokens/"
NEW_PASSWORD = "a-much-longer-passphrase-42"


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def exchange(username: str = "head-user", password: str = "pw"):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")


def works(key: str) -> bool:
    status = with_token(key).get("/api/v1/users/me/").status_code
    assert status in (200, 401)
    return status == 200


@pytest.fixture
def knox_settings(settings):
    """Change REST_KNOX entries for one test (knox reloads its settings when they change)."""

    def change(**entries):
        settings.REST_KNOX = {**settings.REST_KNOX, **entries}

    return change


# --- Exchanging a password for a token -----------------------------------------------------------------


def test_user_exchanges_their_password_for_a_token_shown_once(head, org):
    response = exchange()
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "username", "expiry"}
    assert body["username"] == "head-user"
    assert works(body["token"])


def test_the_key_is_stored_only_as_a_hash(head, org):
    key = exchange().json()["token"]
    stored = AuthToken.objects.get(user=head)
    assert stored.digest == hash_token(key)
    assert key not in (stored.digest, stored.token_key)


def test_each_exchange_issues_a_new_token_and_the_earlier_keeps_working(head, org):
    first, second = exchange().json()["token"], exchange().json()["token"]
    assert first != second
    assert works(first) and works(second)


def test_a_wrong_password_is_a_400_and_issues_no_token(head, org):
    response = exchange(password="no")
    assert response.status_code == 400
    assert errors_of(response) == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert not AuthToken.objects.exists()


def test_an_inactive_user_gets_no_token(head, org):
    head.is_active = False
    head.save()
    assert exchange().status_code == 400
    assert not AuthToken.objects.exists()


def test_a_user_at_the_token_limit_gets_a_400_and_keeps_their_tokens(knox_settings, head, org):
    knox_settings(TOKEN_LIMIT_PER_USER=2)
    keys = [exchange().json()["token"] for _ in range(2)]
    response = exchange()
    assert response.status_code == 400
    assert "the most allowed" in errors_of(response)["non_field_errors"][0]
    assert AuthToken.objects.filter(user=head).count() == 2
    assert all(works(key) for key in keys)


def test_expired_tokens_do_not_count_towards_the_limit(knox_settings, head, org):
    knox_settings(TOKEN_LIMIT_PER_USER=1)
    expired, _ = AuthToken.objects.create(user=head, expiry=timedelta(hours=-1))
    assert exchange().status_code == 200
    assert not AuthToken.objects.filter(pk=expired.pk).exists()


# --- Expiry ---------------------------------------------------------------------------------------------


def test_a_token_expires_after_the_configured_time(knox_settings, head, org):
    knox_settings(TOKEN_TTL=timedelta(hours=2))
    before = timezone.now()
    body = exchange().json()
    expiry = AuthToken.objects.get(user=head).expiry
    assert before + timedelta(hours=2) <= expiry <= timezone.now() + timedelta(hours=2)
    assert body["expiry"] == expiry.isoformat().replace("+00:00", "Z")


def test_an_expired_token_is_a_401(head, org):
    token, key = AuthToken.objects.create(user=head)
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    response = with_token(key).get("/api/v1/users/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_using_a_token_does_not_extend_it(head, org):
    token, key = AuthToken.objects.create(user=head)
    assert works(key)
    assert AuthToken.objects.get(pk=token.pk).expiry == token.expiry


# --- Password changes revoke every token -----------------------------------------------------------------


def test_changing_the_password_in_the_web_form_revokes_tokens(client, head, org):
    _, key = AuthToken.objects.create(user=head)
    client.force_login(head)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "pw", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not works(key)


def test_an_admin_setting_a_password_in_the_django_admin_revokes_tokens(client, django_user_model, head, org):
    _, key = AuthToken.objects.create(user=head)
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    response = client.post(
        f"/admin/auth/user/{head.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not works(key)


def test_set_password_and_save_revokes_tokens(head, org):
    _, key = AuthToken.objects.create(user=head)
    head.set_password(NEW_PASSWORD)
    head.save()
    assert not works(key)


def test_manage_py_changepassword_revokes_tokens(head, org):
    _, key = AuthToken.objects.create(user=head)
    with mock.patch.object(changepassword.Command, "_get_pass", return_value=NEW_PASSWORD):
        call_command("changepassword", "head-user", stdout=mock.Mock())
    assert not works(key)


def test_deactivating_a_user_stops_their_tokens(head, org):
    _, key = AuthToken.objects.create(user=head)
    head.is_active = False
    head.save()
    assert not works(key)


def test_saving_a_user_without_a_new_password_keeps_their_tokens(head, org):
    _, key = AuthToken.objects.create(user=head)
    head.email = "new@example.com"
    head.save()
    APIClient().login(username="head-user", password="pw")  # records last_login
    assert works(key)


def test_a_password_change_revokes_only_that_users_tokens(head, cco_user, org):
    _, other = AuthToken.objects.create(user=cco_user)
    head.set_password(NEW_PASSWORD)
    head.save()
    assert works(other)


# --- Admins issue, list and revoke -----------------------------------------------------------------------


def test_admin_issues_a_token_for_a_user_and_sees_the_key_once(client_for, admin_user, executive, org):
    response = client_for(admin_user).post(TOKENS, {"user": executive.pk}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"user", "username", "prefix", "created", "expiry", "key"}
    assert body["prefix"] == body["key"][: len(body["prefix"])]
    assert with_token(body["key"]).get("/api/v1/users/me/").json()["username"] == "exec-user"
    assert body["key"] not in client_for(admin_user).get(f"{TOKENS}{executive.pk}/").content.decode()


def test_issuing_revokes_the_users_earlier_tokens(client_for, admin_user, executive, org):
    _, old = AuthToken.objects.create(user=executive)
    client_for(admin_user).post(TOKENS, {"user": executive.pk}, format="json")
    assert not works(old)
    assert AuthToken.objects.filter(user=executive).count() == 1


@pytest.mark.parametrize("role", ["cco", "head"])
def test_an_admin_cannot_take_a_key_that_acts_as_the_cco_or_a_head(client_for, admin_user, users, org, role):
    """With it, the admin could confirm claims as the CCO, or check in as a head: they get their own by password."""
    response = client_for(admin_user).post(TOKENS, {"user": users[role].pk}, format="json")

    assert response.status_code == 400
    assert "exchange their own password for a token" in errors_of(response)["user"][0]
    assert not AuthToken.objects.exists()


def test_admin_revokes_all_of_a_users_tokens(client_for, admin_user, head, org):
    keys = [AuthToken.objects.create(user=head)[1] for _ in range(2)]
    assert client_for(admin_user).delete(f"{TOKENS}{head.pk}/").status_code == 204
    assert not any(works(key) for key in keys)


def test_token_list_shows_holders_prefixes_and_expiry_but_never_keys(client_for, admin_user, head, org):
    token, key = AuthToken.objects.create(user=head)
    response = client_for(admin_user).get(TOKENS)
    [row] = response.json()["results"]
    assert (row["user"], row["username"]) == (head.pk, "head-user")
    assert [(t["prefix"], t["expiry"] is not None) for t in row["tokens"]] == [(token.token_key, True)]
    assert key not in response.content.decode()


def test_expired_tokens_are_not_listed(client_for, admin_user, head, org):
    AuthToken.objects.create(user=head, expiry=timedelta(hours=-1))
    assert client_for(admin_user).get(TOKENS).json()["results"] == []
    assert client_for(admin_user).get(f"{TOKENS}{head.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["cco", "executive", "head"])
def test_only_admins_manage_tokens(client_for, users, org, role):
    response = client_for(users[role]).post(TOKENS, {"user": users[role].pk}, format="json")
    assert response.status_code == 403
    assert not AuthToken.objects.exists()


def test_only_admins_revoke_tokens(client_for, head, cco_user, org):
    AuthToken.objects.create(user=head)
    assert client_for(cco_user).delete(f"{TOKENS}{head.pk}/").status_code == 403
    assert AuthToken.objects.filter(user=head).exists()


def test_issuing_a_token_for_an_inactive_user_is_a_400(client_for, admin_user, head, org):
    head.is_active = False
    head.save()
    response = client_for(admin_user).post(TOKENS, {"user": head.pk}, format="json")
    assert response.status_code == 400
    assert "user" in errors_of(response)
    assert not AuthToken.objects.exists()


# --- The Django admin never shows a key ------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    return client


def test_the_admins_token_list_shows_holder_and_prefix_but_no_key(superuser_client, head, org):
    token, key = AuthToken.objects.create(user=head)
    response = superuser_client.get("/admin/knox/authtoken/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "head-user" in page and token.token_key in page
    assert key not in page


def test_a_token_page_in_the_admin_shows_no_key(superuser_client, head, org):
    token, key = AuthToken.objects.create(user=head)
    response = superuser_client.get(f"/admin/knox/authtoken/{token.pk}/change/")
    assert response.status_code == 200
    assert key not in response.content.decode()


def test_tokens_cannot_be_added_in_the_admin(superuser_client, head, org):
    assert superuser_client.get("/admin/knox/authtoken/add/").status_code == 403


def test_deleting_a_token_in_the_admin_revokes_it(superuser_client, head, org):
    token, key = AuthToken.objects.create(user=head)
    response = superuser_client.post(f"/admin/knox/authtoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not works(key)


def test_drf_authtokens_are_gone_from_the_admin(superuser_client, org):
    assert superuser_client.get("/admin/authtoken/tokenproxy/").status_code == 404
