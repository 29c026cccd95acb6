"""The Django admin at an organisation's size (docs/performance.md): no change form lists every department, person or
goal in a <select>, and no change list offers a filter link per department. At 2,000 departments the lever form was
2.6 MB (40,000 goals, every user, every department); pickers ask the admin's autocomplete view instead, which pages
its answers, and a department is found by the change list's search."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple

from cco import roles
from departments.models import Department, ReportingLine
from goals.models import CompensationLever, Goal
from mandates.models import Decision, DecisionAction
from scoring.models import AlignmentScore
from tests.factories import DepartmentFactory, GoalFactory, LeverFactory, LineFactory, UserFactory

pytestmark = pytest.mark.django_db

DEPARTMENTS = 5


@pytest.fixture
def admin_site(client, admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    return client


@pytest.fixture
def organisation(period, cco_user):
    """A few departments, each with a head, a goal, a lever, a line and a decision."""
    departments = []
    for n in range(DEPARTMENTS):
        head = UserFactory(username=f"picker-head-{n}", role=roles.HEAD)
        department = DepartmentFactory(name=f"Picker department {n}", heads=[head])
        goal = GoalFactory(department=department, period=period, title=f"Picker goal {n}", weight=Decimal(10))
        lever = LeverFactory(goal=goal, manager=head, share=Decimal(10))
        Decision.objects.create(
            department=department, lever=lever, subject=str(lever), action=DecisionAction.SIGN_OFF, by=cco_user
        )
        AlignmentScore.objects.create(department=department, period=period, score=Decimal(50), fingerprint=str(n))
        departments.append(department)
    for department, target in zip(departments[1:], departments, strict=False):
        LineFactory(department=department, target=target)
    return departments


def listed_options(response, names) -> list[str]:
    """The names offered as <option>s on the page."""
    html = response.content.decode()
    return [name for name in names if f">{name}</option>" in html]


def form_page(client, model, obj=None):
    meta = model._meta
    path = f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/" if obj else None
    response = client.get(path or f"/admin/{meta.app_label}/{meta.model_name}/add/")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("model", "changed", "fields"),
    [
        (CompensationLever, False, ("department", "manager", "goal")),
        (CompensationLever, True, ("manager", "goal")),
        (Goal, False, ("department",)),
        (ReportingLine, False, ("department", "target")),
        (ReportingLine, True, ("target",)),
        (Department, False, ("heads",)),
        (Department, True, ("heads",)),
    ],
)
def test_admin_forms_pick_departments_people_and_goals_by_search(admin_site, organisation, model, changed, fields):
    obj = model.objects.filter(department=organisation[-1]).first() if changed and model is not Department else None
    obj = organisation[-1] if changed and model is Department else obj
    response = form_page(admin_site, model, obj)

    form = response.context["adminform"].form
    for name in fields:
        assert isinstance(form.fields[name].widget.widget, AutocompleteSelect | AutocompleteSelectMultiple), name
    everyone = [d.name for d in organisation] + [f"Picker goal {n}" for n in range(DEPARTMENTS)]
    everyone += [f"picker-head-{n}" for n in range(DEPARTMENTS)]
    assert len(listed_options(response, everyone)) <= 2, "at most what the object itself holds"


def test_the_admins_autocomplete_finds_a_goal_by_its_departments_name(admin_site, organisation):
    response = admin_site.get(
        "/admin/autocomplete/",
        {"app_label": "goals", "model_name": "compensationlever", "field_name": "goal", "term": "department 3"},
    )

    assert [row["text"] for row in response.json()["results"]] == ["Picker goal 3"]


@pytest.mark.parametrize("model", [Goal, CompensationLever, Decision, AlignmentScore])
def test_admin_change_lists_offer_no_filter_link_per_department(admin_site, organisation, model):
    meta = model._meta
    response = admin_site.get(f"/admin/{meta.app_label}/{meta.model_name}/")

    assert response.status_code == 200
    assert "department__id__exact" not in response.content.decode()


@pytest.mark.parametrize("model", [Goal, CompensationLever, Decision, AlignmentScore])
def test_admin_change_lists_find_a_departments_rows_by_its_name(admin_site, organisation, model):
    meta = model._meta
    response = admin_site.get(f"/admin/{meta.app_label}/{meta.model_name}/", {"q": "Picker department 2"})

    rows = list(response.context["cl"].result_list)
    assert rows and {row.department_id for row in rows} == {organisation[2].pk}


@pytest.mark.parametrize("model", [Decision, ReportingLine, Goal, CompensationLever, AlignmentScore])
def test_admin_change_lists_read_the_same_queries_for_more_rows(
    admin_site, organisation, model, django_assert_max_num_queries
):
    path = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    admin_site.get(path)
    few = model.objects.filter(department__in=organisation[:2]).values("pk")
    with django_assert_max_num_queries(100) as captured:
        admin_site.get(path, {"department__id__in": ",".join(str(d.pk) for d in organisation[:2])})
    with django_assert_max_num_queries(len(captured)):
        admin_site.get(path)
    assert few.exists()
