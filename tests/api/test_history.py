"""GET …/<id>/history/ on goals, levers, objectives, reporting lines and mandate items: the same changes the pages
show (cco.history), to whoever may read the object."""

from __future__ import annotations

from decimal import Decimal

import pytest

from goals import services as goal_services
from mandates.models import MandateItem

pytestmark = pytest.mark.django_db


def history_urls(org) -> list[str]:
    item = MandateItem.objects.order_by("order").first()
    return [
        f"/api/v1/goals/{org.goal.pk}/history/",
        f"/api/v1/levers/{org.lever.pk}/history/",
        f"/api/v1/objectives/{org.objective.pk}/history/",
        f"/api/v1/reporting-lines/{org.line.pk}/history/",
        f"/api/v1/mandate-items/{item.pk}/history/",
    ]


def test_goal_history_shows_the_heads_change_field_by_field(client_for, org, head, executive):
    head.first_name, head.last_name = "Hana", "Head"
    head.save()
    goal_services.goal_update(actor=head, goal=org.goal, data={"weight": Decimal(35), "target": Decimal(90)})

    response = client_for(executive).get(f"/api/v1/goals/{org.goal.pk}/history/")

    assert response.status_code == 200
    body = response.json()
    assert body["older"] == 0
    newest = body["changes"][0]
    assert (newest["kind"], newest["who"]) == ("changed", "Hana Head")
    assert newest["at"]
    assert {"label": "weight", "before": "40", "after": "35"} in newest["fields"]
    assert {"label": "target", "before": "100", "after": "90"} in newest["fields"]
    assert body["changes"][-1]["kind"] == "created"


def test_executive_reads_every_objects_history(client_for, org, executive):
    client = client_for(executive)
    for url in history_urls(org):
        response = client.get(url)
        assert response.status_code == 200, url
        assert set(response.json()) == {"changes", "older"}, url


def test_anonymous_gets_401(client_for, org):
    for url in history_urls(org):
        assert client_for().get(url).status_code == 401, url


def test_user_without_a_role_gets_403(client_for, org, nobody):
    for url in history_urls(org):
        assert client_for(nobody).get(url).status_code == 403, url


def test_every_role_reads_a_lever_history(client_for, org, users):
    for role in ("admin", "cco", "executive", "head", "other_head"):
        assert client_for(users[role]).get(f"/api/v1/levers/{org.lever.pk}/history/").status_code == 200, role


def test_missing_object_is_404(client_for, org, executive):
    assert client_for(executive).get("/api/v1/goals/999999/history/").status_code == 404


def test_history_is_read_only(client_for, org, cco_user):
    assert client_for(cco_user).post(f"/api/v1/goals/{org.goal.pk}/history/").status_code == 405


def test_history_reads_a_constant_number_of_queries(client_for, org, cco_user, django_assert_max_num_queries):
    client = client_for(cco_user)
    url = f"/api/v1/objectives/{org.objective.pk}/history/"
    goal_services.objective_update(actor=cco_user, objective=org.objective, data={"description": "First"})
    with django_assert_max_num_queries(15) as one:
        client.get(url)
    for index in range(20):
        goal_services.objective_update(actor=cco_user, objective=org.objective, data={"description": f"v{index}"})
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.json()["changes"]) == 22
