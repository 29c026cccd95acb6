"""Correcting and deleting check-ins in the web app and the Django admin: the head who recorded a check-in may, nobody
else; a reading out of its goal's period is refused next to *Read at* and nothing is saved; the history is kept."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cco import roles
from cco.versions import version_of
from goals.models import CheckIn
from goals.services import check_in_create, check_in_update
from tests.factories import UserFactory, period_around_today

ROLES = ("recorder", "co_head", "other_head", "cco", "executive", "admin", "anonymous")
LOCAL = "%Y-%m-%dT%H:%M:%S"  # what the datetime-local input sends


@pytest.fixture
def period(db):
    return period_around_today()


@pytest.fixture
def people(web_org):
    co_head = UserFactory(username="co-head", first_name="Mia", last_name="Marketing", role=roles.HEAD)
    web_org["department"].heads.add(co_head)
    users = web_org["users"]
    return {
        "recorder": users["head"],
        "co_head": co_head,
        "other_head": users["other_head"],
        "cco": users["cco"],
        "executive": users["executive"],
        "admin": users["admin"],
        "anonymous": None,
    }


@pytest.fixture
def reading(web_org, people):
    """A check-in the head of the goal's department recorded two days ago."""
    return check_in_create(
        actor=people["recorder"],
        goal=web_org["answer"],
        value=Decimal(30),
        confidence="on_track",
        comment="Recorded",
        at=timezone.now() - timedelta(days=2),
    )


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime(LOCAL)


def correction(check_in: CheckIn, **changes) -> dict:
    data = {
        "value": "30",
        "confidence": "on_track",
        "comment": "Recorded",
        "at": local(check_in.at),
        "version": version_of(CheckIn.objects.get(pk=check_in.pk)),
    }
    return data | changes


def stored(check_in: CheckIn) -> tuple:
    fresh = CheckIn.objects.get(pk=check_in.pk)
    return fresh.value, fresh.confidence, fresh.comment, fresh.at


# --- correcting ------------------------------------------------------------------------------------------------


def test_the_correction_form_shows_the_check_in_as_stored(people, reading):
    response = signed_in(people["recorder"]).get(reverse("check-in-edit", args=[reading.pk]))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["value"].value() == "30"
    assert form["comment"].value() == "Recorded"
    html = response.content.decode()
    assert f'value="{local(reading.at)}"' in html
    assert 'type="datetime-local"' in html
    assert "Save correction" in html


def test_the_recorder_corrects_a_check_in_and_the_history_keeps_the_original(people, reading, web_org):
    client = signed_in(people["recorder"])
    earlier = timezone.now().replace(microsecond=0) - timedelta(days=4)

    response = client.post(
        reverse("check-in-edit", args=[reading.pk]),
        correction(reading, value="32.5", comment="Typo fixed", at=local(earlier)),
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("goal-detail", args=[web_org["answer"].pk])
    assert "Check-in corrected" in response.content.decode()
    assert stored(reading) == (Decimal("32.5"), "on_track", "Typo fixed", earlier)
    newest, original = CheckIn.objects.get(pk=reading.pk).history.order_by("-history_date", "-history_id")
    assert (newest.history_user, newest.value) == (people["recorder"], Decimal("32.5"))
    assert (original.value, original.comment) == (Decimal(30), "Recorded")


def test_a_correction_that_leaves_the_time_alone_keeps_it_to_the_microsecond(people, reading):
    signed_in(people["recorder"]).post(reverse("check-in-edit", args=[reading.pk]), correction(reading, value="31"))

    assert stored(reading)[::3] == (Decimal(31), reading.at)


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (lambda period: datetime.combine(period.start, time.min) - timedelta(minutes=1), "cannot be dated before"),
        (lambda period: timezone.localtime() + timedelta(hours=2), "A check-in cannot be dated in the future."),
    ],
    ids=["before-the-period", "in-the-future"],
)
def test_a_correction_dated_out_of_the_period_is_refused_next_to_read_at(people, reading, web_org, when, message):
    before = stored(reading)
    moment = when(web_org["period"])

    response = signed_in(people["recorder"]).post(
        reverse("check-in-edit", args=[reading.pk]), correction(reading, at=moment.strftime(LOCAL), value="99")
    )

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["at"])
    assert "The check-in was not corrected" in response.content.decode()
    assert stored(reading) == before
    assert CheckIn.objects.get(pk=reading.pk).history.count() == 1


