"""Who is signed in and their session are read from the cache (cco.identity, cco.sessions), and every change of who
they are acts on their very next request, whichever path made it; an unreachable cache costs speed, never a sign-in."""

from __future__ import annotations

import logging
import time

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cco import cache_outage
from cco.roles import EXECUTIVE
from tests.admin.test_admin_goes_through_services import post_form, url
from tests.web.test_shared_reads import DEAD_CACHE

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def status_of(client: Client, path: str) -> int:
    return client.get(path).status_code


def test_who_is_signed_in_is_read_once_and_then_kept(web_org):
    """The signed-in floor (what every page behind a login pays first) reads nothing at all from the second request."""
    client = signed_in(web_org["users"]["head"])
    floor = reverse("bench-floor-signed-in")
    with CaptureQueriesContext(connection) as first:
        assert status_of(client, floor) == 200
    assert len(first) == 3, "the user, their roles, the departments they head (the session came with signing in)"
    with CaptureQueriesContext(connection) as second:
        assert status_of(client, floor) == 200
    assert len(second) == 0


def take_the_role(user) -> None:
    user.groups.remove(Group.objects.get(name=EXECUTIVE))


def deactivate(user) -> None:
    user.is_active = False
    user.save()


def change_the_password(user) -> None:
    """As on another device: this session's hash no longer matches, so it is signed out."""
    user.set_password("A-new-and-long-passphrase-7")
    user.save()


@pytest.mark.parametrize(
    ("change", "then"), [(take_the_role, "refused"), (deactivate, "signed out"), (change_the_password, "signed out")]
)
def test_a_change_of_who_they_are_acts_on_their_next_request(web_org, change, then):
    executive = web_org["users"]["executive"]
    client = signed_in(executive)
    assert status_of(client, reverse("dashboard")) == 200  # who they are is kept now
    change(executive)
    response = client.get(reverse("dashboard"))
    if then == "refused":
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_role_taken_away_in_the_django_admin_acts_on_the_next_request(web_org):
    executive = web_org["users"]["executive"]
    client = signed_in(executive)
    assert status_of(client, reverse("dashboard")) == 200
    admin_user = web_org["users"]["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    admin = signed_in(admin_user)
    assert status_of(client, reverse("dashboard")) == 200, "saving another user moved nothing of this one's"
    joined = timezone.localtime(executive.date_joined)
    response = post_form(
        admin, url(executive), groups=[], date_joined_0=f"{joined:%Y-%m-%d}", date_joined_1=f"{joined:%H:%M:%S}"
    )
    assert response.status_code == 302, "saved"
    assert status_of(client, reverse("dashboard")) == 403


def test_a_role_given_acts_on_the_next_request(web_org, django_user_model):
    newcomer = django_user_model.objects.create_user("newcomer", password="pw")
    client = signed_in(newcomer)
    assert status_of(client, reverse("dashboard")) == 403
    newcomer.groups.add(Group.objects.get(name=EXECUTIVE))
    assert status_of(client, reverse("dashboard")) == 200


def test_a_head_taken_off_their_department_loses_its_goals_on_the_next_request(web_org):
    head, department = web_org["users"]["head"], web_org["department"]
    client = signed_in(head)
    edit = reverse("goal-edit", args=[web_org["answer"].pk])
    assert status_of(client, edit) == 200
    department.heads.remove(head)
    assert status_of(client, edit) == 403


def test_signing_out_forgets_the_session_in_the_cache_too(web_org):
    client = signed_in(web_org["users"]["executive"])
    assert status_of(client, reverse("dashboard")) == 200  # the session is in the cache now
    stolen = Client()
    stolen.cookies = client.cookies.__class__(client.cookies)  # a copy of the cookie, as someone might have kept it
    client.post(reverse("logout"))
    response = stolen.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_signing_out_just_after_a_cache_error_still_forgets_the_cache_copy(web_org):
    """Reads leave the cache alone for a few seconds after an error; a sign-out does not."""
    client = signed_in(web_org["users"]["executive"])
    assert status_of(client, reverse("dashboard")) == 200
    stolen = Client()
    stolen.cookies = client.cookies.__class__(client.cookies)
    cache_outage.set_cache_aside(logging.getLogger(__name__), "A test's cache error", OSError("a blip"))
    client.post(reverse("logout"))
    cache_outage.reset()
    response = stolen.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_sessions_copy_in_the_cache_lives_at_most_session_cache_seconds(web_org, settings):
    """Should the cache miss a sign-out's deletion (it was unreachable for that moment), its copy of the session
    could sign in only until it expires."""
    settings.SESSION_CACHE_SECONDS = 1
    client = signed_in(web_org["users"]["executive"])
    assert status_of(client, reverse("dashboard")) == 200
    Session.objects.all().delete()  # signed out in the database only
    assert status_of(client, reverse("dashboard")) == 200, "the cache's copy, for at most a second"
    time.sleep(1.2)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_with_the_cache_unreachable_people_stay_signed_in_and_roles_still_act(web_org, settings):
    settings.CACHES = DEAD_CACHE
    executive = web_org["users"]["executive"]
    client = signed_in(executive)
    assert status_of(client, reverse("dashboard")) == 200
    executive.groups.remove(Group.objects.get(name=EXECUTIVE))
    assert status_of(client, reverse("dashboard")) == 403
    client.post(reverse("logout"))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302


def test_a_tampered_session_cookie_is_a_stranger_not_an_error(web_org):
    client = signed_in(web_org["users"]["executive"])
    client.cookies["sessionid"] = "x" * 32
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
