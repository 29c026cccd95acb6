"""API test fixtures: clients signed in per role, generous throttles, and a small organisation.

`org` is built with the factories (fast) rather than the demo: Service (headed by `head`, a direct line
to the CCO with full authority) and Sales (headed by `other-head`, no line), one objective, a goal in
each, a lever on Service's goal, and a data source.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import (
    DataSourceFactory,
    GoalFactory,
    LeverFactory,
    LineFactory,
    LinkFactory,
    ObjectiveFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def generous_throttles(settings):
    """High rates so no test trips a limit by accident; the throttle test sets its own."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_for():
    """client_for(user) → an APIClient signed in as `user` (no user: anonymous)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def other_head(other_department):
    return other_department.heads.get()


@pytest.fixture
def nobody(role_groups):
    """Signed in, but holding no role and heading nothing."""
    return UserFactory(username="no-role")


@pytest.fixture
def org(department, other_department, period, head, cco_user):
    line = LineFactory(department=department)
    objective = ObjectiveFactory(period=period, owner=cco_user, title="Happier customers")
    goal = GoalFactory(department=department, period=period, title="Resolve at first contact", weight=Decimal(40))
    LinkFactory(goal=goal, objective=objective, strength=Decimal("0.8"))
    other_goal = GoalFactory(department=other_department, period=period, title="Close more deals", weight=Decimal(50))
    lever = LeverFactory(goal=goal, manager=head, share=Decimal(20))
    source = DataSourceFactory(name="CRM", category="behaviour")
    return SimpleNamespace(
        department=department,
        other_department=other_department,
        period=period,
        line=line,
        objective=objective,
        goal=goal,
        other_goal=other_goal,
        lever=lever,
        source=source,
    )


@pytest.fixture
def users(admin_user, cco_user, executive, head, other_head, nobody):
    """Every role by name, for tests parametrized over roles."""
    return {"admin": admin_user, "cco": cco_user, "executive": executive, "head": head, "other_head": other_head,
            "nobody": nobody}  # fmt: skip