def test_a_correction_without_a_time_is_refused(people, reading):
    response = signed_in(people["recorder"]).post(
        reverse("check-in-edit", args=[reading.pk]), correction(reading, at="", value="99")
    )
    assert response.status_code == 400
    assert "at" in response.context["form"].errors
    assert stored(reading)[0] == Decimal(30)


def test_the_second_of_two_corrections_from_the_same_page_is_refused(people, reading):
    client = signed_in(people["recorder"])
    url = reverse("check-in-edit", args=[reading.pk])
    page = correction(reading)
    assert client.post(url, page | {"value": "31"}).status_code == 302

    stale = client.post(url, page | {"value": "35"})

    assert stale.status_code == 400
    assert "since you opened this page" in " ".join(stale.context["form"].non_field_errors())
    assert ": 31 (On track)” since you opened this page (value: 30 → 31)" in stale.content.decode()
    assert "31.0000" not in stale.content.decode()
    assert stored(reading)[0] == Decimal(31)
    again = client.post(url, page | {"value": "35", "version": stale.context["form"]["version"].value()})
    assert again.status_code == 302, "the refused form carries the new version: saving again is a choice"
    assert stored(reading)[0] == Decimal(35)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "recorder"])
def test_nobody_else_may_open_or_post_the_correction(people, reading, role):
    client = signed_in(people[role])
    url = reverse("check-in-edit", args=[reading.pk])
    before = stored(reading)

    opened, posted = client.get(url), client.post(url, correction(reading, value="99"))

    if role == "anonymous":
        assert (opened.status_code, posted.status_code) == (302, 302)
        assert posted["Location"].startswith(reverse("login"))
    else:
        assert (opened.status_code, posted.status_code) == (403, 403)
    assert stored(reading) == before


# --- deleting --------------------------------------------------------------------------------------------------


