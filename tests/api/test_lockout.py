"""The password-for-token exchange counts towards the sign-in lockout and refuses while it lasts, in the API's
error shape (the lockout itself: tests/accounts/test_lockout.py).

transaction=True: a failed exchange is an error answer, and the failure it records must outlive the rollback of
that answer's transaction, as it does in production.
"""

import pytest
from rest_framework.test import APIClient

from tests.api.helpers import errors_of

pytestmark = pytest.mark.django_db(transaction=True)
TOKEN = "/api/v1/auth/token/"


def exchange(password: str, username: str = "head-user"):
    return APIClient().post(TOKEN, {"username": username, "password": password}, format="json")


def lock_out_on_the_login_page(client, settings, username: str = "head-user") -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": username, "password": "wrong"})


def test_wrong_passwords_at_the_token_exchange_lock_it(settings, head):
    statuses = [exchange("wrong").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = exchange("pw")
    assert response.status_code == 429
    assert "token" not in response.json()


def test_a_locked_out_exchange_is_refused_in_the_error_shape_saying_when_to_retry(client, settings, head):
    lock_out_on_the_login_page(client, settings)
    response = exchange("pw")
    assert response.status_code == 429
    assert errors_of(response) == {}
    body = response.json()
    assert body["code"] == "locked_out"
    assert "Try again after" in body["detail"] and "administrator" in body["detail"]
    assert 14 * 60 < int(response.headers["Retry-After"]) <= 15 * 60


def test_another_user_from_the_same_client_is_refused_once_the_client_reaches_the_limit(settings, head, cco_user):
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        exchange("wrong", username=f"guess-{n}")
    assert exchange("pw", username="cco-user").status_code == 429


def test_a_successful_exchange_clears_the_users_failures_as_the_login_page_does(settings, head):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        exchange("wrong")
    assert exchange("pw").status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        exchange("wrong")
    assert exchange("pw").status_code == 200, "the count started again at the successful sign-in"
