"""docs/permissions.md, web part A, walked cell by cell: every role against every page and every write.

Roles: admin, CCO, executive, a head of the department, a head of another department, anonymous.
Reads: allowed roles get 200, other signed-in roles 403, anonymous a redirect to the login page.
Writes: allowed roles succeed (a redirect after saving); refused roles get 403 and nothing in the
database changes.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cco.versions import version_of
from departments.models import ReportingLine
from goals.models import CompensationLever, CustomerObjective, Goal
from mandates.models import DataSource, Decision, MandateItem
from tests.web.conftest import ROLES

pytestmark = pytest.mark.django_db

EVERYONE = {"admin", "cco", "executive", "head", "other_head"}
CCO = {"cco"}
ADMIN = {"admin"}
ADMIN_CCO = {"admin", "cco"}

# (URL name, how to build its arguments from web_org, roles that may open it)
PAGES = [
    ("dashboard", lambda o: [], EVERYONE),
    ("dashboard-status", lambda o: [], EVERYONE),
    ("dashboard-scores", lambda o: [], EVERYONE),
    ("dashboard-heatmap", lambda o: [], EVERYONE),
    ("department-list", lambda o: [], EVERYONE),
    ("department-detail", lambda o: [o["department"].pk], EVERYONE),
    ("org-chart", lambda o: [], EVERYONE),
    ("objective-list", lambda o: [], EVERYONE),
    ("mandate-checklist", lambda o: [], EVERYONE),
    ("data-source-list", lambda o: [], EVERYONE),
    ("decision-list", lambda o: [], EVERYONE),
    ("charter", lambda o: [], EVERYONE),
    ("objective-create", lambda o: [], CCO),
    ("objective-edit", lambda o: [o["churn"].pk], CCO),
    ("data-source-create", lambda o: [], ADMIN_CCO),
    ("data-source-edit", lambda o: [o["competitor"].pk], ADMIN_CCO),
    ("data-source-delete", lambda o: [o["competitor"].pk], ADMIN_CCO),
    ("line-edit", lambda o: [o["other_line"].pk], ADMIN),
    ("line-delete", lambda o: [o["other_line"].pk], ADMIN),
    ("review-list", lambda o: [], CCO),
    ("goal-review", lambda o: [o["answer"].pk], CCO),
    ("lever-review", lambda o: [o["lever"].pk], CCO),
    ("period-make-current", lambda o: [o["period"].pk], ADMIN_CCO),
]


def _objective(o):
    return {
        "category": "retention",
        "title": "Keep customers longer",
        "metric": "Retention",
        "baseline": "80",
        "target": "88",
        "period": o["period"].pk,
        "active": "on",
    }


def _item(o):
    item = MandateItem.objects.get(key="long-term-profitability")
    prefix = f"item-{item.pk}"
    return {
        f"{prefix}-status": "granted",
        f"{prefix}-evidence": "Board decision.",
        f"{prefix}-version": version_of(item),
    }


# (URL name, arguments, form data, roles that may do it)
WRITES = [
    ("objective-create", lambda o: [], _objective, CCO),
    ("objective-edit", lambda o: [o["churn"].pk], _objective, CCO),
    ("objective-archive", lambda o: [o["churn"].pk], lambda o: {}, CCO),
    (
        "mandate-item-update",
        lambda o: [MandateItem.objects.get(key="long-term-profitability").pk],
        _item,
        CCO,
    ),
    ("data-source-create", lambda o: [], lambda o: {"name": "Churn model", "category": "behaviour"}, ADMIN_CCO),
    (
        "data-source-edit",
        lambda o: [o["competitor"].pk],
        lambda o: {"name": "Renamed feed", "category": "competitor"},
        ADMIN_CCO,
    ),
    ("data-source-delete", lambda o: [o["competitor"].pk], lambda o: {}, ADMIN_CCO),
    (
        "line-create",
        lambda o: [],
        lambda o: {"department": o["department"].pk, "target": o["other_department"].pk, "kind": "dotted"},
        ADMIN,
    ),
    (
        "line-edit",
        lambda o: [o["other_line"].pk],
        lambda o: {"target": "", "kind": "direct", "can_veto": "on", "authority_reviewed": "on"},
        ADMIN,
    ),
    ("line-delete", lambda o: [o["other_line"].pk], lambda o: {}, ADMIN),
    (
        "goal-review",
        lambda o: [o["answer"].pk],
        lambda o: {"version": version_of(o["answer"]), "decision": "veto", "reason": "Not customer-linked."},
        CCO,
    ),
    (
        "lever-review",
        lambda o: [o["lever"].pk],
        lambda o: {"version": version_of(o["lever"]), "decision": "sign_off", "reason": "Agreed."},
        CCO,
    ),
]


def database_state() -> tuple:
    """Everything part A's pages can write, to compare before and after a refused request."""
    return (
        list(CustomerObjective.objects.order_by("pk").values()),
        list(MandateItem.objects.order_by("pk").values("pk", "status", "evidence")),
        list(DataSource.objects.order_by("pk").values()),
        list(ReportingLine.objects.order_by("pk").values()),
        list(Goal.objects.order_by("pk").values("pk", "status")),
        list(CompensationLever.objects.order_by("pk").values("pk", "signed_off")),
        list(Decision.objects.order_by("pk").values()),
    )


def form_errors(response) -> dict:
    form = response.context.get("form") if response.context else None
    return dict(form.errors) if form is not None else {}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "args", "allowed"), PAGES, ids=[page[0] for page in PAGES])
def test_page_opens_only_for_the_roles_the_matrix_allows(as_role, web_org, role, name, args, allowed):
    response = as_role(role).get(reverse(name, args=args(web_org)))
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "args", "data", "allowed"), WRITES, ids=[write[0] for write in WRITES])
def test_write_succeeds_only_for_the_roles_the_matrix_allows(as_role, web_org, role, name, args, data, allowed):
    url = reverse(name, args=args(web_org))
    payload = data(web_org)
    before = database_state()
    response = as_role(role).post(url, payload)
    if role in allowed:
        assert response.status_code == 302, form_errors(response)
        assert database_state() != before
    elif role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert database_state() == before
    else:
        assert response.status_code == 403
        assert database_state() == before


NAV_LINKS = {
    "dashboard": EVERYONE,
    "department-list": EVERYONE,
    "org-chart": EVERYONE,
    "objective-list": EVERYONE,
    "mandate-checklist": EVERYONE,
    "charter": EVERYONE,
    "decision-list": EVERYONE,
    "review-list": CCO,
    "data-source-list": ADMIN_CCO,
}


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_navigation_shows_each_role_only_what_it_may_use(as_role, web_org, role):
    html = as_role(role).get(reverse("charter")).content.decode()
    nav = html.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    for name, allowed in NAV_LINKS.items():
        assert (f'href="{reverse(name)}"' in nav) == (role in allowed), name


def test_navigation_links_heads_to_their_own_department(as_role, web_org):
    html = as_role("head").get(reverse("charter")).content.decode()
    nav = html.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    assert f'href="{reverse("department-detail", args=[web_org["department"].pk])}"' in nav
    assert f'href="{reverse("department-detail", args=[web_org["other_department"].pk])}"' not in nav