def test_the_recorder_confirms_and_deletes_a_check_in_and_its_history_is_kept(people, reading, web_org):
    client = signed_in(people["recorder"])
    url = reverse("check-in-delete", args=[reading.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Delete this check-in" in confirm.content.decode()
    assert CheckIn.objects.filter(pk=reading.pk).exists(), "opening the page deletes nothing"

    response = client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == reverse("goal-detail", args=[web_org["answer"].pk])
    assert not CheckIn.objects.filter(pk=reading.pk).exists()
    deleted = CheckIn.history.filter(id=reading.pk).order_by("-history_date", "-history_id").first()
    assert (deleted.history_type, deleted.history_user) == ("-", people["recorder"])
    assert response.context["goal"].current_value == Decimal(20), "the reading before it is current again"


@pytest.mark.parametrize("role", [role for role in ROLES if role != "recorder"])
def test_nobody_else_may_delete_a_check_in(people, reading, role):
    client = signed_in(people[role])
    url = reverse("check-in-delete", args=[reading.pk])

    opened, posted = client.get(url), client.post(url)

    expected = 302 if role == "anonymous" else 403
    assert (opened.status_code, posted.status_code) == (expected, expected)
    assert CheckIn.objects.filter(pk=reading.pk).exists()


def test_deleting_takes_get_and_post_only(people, reading):
    response = signed_in(people["recorder"]).put(reverse("check-in-delete", args=[reading.pk]))
    assert response.status_code == 405


# --- the goal page and recording -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_the_goal_page_offers_edit_and_delete_only_to_the_recorder(people, reading, web_org, role):
    response = signed_in(people[role]).get(reverse("goal-detail", args=[web_org["answer"].pk]))

    html = response.content.decode()
    offered = reverse("check-in-edit", args=[reading.pk]) in html, reverse("check-in-delete", args=[reading.pk]) in html
    assert offered == ((True, True) if role == "recorder" else (False, False))
    unrecorded = CheckIn.objects.get(goal=web_org["answer"], by=None)  # the fixture's, recorded by nobody
    assert reverse("check-in-edit", args=[unrecorded.pk]) not in html


def test_a_new_check_in_dated_before_the_period_is_refused_next_to_read_at(people, web_org):
    goal = web_org["answer"]
    moment = datetime.combine(web_org["period"].start, time(9)) - timedelta(days=1)

    response = signed_in(people["recorder"]).post(
        reverse("check-in-create", args=[goal.pk]),
        {"value": "7", "confidence": "on_track", "at": moment.strftime(LOCAL)},
    )

    assert response.status_code == 400
    assert "This quarter runs from" in " ".join(response.context["form"].errors["at"])
    assert CheckIn.objects.filter(goal=goal).count() == 1


def test_a_new_check_in_may_be_dated_earlier_in_the_period(people, web_org):
    goal = web_org["answer"]
    moment = timezone.localtime().replace(microsecond=0) - timedelta(days=3)

    response = signed_in(people["recorder"]).post(
        reverse("check-in-create", args=[goal.pk]), {"value": "7", "confidence": "on_track", "at": local(moment)}
    )

    assert response.status_code == 302
    assert CheckIn.objects.filter(goal=goal, value=7).get().at == moment


# --- the Django admin ------------------------------------------------------------------------------------------
# The admin shows check-ins and their history for reading only (goals/admin.py: ViewOnlyAdmin): a check-in is written
# by its recorder through the services, so no admin form can date one outside its period or rewrite someone's reading.


@pytest.fixture
def superuser(role_groups):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def admin_form(check_in: CheckIn, at: datetime) -> dict:
    at = timezone.localtime(at)
    return {
        "goal": check_in.goal_id,
        "value": "99",
        "confidence": "on_track",
        "comment": "Recorded",
        "by": check_in.by_id,
        "at_0": at.strftime("%Y-%m-%d"),
        "at_1": at.strftime("%H:%M:%S"),
    }


def test_the_admin_shows_a_check_in_and_its_history(superuser, people, reading):
    check_in_update(actor=people["recorder"], check_in=reading, data={"value": Decimal(31)})
    client = signed_in(superuser)

    shown = client.get(reverse("admin:goals_checkin_change", args=[reading.pk]))
    history = client.get(reverse("admin:goals_checkin_history", args=[reading.pk]))

    assert shown.status_code == 200
    assert history.status_code == 200
    assert len(history.context["page_obj"].object_list) == 2


def test_the_admin_cannot_change_add_or_delete_a_check_in(superuser, reading, web_org):
    client = signed_in(superuser)
    before = (stored(reading), CheckIn.objects.count())
    too_early = datetime.combine(web_org["period"].start, time.min, tzinfo=timezone.get_default_timezone())

    changed = client.post(
        reverse("admin:goals_checkin_change", args=[reading.pk]), admin_form(reading, too_early - timedelta(hours=1))
    )
    added = client.post(reverse("admin:goals_checkin_add"), admin_form(reading, timezone.now() + timedelta(days=1)))
    deleted = client.post(reverse("admin:goals_checkin_delete", args=[reading.pk]), {"post": "yes"})

    assert (changed.status_code, added.status_code, deleted.status_code) == (403, 403, 403)
    assert (stored(reading), CheckIn.objects.count()) == before


def test_the_goal_page_asks_the_rules_per_check_in_without_extra_queries(
    people, web_org, django_assert_max_num_queries
):
    goal, client = web_org["answer"], signed_in(people["recorder"])

    def record(count):
        for days in range(count):
            check_in_create(actor=people["recorder"], goal=goal, value=Decimal(days), confidence="on_track",
                            at=timezone.now() - timedelta(hours=days + 1))  # fmt: skip

    record(2)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("goal-detail", args=[goal.pk]))
    record(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("goal-detail", args=[goal.pk]))
    assert response.content.decode().count('/edit/" aria-label="Edit the check-in') == 22
