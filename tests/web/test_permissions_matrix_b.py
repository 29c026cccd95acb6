"""Who may open and use the goal, check-in, lever and CSV pages: every role against every page.

Roles: admin, CCO, executive, a head of the goal's department, a head of another department, anonymous.
Refused reads answer 403 (anonymous: a redirect to the login page); refused writes answer 403 and change
nothing in the database.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from cco.versions import version_of
from goals.models import CheckIn, CompensationLever, Goal, GoalLink, GoalStatus
from tests.factories import (
    CheckInFactory,
    GoalFactory,
    LeverFactory,
    LinkFactory,
    ObjectiveFactory,
    PeriodFactory,
    quarter,
)

ROLES = ("admin", "cco", "executive", "head", "other_head", "anonymous")
EDITORS = {"admin", "cco", "head"}
EVERYONE = {"admin", "cco", "executive", "head", "other_head"}


@pytest.fixture
def org(admin_user, cco_user, executive, head, department, other_department, period):
    objective = ObjectiveFactory(period=period, title="Raise customer satisfaction")
    goal = GoalFactory(department=department, period=period, title="Answer first time", weight=Decimal(40))
    LinkFactory(goal=goal, objective=objective, kind="supports", strength=Decimal("0.8"))
    CheckInFactory(goal=goal, value=Decimal(20))
    lever = LeverFactory(goal=goal, manager=head, share=Decimal(30))
    return {
        "users": {
            "admin": admin_user,
            "cco": cco_user,
            "executive": executive,
            "head": head,
            "other_head": other_department.heads.get(),
            "anonymous": None,
        },
        "department": department,
        "goal": goal,
        "lever": lever,
        "objective": objective,
        "period": period,
    }


def client_as(client, org, role):
    user = org["users"][role]
    if user is not None:
        client.force_login(user)
    return client


def snapshot():
    """What a refused write must leave exactly as it was."""
    return (
        list(Goal.objects.order_by("pk").values("pk", "title", "weight", "status", "period_id")),
        list(GoalLink.objects.order_by("pk").values("goal_id", "objective_id", "kind", "strength")),
        list(CheckIn.objects.order_by("pk").values("goal_id", "value", "confidence")),
        list(CompensationLever.objects.order_by("pk").values("pk", "manager_id", "goal_id", "share")),
    )


# --- reading the pages --------------------------------------------------------------------------------

PAGES = {
    "goal-create": (lambda o: reverse("goal-create", args=[o["department"].pk]), EDITORS),
    "goal-detail": (lambda o: reverse("goal-detail", args=[o["goal"].pk]), EVERYONE),
    "goal-edit": (lambda o: reverse("goal-edit", args=[o["goal"].pk]), EDITORS),
    "goals-copy": (lambda o: reverse("goals-copy", args=[o["department"].pk]), EDITORS),
    "check-in-create": (lambda o: reverse("check-in-create", args=[o["goal"].pk]), {"head"}),
    "lever-create": (lambda o: reverse("lever-create", args=[o["department"].pk]), EDITORS),
    "lever-edit": (lambda o: reverse("lever-edit", args=[o["lever"].pk]), EDITORS),
    "goals-import": (lambda o: reverse("goals-import", args=[o["department"].pk]), EDITORS),
    "export-goals": (lambda o: reverse("export-goals"), EVERYONE),
    "export-scores": (lambda o: reverse("export-scores"), EVERYONE),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_page_opens_only_for_its_roles(client, org, page, role):
    url_of, allowed = PAGES[page]
    url = url_of(org)

    response = client_as(client, org, role).get(url)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_user_without_a_role_cannot_export(client, org, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="pw"))

    assert client.get(reverse("export-goals")).status_code == 403
    assert client.get(reverse("export-scores")).status_code == 403


# --- writing ------------------------------------------------------------------------------------------


def goal_post(o, **overrides):
    data = {
        "title": "Answer first time",
        "description": "",
        "metric": "Metric",
        "unit": "",
        "baseline": "0",
        "target": "100",
        "direction": "higher",
        "period": str(o["period"].pk),
        "weight": "45",
        "status": "active",
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "1",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "links-0-objective": str(o["objective"].pk),
        "links-0-kind": "conflicts",
        "links-0-strength": "0.5",
    }
    return data | overrides


WRITES = {
    "goal-create": (
        lambda o: reverse("goal-create", args=[o["department"].pk]),
        lambda o: goal_post(o, title="A brand new goal", weight="10"),
        EDITORS,
    ),
    "goal-edit": (
        lambda o: reverse("goal-edit", args=[o["goal"].pk]),
        lambda o: goal_post(o, version=version_of(o["goal"])),
        EDITORS,
    ),
    "goal-archive": (lambda o: reverse("goal-archive", args=[o["goal"].pk]), lambda o: {}, EDITORS),
    "goals-copy": (
        lambda o: reverse("goals-copy", args=[o["department"].pk]),
        lambda o: {"period": str(o["period"].pk)},
        EDITORS,
    ),
    "check-in-create": (
        lambda o: reverse("check-in-create", args=[o["goal"].pk]),
        lambda o: {"value": "30", "confidence": "at_risk", "comment": "Slipping"},
        {"head"},
    ),
    "lever-create": (
        lambda o: reverse("lever-create", args=[o["department"].pk]),
        lambda o: {"manager": str(o["users"]["head"].pk), "goal": str(o["extra_goal"].pk), "share": "10"},
        EDITORS,
    ),
    "lever-edit": (
        lambda o: reverse("lever-edit", args=[o["lever"].pk]),
        lambda o: {
            "manager": str(o["users"]["head"].pk),
            "goal": str(o["goal"].pk),
            "share": "35",
            "version": version_of(o["lever"]),
        },
        EDITORS,
    ),
    "lever-delete": (lambda o: reverse("lever-delete", args=[o["lever"].pk]), lambda o: {}, EDITORS),
}


@pytest.fixture
def org_with_next_period(org):
    PeriodFactory(**vars(quarter(1)), is_current=False)
    org["extra_goal"] = GoalFactory(department=org["department"], period=org["period"], title="Extra", weight=10)
    return org


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", WRITES)
def test_write_is_done_only_by_its_roles(client, org_with_next_period, action, role):
    org = org_with_next_period
    url_of, payload_of, allowed = WRITES[action]
    before = snapshot()

    response = client_as(client, org, role).post(url_of(org), payload_of(org))

    if role in allowed:
        assert response.status_code == 302, getattr(response, "context", None) and response.context.get("form")
        assert snapshot() != before
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert snapshot() == before


def test_head_typing_another_departments_goal_edit_url_is_refused_and_nothing_changes(client, org):
    client.force_login(org["users"]["other_head"])
    before = snapshot()

    get = client.get(reverse("goal-edit", args=[org["goal"].pk]))
    post = client.post(reverse("goal-edit", args=[org["goal"].pk]), goal_post(org, weight="5", title="Hijacked"))

    assert (get.status_code, post.status_code) == (403, 403)
    assert snapshot() == before


def test_executive_posting_to_goal_edit_is_refused_and_nothing_changes(client, org):
    client.force_login(org["users"]["executive"])
    before = snapshot()

    response = client.post(reverse("goal-edit", args=[org["goal"].pk]), goal_post(org, status=GoalStatus.ARCHIVED))

    assert response.status_code == 403
    assert snapshot() == before


def test_cco_cannot_record_a_check_in(client, org):
    client.force_login(org["users"]["cco"])

    response = client.post(reverse("check-in-create", args=[org["goal"].pk]), {"value": "50", "confidence": "on_track"})

    assert response.status_code == 403
    assert CheckIn.objects.filter(goal=org["goal"]).count() == 1


@pytest.mark.parametrize("role", ["executive", "other_head"])
def test_preview_is_refused_to_those_who_cannot_edit_the_goal(client, org, role):
    client_as(client, org, role)

    response = client.post(
        reverse("goal-preview"), goal_post(org, department=org["department"].pk, goal=org["goal"].pk)
    )

    assert response.status_code == 403


@pytest.mark.parametrize("role", ["executive", "other_head"])
def test_import_is_refused_and_creates_nothing(client, org, role):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client_as(client, org, role)
    upload = SimpleUploadedFile("goals.csv", b"title,metric,baseline,target,weight\nSneaky,M,0,1,1\n")

    response = client.post(reverse("goals-import", args=[org["department"].pk]), {"file": upload})

    assert response.status_code == 403
    assert not Goal.objects.filter(title="Sneaky").exists()
