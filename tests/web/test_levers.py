"""Compensation levers: create, edit, delete; the manager among the department's heads; pay share limits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cco.versions import version_of
from goals.models import CompensationLever, GoalStatus
from tests.factories import GoalFactory, LeverFactory, UserFactory


@pytest.fixture
def goal(department, period):
    return GoalFactory(department=department, period=period, title="Resolve at first contact", weight=Decimal(40))


@pytest.fixture
def other_goal(department, period):
    return GoalFactory(department=department, period=period, title="Cut handle time", weight=Decimal(20))


@pytest.fixture
def head_client(client, head):
    client.force_login(head)
    return client


def levers():
    return list(CompensationLever.objects.order_by("pk").values("manager_id", "goal_id", "share", "signed_off"))


def test_head_ties_part_of_their_pay_to_a_goal(head_client, department, goal, head):
    response = head_client.post(
        reverse("lever-create", args=[department.pk]), {"manager": head.pk, "goal": goal.pk, "share": "40"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/departments/{department.pk}/"
    assert levers() == [{"manager_id": head.pk, "goal_id": goal.pk, "share": Decimal(40), "signed_off": False}]


def test_more_than_100_percent_of_a_managers_pay_is_an_error_on_share_and_nothing_is_saved(
    head_client, department, goal, other_goal, head
):
    LeverFactory(goal=goal, manager=head, share=Decimal(70))
    before = levers()

    response = head_client.post(
        reverse("lever-create", args=[department.pk]), {"manager": head.pk, "goal": other_goal.pk, "share": "40"}
    )

    assert response.status_code == 400
    assert "cannot exceed 100%" in " ".join(response.context["form"].errors["share"])
    assert levers() == before


@pytest.mark.parametrize("share", ["0", "101", "NaN", "much"])
def test_share_must_be_a_percentage(head_client, department, goal, head, share):
    response = head_client.post(
        reverse("lever-create", args=[department.pk]), {"manager": head.pk, "goal": goal.pk, "share": share}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["share"]
    assert not CompensationLever.objects.exists()


def test_manager_must_be_one_of_the_departments_heads(head_client, department, goal):
    outsider = UserFactory(username="outsider")

    response = head_client.post(
        reverse("lever-create", args=[department.pk]), {"manager": outsider.pk, "goal": goal.pk, "share": "10"}
    )

    assert response.status_code == 400
    assert "manager" in response.context["form"].errors
    assert not CompensationLever.objects.exists()


def test_pay_cannot_be_tied_to_an_archived_goal(head_client, department, period, head):
    archived = GoalFactory(department=department, period=period, title="Old goal", status=GoalStatus.ARCHIVED)

    response = head_client.post(
        reverse("lever-create", args=[department.pk]), {"manager": head.pk, "goal": archived.pk, "share": "10"}
    )

    assert response.status_code == 400
    assert "goal" in response.context["form"].errors
    assert not CompensationLever.objects.exists()


def test_goal_must_be_one_of_the_departments_goals(head_client, department, other_department, period, head):
    foreign = GoalFactory(department=other_department, period=period, title="Sales quota")

    response = head_client.post(
        reverse("lever-create", args=[department.pk]), {"manager": head.pk, "goal": foreign.pk, "share": "10"}
    )

    assert response.status_code == 400
    assert "goal" in response.context["form"].errors
    assert not CompensationLever.objects.exists()


def test_edit_page_shows_the_ccos_sign_off(head_client, goal, head, cco_user):
    lever = LeverFactory(goal=goal, manager=head, signed_off=True, signed_off_by=cco_user, signed_off_at=timezone.now())

    response = head_client.get(reverse("lever-edit", args=[lever.pk]))

    assert b"Signed off by the CCO" in response.content
    assert b"withdraws the sign-off" in response.content


def test_changing_a_signed_off_levers_share_withdraws_the_sign_off_and_says_so(head_client, goal, head, cco_user):
    lever = LeverFactory(goal=goal, manager=head, share=Decimal(20), signed_off=True, signed_off_by=cco_user)

    response = head_client.post(
        reverse("lever-edit", args=[lever.pk]),
        {"manager": head.pk, "goal": goal.pk, "share": "25", "version": version_of(lever)},
    )

    lever.refresh_from_db()
    assert (lever.share, lever.signed_off) == (Decimal(25), False)
    assert "sign-off was withdrawn" in " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_saving_a_lever_unchanged_adds_nothing_to_its_history_and_says_nothing_changed(head_client, goal, head):
    lever = LeverFactory(goal=goal, manager=head, share=Decimal(20))
    version, history = version_of(lever), lever.history.count()

    response = head_client.post(
        reverse("lever-edit", args=[lever.pk]),
        {"manager": head.pk, "goal": goal.pk, "share": "20", "version": version},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == [f"Nothing changed: “{lever}” is as it was."]
    lever.refresh_from_db()
    assert (lever.history.count(), version_of(lever)) == (history, version)
    shown = head_client.get(reverse("lever-history", args=[lever.pk])).content.decode()
    assert shown.count("<strong>Changed</strong>") == 0


def test_head_deletes_a_lever(head_client, goal, head, department):
    lever = LeverFactory(goal=goal, manager=head)

    response = head_client.post(reverse("lever-delete", args=[lever.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"/departments/{department.pk}/"
    assert not CompensationLever.objects.exists()


def test_delete_refuses_get(head_client, goal, head):
    lever = LeverFactory(goal=goal, manager=head)

    assert head_client.get(reverse("lever-delete", args=[lever.pk])).status_code == 405
    assert CompensationLever.objects.exists()


def test_cco_edits_a_lever_of_any_department(client, cco_user, goal, head):
    lever = LeverFactory(goal=goal, manager=head, share=Decimal(20))
    client.force_login(cco_user)

    data = {"manager": head.pk, "goal": goal.pk, "share": "15", "version": version_of(lever)}
    response = client.post(reverse("lever-edit", args=[lever.pk]), data)

    assert response.status_code == 302
    lever.refresh_from_db()
    assert lever.share == Decimal(15)


def test_lever_form_offers_only_the_departments_heads_and_goals(head_client, department, goal, other_department):
    response = head_client.get(reverse("lever-create", args=[department.pk]))

    form = response.context["form"]
    assert list(form.fields["manager"].queryset) == list(department.heads.all())
    assert list(form.fields["goal"].queryset) == [goal]
