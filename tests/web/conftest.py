"""Fixtures for the web pages' tests: a small organisation every role can be signed in to.

`web_org` builds, through factories, two departments (the head's, with a direct line and full authority; and
another one with a powerless dotted line), objectives one of which nobody supports, goals that support and
conflict, levers, a check-in at risk and stale competitor data; then scores it once.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from departments.models import LineKind
from tests.factories import (
    CheckInFactory,
    DataSourceFactory,
    GoalFactory,
    LeverFactory,
    LineFactory,
    LinkFactory,
    ObjectiveFactory,
)

ROLES = ("admin", "cco", "executive", "head", "other_head", "anonymous")


def score_everything() -> None:
    """What a full recompute task does (the factories above write no owed requests, as services would)."""
    from scoring.tasks import recompute_scores

    recompute_scores.apply(kwargs={"full": True})


def review_coverage(html: str) -> dict[str, str]:
    """The quarterly review's objectives table as {objective title: what its coverage badge says}."""
    rows = re.findall(r"<tr><td>([^<]+).*?</td><td>[^<]*</td><td><span class=\"badge \w+\">([^<]+)</span>", html)
    return dict(rows)


@pytest.fixture
def web_org(admin_user, cco_user, executive, head, department, other_department, period):
    satisfaction = ObjectiveFactory(period=period, title="Raise customer satisfaction", category="satisfaction")
    churn = ObjectiveFactory(period=period, title="Stop small-business churn", category="retention")
    answer = GoalFactory(department=department, period=period, title="Answer first time", weight=Decimal(40))
    handle = GoalFactory(
        department=department,
        period=period,
        title="Cut handle time",
        weight=Decimal(20),
        baseline=Decimal(9),
        target=Decimal(6),
        direction="lower",
    )
    quota = GoalFactory(department=other_department, period=period, title="Hit the quota", weight=Decimal(50))
    LinkFactory(goal=answer, objective=satisfaction, kind="supports", strength=Decimal("0.8"))
    LinkFactory(goal=handle, objective=satisfaction, kind="conflicts", strength=Decimal("0.5"))
    CheckInFactory(goal=answer, value=Decimal(20), confidence="at_risk")
    CheckInFactory(goal=handle, value=Decimal("7.5"), confidence="on_track")
    other_head = other_department.heads.get()
    lever = LeverFactory(goal=answer, manager=head, share=Decimal(30))
    other_lever = LeverFactory(goal=quota, manager=other_head, share=Decimal(40))
    line = LineFactory(department=department, target=None, kind=LineKind.DIRECT)
    other_line = LineFactory(
        department=other_department,
        target=None,
        kind=LineKind.DOTTED,
        sets_goals=False,
        signs_off_compensation=False,
        can_veto=False,
    )
    competitor = DataSourceFactory(
        name="Competitor feed", category="competitor", last_refreshed_at=timezone.now() - timedelta(days=90)
    )
    score_everything()
    return {
        "users": {
            "admin": admin_user,
            "cco": cco_user,
            "executive": executive,
            "head": head,
            "other_head": other_head,
            "anonymous": None,
        },
        "period": period,
        "department": department,
        "other_department": other_department,
        "satisfaction": satisfaction,
        "churn": churn,
        "answer": answer,
        "handle": handle,
        "quota": quota,
        "lever": lever,
        "other_lever": other_lever,
        "line": line,
        "other_line": other_line,
        "competitor": competitor,
    }


@pytest.fixture
def as_role(client, web_org):
    """Sign the test client in as one of ROLES (anonymous: not signed in) and return it."""

    def _as(role: str):
        client.logout()
        user = web_org["users"][role]
        if user is not None:
            client.force_login(user)
        return client

    return _as
