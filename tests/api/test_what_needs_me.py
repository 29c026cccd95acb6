"""GET /api/v1/users/me/needs/: what waits for the signed-in user, the same as the dashboard's "What needs me"."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from mandates import services
from pages.needs import NEEDS_SHOWN
from tests.factories import CheckInFactory, GoalFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/users/me/needs/"


def needs(client):
    response = client.get(URL)
    assert response.status_code == 200
    return response.json()


def test_cco_gets_the_reviews_waiting_with_links_to_each_review(client_for, cco_user, org):
    GoalFactory(department=org.other_department, period=org.period, title="Open a branch", status="draft")
    body = needs(client_for(cco_user))
    assert body["applies"] is True
    assert {k: body["counts"][k] for k in ("claims", "drafts", "levers")} == {"claims": 1, "drafts": 1, "levers": 1}
    drafts = next(group for group in body["groups"] if group["key"] == "drafts")
    assert drafts["items"][0]["text"] == "Sales: “Open a branch”"
    assert drafts["items"][0]["url"].startswith("/reviews/goals/")


def test_head_gets_their_goals_to_check_in_and_to_revise_only(client_for, head, cco_user, org):
    for _number in range(NEEDS_SHOWN + 1):
        GoalFactory(department=org.department, period=org.period, weight=Decimal(5))
    CheckInFactory(goal=org.goal, at=timezone.now() - timedelta(days=60))
    services.goal_veto(actor=cco_user, goal=org.goal, reason="Not a customer outcome.")
    body = needs(client_for(head))
    assert body["counts"]["departments"] == [
        {"id": org.department.pk, "name": "Service", "to_check_in": NEEDS_SHOWN + 1, "vetoed": 1}
    ]
    groups = {group["key"]: group for group in body["groups"]}
    assert groups["check-ins"]["count"] == NEEDS_SHOWN + 1 and len(groups["check-ins"]["items"]) == NEEDS_SHOWN
    assert "Close more deals" not in str(body), "another department's goal"
    assert groups["vetoed"]["items"] == [
        {
            "text": "Service: “Resolve at first contact” — the CCO's reason: Not a customer outcome.",
            "url": reverse("goal-edit", args=[org.goal.pk]),
        }
    ]


@pytest.mark.parametrize("role", ["executive", "admin", "nobody"])
def test_executives_admins_and_people_without_a_role_have_nothing_personal(client_for, users, org, role):
    body = needs(client_for(users[role]))
    assert body["applies"] is False and body["groups"] == [] and body["counts"]["claims"] == 0


def test_anonymous_is_refused(client_for, org):
    assert client_for().get(URL).status_code == 401
