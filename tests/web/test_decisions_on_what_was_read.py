"""The CCO decides on what the CCO read: a lever or goal a head changed while the review page was open is refused
(saying who changed what) and nothing is recorded; a claim changed meanwhile is a new claim, and its old review page
says so instead of "not found". The API refuses the same when the decision names the version it read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cco.versions import version_of
from goals.models import CompensationLever, GoalLink
from goals.services import goal_update, lever_update
from mandates.models import Decision

pytestmark = pytest.mark.django_db


def test_a_sign_off_of_a_lever_changed_since_the_page_was_read_is_refused(as_role, web_org, head):
    lever = web_org["lever"]
    read = version_of(lever)
    lever_update(actor=head, lever=CompensationLever.objects.get(pk=lever.pk), data={"share": Decimal(60)})

    response = as_role("cco").post(
        reverse("lever-review", args=[lever.pk]), {"version": read, "decision": "sign_off", "reason": "Agreed at 20%."}
    )

    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "since you opened this page" in errors and "60" in errors
    assert not CompensationLever.objects.get(pk=lever.pk).signed_off
    assert not Decision.objects.filter(lever=lever).exists()
    assert "60%" in response.content.decode(), "the page now shows the pay as it is"


def test_after_reading_the_change_the_cco_can_decide(as_role, web_org, head):
    lever = web_org["lever"]
    read = version_of(lever)
    lever_update(actor=head, lever=CompensationLever.objects.get(pk=lever.pk), data={"share": Decimal(60)})
    client = as_role("cco")
    refused = client.post(reverse("lever-review", args=[lever.pk]), {"version": read, "decision": "sign_off",
                                                                     "reason": "Agreed."})  # fmt: skip

    again = client.post(
        reverse("lever-review", args=[lever.pk]),
        {"version": refused.context["form"]["version"].value(), "decision": "sign_off", "reason": "Agreed at 60%."},
    )

    assert again.status_code == 302
    assert CompensationLever.objects.get(pk=lever.pk).signed_off


def test_a_veto_of_a_goal_changed_since_the_page_was_read_is_refused(as_role, web_org, head):
    goal = web_org["answer"]
    read = version_of(goal)
    goal_update(actor=head, goal=goal, data={"target": Decimal(95)})

    response = as_role("cco").post(
        reverse("goal-review", args=[goal.pk]), {"version": read, "decision": "veto", "reason": "Off strategy."}
    )

    assert "since you opened this page" in " ".join(response.context["form"].non_field_errors())
    assert not Decision.objects.filter(goal=goal).exists()


def test_a_review_of_a_claim_changed_since_the_page_was_read_says_so_and_records_nothing(as_role, web_org, head):
    claim = GoalLink.objects.get(goal=web_org["answer"], objective=web_org["satisfaction"])
    page = reverse("link-review", args=[claim.pk])
    from goals.links import parse_links

    goal_update(
        actor=head,
        goal=web_org["answer"],
        data={},
        links=parse_links([{"objective": web_org["satisfaction"], "kind": "supports", "strength": "0.95"}]),
    )

    response = as_role("cco").post(page, {"decision": "confirm", "reason": "Yes."}, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("review-list"))
    assert "That claim was changed or removed since the page was opened" in response.content.decode()
    assert not Decision.objects.exists()
    assert GoalLink.objects.get(goal=web_org["answer"], objective=web_org["satisfaction"]).review == "claimed"


def test_the_api_refuses_a_decision_on_a_lever_changed_since_the_version_it_names(web_org, cco_user, head):
    lever = web_org["lever"]
    api = APIClient()
    api.force_authenticate(cco_user)
    etag = api.get(f"/api/v1/levers/{lever.pk}/")["ETag"]
    lever_update(actor=head, lever=CompensationLever.objects.get(pk=lever.pk), data={"share": Decimal(60)})

    response = api.post(
        "/api/v1/decisions/",
        {"action": "sign_off", "lever": lever.pk, "reason": "Agreed at 20%.", "version": etag},
        format="json",
    )

    assert response.status_code == 400
    assert "since you opened this page" in response.json()["detail"]
    assert not CompensationLever.objects.get(pk=lever.pk).signed_off
