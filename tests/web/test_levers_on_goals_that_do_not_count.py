"""Pay tied to a goal that does not count (vetoed, archived, or a draft) earns nothing, and a sign-off would be
withdrawn the moment the goal became active again (its status is material): the CCO is not asked to sign it off.
The service refuses it on every path (the review page, the API), and the Sign-offs queue and What needs me leave
such levers out, as the dashboard's "levers to fix" does."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from cco.versions import version_of
from goals import services as goal_services
from goals.models import CompensationLever, Goal, GoalStatus
from mandates import services
from mandates.models import Decision

pytestmark = pytest.mark.django_db

SAYS = {
    "vetoed": "The CCO vetoed “Answer first time”",
    "archived": "“Answer first time” is archived",
    "draft": "“Answer first time” is a draft",
}


@pytest.fixture(params=list(SAYS))
def goal_state(request, web_org):
    """The lever's goal (Service's “Answer first time”) vetoed by the CCO, archived by its head, or made a draft."""
    goal, users = web_org["answer"], web_org["users"]
    if request.param == "vetoed":
        services.goal_veto(actor=users["cco"], goal=goal, reason="Not a customer outcome.")
    elif request.param == "archived":
        goal_services.goal_archive(actor=users["head"], goal=goal)
    else:
        Goal.objects.filter(pk=goal.pk).update(status=GoalStatus.DRAFT)
    return request.param


def unchanged(lever: CompensationLever, decisions: int) -> bool:
    return not CompensationLever.objects.get(pk=lever.pk).signed_off and Decision.objects.count() == decisions


def test_the_service_refuses_to_sign_it_off(web_org, goal_state):
    lever, decisions = CompensationLever.objects.get(pk=web_org["lever"].pk), Decision.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.lever_sign_off(actor=web_org["users"]["cco"], lever=lever, reason="Fine.")

    assert SAYS[goal_state] in " ".join(refused.value.messages)
    assert unchanged(lever, decisions)


def test_the_review_page_offers_no_sign_off_and_refuses_one(as_role, web_org, goal_state):
    lever, decisions = CompensationLever.objects.get(pk=web_org["lever"].pk), Decision.objects.count()
    client = as_role("cco")
    url = reverse("lever-review", args=[lever.pk])

    shown = client.get(url)
    posted = client.post(url, {"version": version_of(lever), "decision": "sign_off", "reason": "Fine."})

    assert SAYS[goal_state] in shown.content.decode()
    assert [action for action, _label in shown.context["offer"]["choices"]] == ["veto"]
    assert posted.status_code == 200
    assert posted.content.decode().count(SAYS[goal_state]) == 1
    assert unchanged(lever, decisions)


def test_the_api_refuses_to_sign_it_off(web_org, goal_state):
    lever, decisions = web_org["lever"], Decision.objects.count()
    api = APIClient()
    api.force_authenticate(web_org["users"]["cco"])

    response = api.post("/api/v1/decisions/", {"action": "sign_off", "lever": lever.pk, "reason": "Fine."})

    assert response.status_code == 400
    assert SAYS[goal_state] in " ".join(response.json()["errors"]["non_field_errors"])
    assert unchanged(lever, decisions)


def test_the_queue_and_what_needs_the_cco_leave_it_out(as_role, web_org, goal_state):
    client = as_role("cco")
    url = reverse("lever-review", args=[web_org["lever"].pk])

    listed = client.get(reverse("review-list"))
    needs = client.get(reverse("dashboard")).context["needs"]

    assert list(listed.context["levers"]) == [web_org["other_lever"]]
    assert url not in listed.content.decode()
    assert needs.counts.levers == 1
    assert url not in {item.url for group in needs.groups for item in group.items}


def test_a_lever_on_an_active_goal_is_still_signed_off(as_role, web_org):
    lever = web_org["lever"]

    services.lever_sign_off(actor=web_org["users"]["cco"], lever=lever, reason="Rides on satisfaction.")

    assert CompensationLever.objects.get(pk=lever.pk).signed_off


def test_the_department_page_offers_only_a_veto_of_it(as_role, web_org, goal_state):
    html = as_role("cco").get(reverse("department-detail", args=[web_org["department"].pk])).content.decode()

    row = html[html.index(f'id="lever-{web_org["lever"].pk}"') :].split("</tr>")[0]
    assert f'<a href="{reverse("lever-review", args=[web_org["lever"].pk])}">Veto</a>' in row
