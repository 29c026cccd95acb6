"""No lost update in the web app: two people open the same goal, lever or checklist item and both save. The first
save wins; the second is refused with who changed what, nothing of the first is overwritten, and the second person
can then save knowingly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from cco import roles
from cco.versions import version_of
from goals.models import CompensationLever, Goal
from mandates.models import MandateItem
from mandates.services import mandate_item_update
from tests.factories import GoalFactory, LeverFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_of(response, prefix: str = "") -> dict:
    """What the browser would post back: every field of the bound or unbound form as rendered."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[form.add_prefix(name)] = "" if value is None else getattr(value, "pk", value)
    return data


def links_management(goal) -> dict:
    return {
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "20",
    }


@pytest.fixture
def second_head(department):
    colleague = UserFactory(username="second-head", first_name="Mia", last_name="Marketing", role=roles.HEAD)
    department.heads.add(colleague)
    return colleague


@pytest.fixture
def goal(department, period):
    return GoalFactory(department=department, period=period, title="Answer first time", weight=Decimal(30))


def test_the_second_of_two_goal_saves_from_the_same_version_is_refused_and_says_who_changed_what(
    head, second_head, goal
):
    url = reverse("goal-edit", args=[goal.pk])
    mine, theirs = signed_in(head), signed_in(second_head)
    my_form = form_of(mine.get(url)) | links_management(goal)
    their_form = form_of(theirs.get(url)) | links_management(goal)

    first = theirs.post(url, their_form | {"weight": "45"})
    second = mine.post(url, my_form | {"title": "Answer first time, every time"})

    assert first.status_code == 302
    assert second.status_code == 400
    message = " ".join(second.context["form"].non_field_errors())
    assert "Mia Marketing changed “Answer first time” since you opened this page" in message
    assert "(weight: 30 → 45)" in message
    assert "nothing was saved" in message
    saved = Goal.objects.get(pk=goal.pk)
    assert (saved.title, saved.weight) == ("Answer first time", Decimal(45)), "the first save stands"

    again = mine.post(url, form_of(second) | links_management(goal))
    assert again.status_code == 302, "the refused form carries the new version: saving again is a choice"
    assert Goal.objects.get(pk=goal.pk).title == "Answer first time, every time"


def test_two_saves_one_after_the_other_from_one_page_do_not_overwrite_a_change_in_between(head, second_head, goal):
    url = reverse("goal-edit", args=[goal.pk])
    mine = signed_in(head)
    page = form_of(mine.get(url)) | links_management(goal)
    assert mine.post(url, page | {"weight": "35"}).status_code == 302
    signed_in(second_head).post(
        url, form_of(signed_in(second_head).get(url)) | links_management(goal) | {"weight": "40"}
    )

    stale = mine.post(url, page | {"weight": "25"})  # the same page, submitted again

    assert stale.status_code == 400
    assert Goal.objects.get(pk=goal.pk).weight == Decimal(40)


def test_an_edit_without_a_version_is_refused(head, goal):
    url = reverse("goal-edit", args=[goal.pk])
    client = signed_in(head)
    data = form_of(client.get(url)) | links_management(goal) | {"version": "", "title": "Renamed"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert Goal.objects.get(pk=goal.pk).title == "Answer first time"


def test_the_second_of_two_lever_saves_is_refused(head, second_head, goal):
    lever = LeverFactory(goal=goal, manager=head, share=Decimal(20))
    url = reverse("lever-edit", args=[lever.pk])
    mine, theirs = signed_in(head), signed_in(second_head)
    my_form, their_form = form_of(mine.get(url)), form_of(theirs.get(url))

    assert theirs.post(url, their_form | {"share": "30"}).status_code == 302
    second = mine.post(url, my_form | {"share": "10"})

    assert second.status_code == 400
    assert "Mia Marketing changed" in " ".join(second.context["form"].non_field_errors())
    assert CompensationLever.objects.get(pk=lever.pk).share == Decimal(30)


def test_the_second_of_two_checklist_saves_is_refused(cco_user, admin_user, role_groups):
    item = MandateItem.objects.get(key="customer-centric-culture")
    item = mandate_item_update(actor=cco_user, item=item, status="not_granted", evidence="Not yet discussed.")
    other_cco = UserFactory(username="deputy-cco", first_name="Dee", last_name="Puty", role=roles.CCO)
    url = reverse("mandate-item-update", args=[item.pk])
    prefix = f"item-{item.pk}"
    stale_version = version_of(item)

    first = signed_in(other_cco).post(
        url, {f"{prefix}-status": "partial", f"{prefix}-evidence": "Culture plan", f"{prefix}-version": stale_version}
    )
    second = signed_in(cco_user).post(
        url, {f"{prefix}-status": "granted", f"{prefix}-evidence": "Board minute", f"{prefix}-version": stale_version}
    )

    assert first.status_code == 302
    assert "Dee Puty changed “Drive a customer-centric culture” since you opened this page" in second.content.decode()
    item.refresh_from_db()
    assert (item.status, item.evidence) == ("partial", "Culture plan")
