"""Periods and customer objectives over the API: admins and the CCO own periods, the CCO owns objectives."""

from datetime import timedelta

import pytest

from goals.models import CustomerObjective, Period
from tests.api.helpers import errors_of
from tests.factories import quarter

pytestmark = pytest.mark.django_db
PERIODS = "/api/v1/periods/"
OBJECTIVES = "/api/v1/objectives/"


def objective_payload(org, **overrides) -> dict:
    payload = {"category": "retention", "title": "Keep small businesses", "metric": "Churn", "unit": "%",
               "baseline": "12", "target": "8", "period": org.period.pk}  # fmt: skip
    return {**payload, **overrides}


def next_quarter() -> dict:
    following = quarter(1)
    return {"name": following.name, "start": str(following.start), "end": str(following.end)}


@pytest.mark.parametrize("role", ["admin", "cco"])
def test_admin_and_cco_add_periods(client_for, users, org, role):
    payload = next_quarter()
    response = client_for(users[role]).post(PERIODS, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["is_current"] is False


def test_head_cannot_add_periods(client_for, head, org):
    payload = next_quarter()
    assert client_for(head).post(PERIODS, payload, format="json").status_code == 403
    assert not Period.objects.filter(name=payload["name"]).exists()


def test_overlapping_period_is_a_400_on_start(client_for, cco_user, org):
    this = quarter()
    payload = {
        "name": "Overlap",
        "start": str(this.start + timedelta(days=31)),
        "end": str(quarter(1).start + timedelta(days=31)),
    }
    response = client_for(cco_user).post(PERIODS, payload, format="json")
    assert response.status_code == 400
    assert "start" in errors_of(response)


def test_cco_makes_a_period_current(client_for, cco_user, org):
    upcoming = Period.objects.create(**vars(quarter(1)))
    response = client_for(cco_user).post(f"{PERIODS}{upcoming.pk}/make-current/")
    assert response.status_code == 200
    assert list(Period.objects.filter(is_current=True)) == [upcoming]


def test_executive_cannot_make_a_period_current(client_for, executive, org):
    upcoming = Period.objects.create(**vars(quarter(1)))
    assert client_for(executive).post(f"{PERIODS}{upcoming.pk}/make-current/").status_code == 403
    assert Period.objects.get(is_current=True) == org.period


def test_cco_creates_an_objective_and_owns_it(client_for, cco_user, org):
    response = client_for(cco_user).post(OBJECTIVES, objective_payload(org), format="json")
    assert response.status_code == 201, response.json()
    assert CustomerObjective.objects.get(title="Keep small businesses").owner == cco_user


@pytest.mark.parametrize("role", ["admin", "executive", "head"])
def test_only_the_cco_creates_objectives(client_for, users, org, role):
    response = client_for(users[role]).post(OBJECTIVES, objective_payload(org), format="json")
    assert response.status_code == 403
    assert not CustomerObjective.objects.filter(title="Keep small businesses").exists()


def test_unknown_category_is_a_400_naming_the_field(client_for, cco_user, org):
    response = client_for(cco_user).post(OBJECTIVES, objective_payload(org, category="vibes"), format="json")
    assert response.status_code == 400
    assert "category" in errors_of(response)


def test_cco_archives_an_objective_with_active_false(client_for, cco_user, org):
    response = client_for(cco_user).patch(f"{OBJECTIVES}{org.objective.pk}/", {"active": False}, format="json")
    assert response.status_code == 200
    assert CustomerObjective.objects.get(pk=org.objective.pk).active is False


def test_objectives_cannot_be_deleted(client_for, cco_user, org):
    assert client_for(cco_user).delete(f"{OBJECTIVES}{org.objective.pk}/").status_code == 405
    assert CustomerObjective.objects.filter(pk=org.objective.pk).exists()


def test_objectives_filter_by_category(client_for, head, org):
    response = client_for(head).get(OBJECTIVES, {"category": "retention"})
    assert response.json()["count"] == 0
