"""A closed period (no longer current, past the grace for its final check-ins) takes no writes on any path: its
goals, links, levers, check-ins, objectives and the CCO's decisions stay as it ended, which its pages and quarterly
review show. Making it current again reopens it for a correction, visibly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from goals import services
from goals.models import CheckIn, CustomerObjective, Goal
from mandates import services as mandate_services
from tests.factories import CheckInFactory, GoalFactory, LinkFactory, ObjectiveFactory, PeriodFactory, quarter

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(period):
    """Two quarters back: ended months ago, whatever today is."""
    return PeriodFactory(**vars(quarter(-2)), is_current=False)


@pytest.fixture
def old_goal(department, closed):
    goal = GoalFactory(department=department, period=closed, title="Last year's goal", weight=Decimal(30))
    CheckInFactory(goal=goal, value=Decimal(40))
    return goal


def said_closed(error: ValidationError, closed) -> bool:
    return f"{closed} is closed: it ended on" in " ".join(error.messages)


def test_a_head_cannot_rewrite_a_goal_of_a_closed_quarter(head, old_goal, closed):
    with pytest.raises(ValidationError) as refused:
        services.goal_update(actor=head, goal=old_goal, data={"target": Decimal(40)})

    assert said_closed(refused.value, closed)
    assert (
        "makes" in refused.value.messages[0]
        and "the current period again for the correction" in (refused.value.messages[0])
    )
    assert Goal.objects.get(pk=old_goal.pk).target == old_goal.target


def test_nor_correct_or_add_its_readings(head, old_goal, closed):
    final = CheckIn.objects.get(goal=old_goal)
    final.by = head
    final.save()

    for attempt in (
        lambda: services.check_in_update(actor=head, check_in=final, data={"value": Decimal(100)}),
        lambda: services.check_in_delete(actor=head, check_in=final),
        lambda: services.check_in_create(
            actor=head, goal=old_goal, value=Decimal(100), confidence="on_track", at=final.at
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert said_closed(refused.value, closed)
    assert list(CheckIn.objects.values_list("value", flat=True)) == [Decimal(40)]


def test_nor_move_a_goal_into_it_or_add_one(head, department, period, closed):
    goal = GoalFactory(department=department, period=period, title="This quarter's goal")

    with pytest.raises(ValidationError) as moved:
        services.goal_update(actor=head, goal=goal, data={"period": closed})
    with pytest.raises(ValidationError) as added:
        services.goal_create(
            actor=head, department=department,
            data={"title": "Backfilled", "metric": "M", "baseline": 0, "target": 1, "period": closed},
        )  # fmt: skip

    assert said_closed(moved.value, closed) and "period" in moved.value.message_dict
    assert said_closed(added.value, closed)
    assert not Goal.objects.filter(period=closed).exists()


def test_the_cco_cannot_add_an_objective_or_review_a_link_in_it(cco_user, old_goal, closed):
    objective = ObjectiveFactory(period=closed, title="Happier customers")
    link = LinkFactory(goal=old_goal, objective=objective)

    with pytest.raises(ValidationError) as added:
        services.objective_create(
            actor=cco_user,
            data={"category": "satisfaction", "title": "Added later", "metric": "NPS", "baseline": 0, "target": 1,
                  "period": closed},
        )  # fmt: skip
    with pytest.raises(ValidationError) as reviewed:
        mandate_services.link_review(actor=cco_user, link=link, action="confirm", reason="Late.")

    assert said_closed(added.value, closed) and said_closed(reviewed.value, closed)
    assert not CustomerObjective.objects.filter(title="Added later").exists()


def test_the_api_and_the_web_form_say_so(head, old_goal, closed, client):
    api = APIClient()
    api.force_authenticate(head)
    etag = api.get(f"/api/v1/goals/{old_goal.pk}/")["ETag"]

    response = api.patch(f"/api/v1/goals/{old_goal.pk}/", {"target": "40"}, format="json", HTTP_IF_MATCH=etag)
    client.force_login(head)
    archived = client.post(reverse("goal-archive", args=[old_goal.pk]), follow=True)

    assert response.status_code == 400 and f"{closed} is closed" in response.json()["detail"]
    assert f"{closed} is closed" in archived.content.decode()
    assert Goal.objects.get(pk=old_goal.pk).status == "active"


def test_making_it_current_again_reopens_it_for_a_correction(head, admin_user, old_goal, closed):
    services.period_make_current(actor=admin_user, period=closed)

    services.goal_update(actor=head, goal=Goal.objects.get(pk=old_goal.pk), data={"target": Decimal(90)})

    assert Goal.objects.get(pk=old_goal.pk).target == Decimal(90)
