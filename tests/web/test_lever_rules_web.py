"""The lever rules on the lever pages: a new choice of goal must be an active goal of the current period, a new
manager a head of the department. The form offers nothing else; a posted id of anything else is an error on
that field and nothing is saved (CompensationLever.clean refuses the same on every other path)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from cco.versions import version_of
from goals.models import CompensationLever
from tests.factories import GoalFactory, LeverFactory
from tests.lever_cases import GOAL_REFUSALS, MANAGERS, refused_goal, refused_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(department, period):
    return GoalFactory(department=department, period=period, title="Resolve at first contact", weight=Decimal(40))


@pytest.fixture
def lever(goal, head):
    return LeverFactory(goal=goal, manager=head, share=Decimal(20))


@pytest.fixture
def head_client(client, head):
    client.force_login(head)
    return client


def levers():
    return list(CompensationLever.objects.order_by("pk").values("manager_id", "goal_id", "share", "signed_off"))


def edit(client, lever, **changes):
    data = {"manager": lever.manager_id, "goal": lever.goal_id, "share": "20", "version": version_of(lever), **changes}
    return client.post(reverse("lever-edit", args=[lever.pk]), data)


@pytest.mark.parametrize("kind", GOAL_REFUSALS)
def test_a_new_lever_on_a_goal_that_does_not_count_now_is_refused(head_client, department, head, kind):
    goal = refused_goal(kind, department)

    response = head_client.post(
        reverse("lever-create", args=[department.pk]), {"manager": head.pk, "goal": goal.pk, "share": "10"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["goal"]
    assert not CompensationLever.objects.exists()


@pytest.mark.parametrize("kind", GOAL_REFUSALS)
def test_a_lever_cannot_be_moved_to_a_goal_that_does_not_count_now(head_client, department, lever, kind):
    goal = refused_goal(kind, department)
    before = levers()

    response = edit(head_client, lever, goal=goal.pk)

    assert response.status_code == 400
    assert response.context["form"].errors["goal"]
    assert levers() == before


@pytest.mark.parametrize("kind", MANAGERS)
def test_pay_is_tied_only_for_a_head_of_the_department(head_client, department, other_department, cco_user, goal, kind):
    manager = refused_manager(kind, cco=cco_user, other_department=other_department)

    response = head_client.post(
        reverse("lever-create", args=[department.pk]), {"manager": manager.pk, "goal": goal.pk, "share": "10"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["manager"]
    assert not CompensationLever.objects.exists()


@pytest.mark.parametrize("kind", MANAGERS)
def test_a_lever_cannot_be_handed_to_someone_who_does_not_head_the_department(
    head_client, other_department, cco_user, lever, kind
):
    manager = refused_manager(kind, cco=cco_user, other_department=other_department)
    before = levers()

    response = edit(head_client, lever, manager=manager.pk)

    assert response.status_code == 400
    assert response.context["form"].errors["manager"]
    assert levers() == before


def test_the_form_offers_only_active_goals_of_the_current_period(head_client, department, goal):
    for kind in GOAL_REFUSALS:
        refused_goal(kind, department)

    response = head_client.get(reverse("lever-create", args=[department.pk]))

    assert list(response.context["form"].fields["goal"].queryset) == [goal]


def test_a_lever_keeps_its_goal_once_the_goal_is_archived(head_client, lever, goal):
    goal.status = "archived"
    goal.save()

    response = edit(head_client, lever, share="25")

    assert response.status_code == 302
    lever.refresh_from_db()
    assert (lever.goal_id, lever.share) == (goal.pk, Decimal(25))
