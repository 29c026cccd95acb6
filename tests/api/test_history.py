"""GET …/<id>/history/ on goals, levers, objectives, reporting lines and mandate items: the same changes the pages
show (cco.history), to whoever may read the object."""

from __future__ import annotations

from decimal import Decimal

import pytest

from goals import services as goal_services
from mandates import services as mandate_services
from mandates.models import MandateItem
from tests.factories import ObjectiveFactory

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


# --- a goal's links in its history ----------------------------------------------------------------------


def newest_change(client, goal) -> dict:
    response = client.get(f"/api/v1/goals/{goal.pk}/history/")
    assert response.status_code == 200
    return response.json()["changes"][0]


def test_goal_history_names_the_objective_and_what_changed_after_a_link_only_edit(client_for, org, head, executive):
    goal_services.goal_update(
        actor=head, goal=org.goal, data={}, links=[goal_services.LinkInput(org.objective, strength=Decimal("0.5"))]
    )

    newest = newest_change(client_for(executive), org.goal)

    assert (newest["kind"], newest["who"]) == ("changed", "head-user")
    assert newest["fields"] == [{"label": "Link to “Happier customers” · strength", "before": "0.8", "after": "0.5"}]


def test_goal_history_shows_the_ccos_review_of_a_link(client_for, org, cco_user, executive):
    link = org.goal.links.get()
    mandate_services.link_review(actor=cco_user, link=link, action="reject", reason="Sales does not move CSAT.")

    newest = newest_change(client_for(executive), org.goal)

    assert (newest["kind"], newest["who"]) == ("changed", "cco-user")
    assert newest["fields"] == [
        {
            "label": "Link to “Happier customers” · review",
            "before": "Claimed by the department",
            "after": "Rejected by the CCO",
        },
        {"label": "Link to “Happier customers” · reviewed by", "before": "", "after": "cco-user"},
        {"label": "Link to “Happier customers” · review reason", "before": "", "after": "Sales does not move CSAT."},
    ]


def test_goal_history_shows_a_removed_link_by_its_objective(client_for, org, head, executive):
    goal_services.goal_update(actor=head, goal=org.goal, data={}, links=[])

    newest = newest_change(client_for(executive), org.goal)

    assert (newest["kind"], newest["who"]) == ("changed", "head-user")
    assert newest["fields"] == [
        {
            "label": "Link to “Happier customers”",
            "before": "supports, strength 0.8, claimed by the department",
            "after": "removed",
        }
    ]


def test_goal_page_and_api_show_the_same_history_with_the_links(client, client_for, org, head, cco_user, executive):
    goal_services.goal_update(
        actor=head,
        goal=org.goal,
        data={"weight": Decimal(35)},
        links=[goal_services.LinkInput(org.objective, strength=Decimal("0.5"))],
    )
    mandate_services.link_review(actor=cco_user, link=org.goal.links.get(), action="confirm", reason="Agreed.")
    client.force_login(executive)

    page = client.get(f"/goals/{org.goal.pk}/").context["history"]
    api = client_for(executive).get(f"/api/v1/goals/{org.goal.pk}/history/").json()

    assert [
        (change["kind"], change["who"], [(f["label"], f["before"], f["after"]) for f in change["fields"]])
        for change in api["changes"]
    ] == [(change.kind, change.who, [(f.label, f.before, f.after) for f in change.fields]) for change in page]
    assert api["older"] == page.older == 0
    linked, created = api["changes"][-2:]  # the fixture links the goal after making it
    assert created["kind"] == "created"
    assert linked["fields"] == [
        {
            "label": "Link to “Happier customers”",
            "before": "",
            "after": "added: supports, strength 0.8, claimed by the department",
        }
    ]
    labels = [f["label"] for f in api["changes"][1]["fields"]]
    assert labels == ["weight", "Link to “Happier customers” · strength"]


def test_goal_history_reads_a_constant_number_of_queries_whatever_its_links(
    client_for, org, head, cco_user, django_assert_max_num_queries, django_assert_num_queries
):
    """Each round links three more objectives, the CCO confirms one, and one is deleted (its link with it)."""
    client = client_for(cco_user)
    url = f"/api/v1/goals/{org.goal.pk}/history/"
    kept = goal_services.LinkInput(org.objective, strength=Decimal("0.8"))

    def link_three_more(strength: Decimal) -> None:
        objectives = ObjectiveFactory.create_batch(3, period=org.period, owner=cco_user)
        links = [kept] + [goal_services.LinkInput(objective, strength=strength) for objective in objectives]
        goal_services.goal_update(actor=head, goal=org.goal, data={}, links=links)
        confirmed = org.goal.links.get(objective=objectives[0])
        mandate_services.link_review(actor=cco_user, link=confirmed, action="confirm", reason="Yes.")
        objectives[1].delete()

    link_three_more(Decimal("0.1"))
    client.get(url)
    with django_assert_max_num_queries(20) as one:
        client.get(url)
    for index in range(2, 10):
        link_three_more(Decimal(index) / 10)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.json()["changes"]) == 29  # created, linked (by the fixture), then 3 changes a round
