"""Honest check-ins over the API: dated in the goal's period (with a grace after it), corrected (PUT/PATCH) or deleted
only by the head who recorded them, with If-Match, and the history kept."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cco import roles
from goals.models import CheckIn
from goals.services import check_in_create
from tests.api.helpers import errors_of
from tests.factories import GoalFactory, PeriodFactory, UserFactory, period_around_today

pytestmark = pytest.mark.django_db
CHECK_INS = "/api/v1/check-ins/"
REFUSED = ("co_head", "other_head", "cco", "executive", "admin", "nobody")


@pytest.fixture
def period(db):
    return period_around_today()


@pytest.fixture
def co_head(role_groups, department):
    colleague = UserFactory(username="co-head", role=roles.HEAD)
    department.heads.add(colleague)
    return colleague


@pytest.fixture
def people(users, co_head):
    return {**users, "co_head": co_head}


@pytest.fixture
def reading(org, head):
    """A check-in the head of the goal's department recorded two days ago."""
    at = timezone.now() - timedelta(days=2)
    return check_in_create(actor=head, goal=org.goal, value=Decimal(30), confidence="on_track", comment="Read", at=at)


def url(check_in: CheckIn) -> str:
    return f"{CHECK_INS}{check_in.pk}/"


def etag(client, check_in: CheckIn) -> str:
    return client.get(url(check_in)).headers["ETag"]


def stored(check_in: CheckIn) -> tuple:
    fresh = CheckIn.objects.get(pk=check_in.pk)
    return fresh.goal_id, fresh.value, fresh.confidence, fresh.comment, fresh.at


def before_the_period(period) -> str:
    return (
        datetime.combine(period.start, time.min, tzinfo=timezone.get_default_timezone()) - timedelta(hours=1)
    ).isoformat()


# --- correcting ------------------------------------------------------------------------------------------------


def test_the_recorder_corrects_a_check_in_with_if_match_and_the_history_keeps_the_original(client_for, head, reading):
    client = client_for(head)
    before = etag(client, reading)
    earlier = timezone.now() - timedelta(days=5)

    response = client.patch(
        url(reading),
        {"value": "32.5", "at": earlier.isoformat(), "comment": "Typo"},
        format="json",
        HTTP_IF_MATCH=before,
    )

    assert response.status_code == 200, response.json()
    assert response.json()["value"] == "32.5000"
    assert response.headers["ETag"] != before
    assert stored(reading)[1:] == (Decimal("32.5"), "on_track", "Typo", earlier)
    newest, original = CheckIn.objects.get(pk=reading.pk).history.order_by("-history_date", "-history_id")
    assert (newest.history_user, newest.value, original.value) == (head, Decimal("32.5"), Decimal(30))


def test_a_put_corrects_the_check_in_but_never_moves_it_to_another_goal(client_for, head, org, reading):
    other = GoalFactory(department=org.department, period=org.period, title="Another goal", weight=Decimal(10))
    body = {"goal": other.pk, "value": "31", "confidence": "at_risk", "comment": "Corrected"}

    response = client_for(head).put(url(reading), body, format="json", HTTP_IF_MATCH="*")

    assert response.status_code == 200, response.json()
    assert response.json()["goal"] == org.goal.pk
    assert stored(reading)[:4] == (org.goal.pk, Decimal(31), "at_risk", "Corrected")


@pytest.mark.parametrize("where", ["before-the-period", "in-the-future"])
def test_a_correction_dated_out_of_the_period_is_a_400_on_at_and_changes_nothing(client_for, head, org, reading, where):
    at = before_the_period(org.period) if where == "before-the-period" else "2099-01-01T00:00:00Z"
    before = stored(reading)

    response = client_for(head).patch(url(reading), {"at": at, "value": "99"}, format="json", HTTP_IF_MATCH="*")

    assert response.status_code == 400
    (message,) = errors_of(response)["at"]
    expected = "cannot be dated before" if where == "before-the-period" else "cannot be dated in the future"
    assert expected in message
    assert stored(reading) == before
    assert CheckIn.objects.get(pk=reading.pk).history.count() == 1


