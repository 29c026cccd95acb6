"""Sign-in lockout (django-axes, cco/lockout.py): too many wrong passwords lock a username from a client address,
and a client address for everyone, on the login page and the admin's; an administrator can unlock."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def sign_in(client, username, password, url=LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def signed_in_as(client) -> str | None:
    response = client.get("/api/v1/users/me/")
    return response.json()["username"] if response.status_code == 200 else None


def fail(client, username, times, url=LOGIN, **extra):
    return [sign_in(client, username, "wrong", url, **extra).status_code for _ in range(times)]


def test_the_right_password_is_refused_after_too_many_wrong_ones(client, settings, head):
    assert fail(client, "head-user", settings.AXES_FAILURE_LIMIT) == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = sign_in(client, "head-user", "pw")
    assert response.status_code == 429
    assert signed_in_as(client) is None


def test_the_lockout_page_says_when_to_try_again_and_who_can_unlock(client, settings, head):
    fail(client, "head-user", settings.AXES_FAILURE_LIMIT)
    response = sign_in(client, "head-user", "pw")
    last_failure = AccessAttempt.objects.get(username="head-user").attempt_time
    until = timezone.localtime(last_failure + timedelta(minutes=15))
    page = response.content.decode()
    assert "Sign-in is locked for now" in page
    assert f"Try again after <strong>{until:%H:%M}" in page
    assert "Ask an administrator to unlock your account" in page
    assert 14 * 60 < int(response.headers["Retry-After"]) <= 15 * 60


def test_guesses_while_locked_out_do_not_extend_the_lockout(client, settings, head):
    fail(client, "head-user", settings.AXES_FAILURE_LIMIT)
    before = AccessAttempt.objects.get().attempt_time
    assert fail(client, "head-user", 3) == [429] * 3
    assert AccessAttempt.objects.get().attempt_time == before


def test_the_admin_login_locks_out_too(client, settings, role_groups):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    fail(client, "root", settings.AXES_FAILURE_LIMIT, url=ADMIN_LOGIN)
    response = sign_in(client, "root", "pw", url=ADMIN_LOGIN)
    assert response.status_code == 429
    assert "Sign-in is locked for now" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # still sent to the admin's login


def test_the_lockout_lifts_after_the_cool_off(client, settings, head):
    fail(client, "head-user", settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, "head-user", "pw").status_code == 302
    assert signed_in_as(client) == "head-user"


def test_another_user_from_the_same_client_is_refused_once_the_client_reaches_its_limit(
    client, settings, head, cco_user
):
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        sign_in(client, f"guess-{n}", "wrong")
    response = sign_in(client, "cco-user", "pw")
    assert response.status_code == 429
    assert signed_in_as(client) is None


def test_an_office_behind_one_address_is_not_locked_out_by_a_few_people_mistyping(client, settings, head, cco_user):
    """Everyone in an office may come from one address (NAT): each mistypes a few times, under their own limit;
    together they stay under the address's higher one, and the next person signs in."""
    assert settings.AXES_ADDRESS_FAILURE_LIMIT > 2 * settings.AXES_FAILURE_LIMIT
    colleagues = (settings.AXES_ADDRESS_FAILURE_LIMIT - 1) // (settings.AXES_FAILURE_LIMIT - 1)
    for n in range(colleagues):
        assert 429 not in fail(client, f"colleague-{n}", settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, "cco-user", "pw").status_code == 302
    assert signed_in_as(client) == "cco-user"


def test_the_locked_user_can_still_sign_in_from_another_client(client, settings, head):
    fail(client, "head-user", settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="203.0.113.5")
    assert sign_in(client, "head-user", "pw", REMOTE_ADDR="198.51.100.7").status_code == 302


def test_a_successful_sign_in_resets_the_count(client, settings, head):
    almost = settings.AXES_FAILURE_LIMIT - 1
    fail(client, "head-user", almost)
    assert sign_in(client, "head-user", "pw").status_code == 302
    client.post("/accounts/logout/")
    assert fail(client, "head-user", almost) == [200] * almost
    assert sign_in(client, "head-user", "pw").status_code == 302


def test_signing_in_to_one_account_does_not_clear_guesses_at_another(client, settings, head, cco_user):
    fail(client, "head-user", settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, "cco-user", "pw").status_code == 302
    client.post("/accounts/logout/")
    assert fail(client, "head-user", 1) == [429]
    assert sign_in(client, "head-user", "pw").status_code == 429


def test_an_admin_unlocks_a_user_by_deleting_the_attempts_in_the_admin(client, settings, head, role_groups):
    locked_out = client.__class__()
    fail(locked_out, "head-user", settings.AXES_FAILURE_LIMIT)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get("/admin/axes/accessattempt/", {"q": "head-user"})
    assert "Locked Out" in listing.content.decode()
    pks = list(AccessAttempt.objects.filter(username="head-user").values_list("pk", flat=True))
    response = client.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": pks, "post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert sign_in(locked_out, "head-user", "pw").status_code == 302


def test_axes_reset_username_unlocks_a_user(client, settings, head):
    fail(client, "head-user", settings.AXES_FAILURE_LIMIT)
    call_command("axes_reset_username", "head-user")
    assert sign_in(client, "head-user", "pw").status_code == 302


# --- which client: REMOTE_ADDR unless proxies are trusted (TRUSTED_PROXY_COUNT) ------------------------------


def test_rotating_x_forwarded_for_does_not_escape_the_lockout(client, settings, head, trusted_proxies):
    trusted_proxies(0)  # the default
    statuses = [
        sign_in(client, "head-user", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429
    assert sign_in(client, "head-user", "pw", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_one_trusted_proxy_the_last_forwarded_address_is_the_client(client, settings, head, trusted_proxies):
    trusted_proxies(1)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "head-user", "wrong", HTTP_X_FORWARDED_FOR=f"spoofed-{n}, 203.0.113.5", **proxy)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert sign_in(client, "head-user", "pw", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5", **proxy).status_code == 429
    assert sign_in(client, "head-user", "pw", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 302
