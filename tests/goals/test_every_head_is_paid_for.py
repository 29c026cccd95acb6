"""Nobody may move their own number by deleting pay: the compensation component averages over every head, so a head
who deletes their only lever (on a goal that ignores the customer) does not lift the department's score, whichever
path the delete takes (the service, the web page, the API, the Django admin)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cco import roles
from goals.models import CompensationLever, LinkReview
from goals.services import lever_delete
from scoring.selectors import latest_scores
from scoring.snapshots import scores_recompute
from tests.factories import DepartmentFactory, GoalFactory, LeverFactory, LinkFactory, ObjectiveFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_heads(role_groups, period):
    """Service, headed by Ana (40% of her pay on a customer goal, signed off) and Ben (50% on an internal goal)."""
    ana = UserFactory(username="ana", role=roles.HEAD)
    ben = UserFactory(username="ben", role=roles.HEAD)
    department = DepartmentFactory(name="Service", heads=[ana, ben])
    customer = GoalFactory(department=department, period=period, title="Raise satisfaction", weight=Decimal(50))
    LinkFactory(
        goal=customer, objective=ObjectiveFactory(period=period), strength=Decimal(1), review=LinkReview.CONFIRMED
    )
    internal = GoalFactory(department=department, period=period, title="Cut handling time", weight=Decimal(50))
    LeverFactory(goal=customer, manager=ana, share=Decimal(40), signed_off=True)
    bens = LeverFactory(goal=internal, manager=ben, share=Decimal(50), signed_off=True)
    scores_recompute()
    return department, ben, bens


def compensation(department) -> float:
    scores_recompute()
    return latest_scores()[department.pk].components["compensation"]["value"]


def test_the_service(two_heads):
    department, ben, lever = two_heads
    before = compensation(department)
    assert before == 0.2  # (40% + 0%) / 2 heads
    lever_delete(actor=ben, lever=lever)
    assert compensation(department) == before


def test_the_web_page(client, two_heads):
    department, ben, lever = two_heads
    client.force_login(ben)
    response = client.post(f"/levers/{lever.pk}/delete/")
    assert response.status_code == 302
    assert not CompensationLever.objects.filter(pk=lever.pk).exists()
    assert compensation(department) == 0.2


def test_the_api(client, two_heads):
    department, ben, lever = two_heads
    client.force_login(ben)
    response = client.delete(f"/api/v1/levers/{lever.pk}/", HTTP_IF_MATCH="*")
    assert response.status_code == 204, response.content
    assert compensation(department) == 0.2


def test_the_django_admin(client, admin_user, two_heads):
    department, _, lever = two_heads
    admin_user.is_staff = admin_user.is_superuser = True  # as the admin tests' site admin
    admin_user.save()
    client.force_login(admin_user)
    response = client.post(f"/admin/goals/compensationlever/{lever.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CompensationLever.objects.filter(pk=lever.pk).exists()
    assert compensation(department) == 0.2


def test_a_new_head_without_a_lever_is_counted_once_the_heads_change(two_heads, role_groups):
    department, _, _ = two_heads
    department.heads.add(UserFactory(username="cleo", role=roles.HEAD))
    assert compensation(department) == pytest.approx(0.4 / 3, abs=1e-4)