def test_a_correction_from_a_stale_etag_is_a_412_and_changes_nothing(client_for, head, reading):
    client = client_for(head)
    stale = etag(client, reading)
    assert client.patch(url(reading), {"value": "31"}, format="json", HTTP_IF_MATCH=stale).status_code == 200

    response = client.patch(url(reading), {"value": "35"}, format="json", HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert stored(reading)[1] == Decimal(31)


def test_a_correction_without_if_match_is_a_428(client_for, head, reading):
    response = client_for(head).patch(url(reading), {"value": "31"}, format="json")
    assert response.status_code == 428
    assert stored(reading)[1] == Decimal(30)


@pytest.mark.parametrize("role", REFUSED)
def test_nobody_else_corrects_a_check_in(client_for, people, reading, role):
    before = stored(reading)
    response = client_for(people[role]).patch(url(reading), {"value": "99"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 403
    assert stored(reading) == before


def test_anonymous_cannot_correct_or_delete(client_for, reading):
    client = client_for()
    assert client.patch(url(reading), {"value": "99"}, format="json", HTTP_IF_MATCH="*").status_code == 401
    assert client.delete(url(reading), HTTP_IF_MATCH="*").status_code == 401
    assert stored(reading)[1] == Decimal(30)


# --- deleting --------------------------------------------------------------------------------------------------


def test_the_recorder_deletes_a_check_in_and_its_history_is_kept(client_for, head, org, reading):
    client = client_for(head)

    response = client.delete(url(reading), HTTP_IF_MATCH=etag(client, reading))

    assert response.status_code == 204
    assert not CheckIn.objects.filter(pk=reading.pk).exists()
    deleted = CheckIn.history.filter(id=reading.pk).order_by("-history_date", "-history_id").first()
    assert (deleted.history_type, deleted.history_user) == ("-", head)
    assert client.get(f"/api/v1/goals/{org.goal.pk}/").json()["current_value"] is None


def test_a_delete_from_a_stale_etag_is_a_412_and_keeps_the_check_in(client_for, head, reading):
    client = client_for(head)
    stale = etag(client, reading)
    client.patch(url(reading), {"comment": "Changed meanwhile"}, format="json", HTTP_IF_MATCH=stale)

    assert client.delete(url(reading), HTTP_IF_MATCH=stale).status_code == 412
    assert CheckIn.objects.filter(pk=reading.pk).exists()


@pytest.mark.parametrize("role", REFUSED)
def test_nobody_else_deletes_a_check_in(client_for, people, reading, role):
    response = client_for(people[role]).delete(url(reading), HTTP_IF_MATCH="*")
    assert response.status_code == 403
    assert CheckIn.objects.filter(pk=reading.pk).exists()


# --- recording -------------------------------------------------------------------------------------------------


def test_a_new_check_in_dated_before_the_period_is_a_400_on_at_naming_the_period(client_for, head, org):
    payload = {"goal": org.goal.pk, "value": "5", "at": before_the_period(org.period)}
    response = client_for(head).post(CHECK_INS, payload, format="json")
    assert response.status_code == 400
    assert errors_of(response)["at"][0].startswith("This quarter runs from ")
    assert not CheckIn.objects.exists()


def test_the_final_reading_of_an_ended_period_is_accepted_within_the_grace(client_for, head, org):
    ended = PeriodFactory(
        name="Last quarter", start=org.period.start - timedelta(days=91), end=org.period.start, is_current=False
    )
    goal = GoalFactory(department=org.department, period=ended, title="Last quarter's goal", weight=Decimal(10))

    response = client_for(head).post(CHECK_INS, {"goal": goal.pk, "value": "80"}, format="json")

    assert response.status_code == 201, response.json()
    assert response.headers["ETag"]


def test_a_reading_after_the_grace_is_a_400_on_at(client_for, head, org, settings):
    settings.CHECK_IN_GRACE_DAYS = 7
    ended = PeriodFactory(
        name="Last quarter", start=org.period.start - timedelta(days=91), end=org.period.start, is_current=False
    )
    goal = GoalFactory(department=org.department, period=ended, title="Last quarter's goal", weight=Decimal(10))

    response = client_for(head).post(CHECK_INS, {"goal": goal.pk, "value": "80"}, format="json")

    assert response.status_code == 400
    assert "its final check-ins were due by" in errors_of(response)["at"][0]  # the quarter is closed
    assert not CheckIn.objects.exists()
