"""The org chart: lines drawn (direct solid, dotted dashed), unreached departments marked, admins edit lines."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from departments.models import ReportingLine
from departments.orgchart import DRAWING_LIMIT
from tests.factories import DepartmentFactory, LineFactory, UserFactory

pytestmark = pytest.mark.django_db


def lines_snapshot() -> list[dict]:
    return list(ReportingLine.objects.order_by("pk").values())


def line_data(department, target=None, kind="dotted", **overrides) -> dict:
    data = {
        "department": department.pk,
        "target": target.pk if target else "",
        "kind": kind,
        "note": "",
    }
    return {**data, **overrides}


def test_chart_draws_direct_lines_solid_and_dotted_lines_dashed(as_role, web_org):
    html = as_role("executive").get(reverse("org-chart")).content.decode()
    assert 'class="edge edge-direct"' in html
    assert 'class="edge edge-dotted"' in html
    assert "Solid line: direct line" in html
    assert "Dashed line: dotted line" in html


def test_department_without_a_line_is_marked_in_words(as_role, web_org):
    unreached = DepartmentFactory(name="Product")
    html = as_role("executive").get(reverse("org-chart")).content.decode()
    assert f"{unreached.name} does not reach the CCO." in html  # the chart's text description
    assert "⚠ Not reaching the CCO" in html


def test_table_lists_every_line_with_the_ccos_authority(as_role, web_org):
    html = as_role("executive").get(reverse("org-chart")).content.decode().replace("&#x27;", "'")
    table = html.split('id="lines-heading"')[1]
    assert "┅ Dotted line" in table
    assert "━ Direct" in table
    assert "CCO's office" in table


def test_only_admins_see_the_add_line_form(as_role, web_org):
    assert 'id="add-line"' in as_role("admin").get(reverse("org-chart")).content.decode()
    for role in ("cco", "executive", "head"):
        assert 'id="add-line"' not in as_role(role).get(reverse("org-chart")).content.decode()


def test_admin_adds_a_dotted_line_and_sees_it_drawn(as_role, web_org, django_capture_on_commit_callbacks):
    product = DepartmentFactory(name="Product")
    client = as_role("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("line-create"), line_data(product, kind="dotted", sets_goals="on"))
    assert response.status_code == 302
    line = ReportingLine.objects.get(department=product)
    assert (line.target, line.kind, line.sets_goals) == (None, "dotted", True)
    html = client.get(reverse("org-chart")).content.decode().replace("&#x27;", "'")
    assert "Product → CCO's office: dotted line" in html
    assert "Product does not reach the CCO." not in html


def test_a_line_that_would_close_a_cycle_is_refused_next_to_the_field(as_role, web_org):
    department, other = web_org["department"], web_org["other_department"]
    LineFactory(department=other, target=department, kind="direct")
    ReportingLine.objects.filter(department=other, target__isnull=True).delete()
    before = lines_snapshot()
    response = as_role("admin").post(reverse("line-create"), line_data(department, target=other, kind="dotted"))
    assert response.status_code == 200
    errors = response.context["form"].errors["target"]
    assert "would close a cycle: Service → Sales → Service" in errors[0]
    assert lines_snapshot() == before


def test_a_second_direct_line_is_refused_next_to_the_kind(as_role, web_org):
    department = web_org["department"]
    third = DepartmentFactory(name="Research")
    before = lines_snapshot()
    response = as_role("admin").post(reverse("line-create"), line_data(department, target=third, kind="direct"))
    assert response.status_code == 200
    assert "already has a direct line" in response.context["form"].errors["kind"][0]
    assert lines_snapshot() == before


def test_admin_edits_a_lines_authority(as_role, web_org):
    line = web_org["other_line"]
    data = {"target": "", "kind": "dotted", "sets_goals": "on", "signs_off_compensation": "on", "note": "Agreed."}
    response = as_role("admin").post(reverse("line-edit", args=[line.pk]), data)
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.sets_goals, line.signs_off_compensation, line.can_veto, line.note) == (True, True, False, "Agreed.")


def test_editing_cannot_move_a_line_to_another_department(as_role, web_org):
    line = web_org["other_line"]
    data = {"department": web_org["department"].pk, "target": "", "kind": "dotted"}
    as_role("admin").post(reverse("line-edit", args=[line.pk]), data)
    line.refresh_from_db()
    assert line.department == web_org["other_department"]


def test_admin_deletes_a_line(as_role, web_org):
    line = web_org["other_line"]
    response = as_role("admin").post(reverse("line-delete", args=[line.pk]))
    assert response.status_code == 302
    assert not ReportingLine.objects.filter(pk=line.pk).exists()


@pytest.mark.parametrize("role", ["cco", "executive", "head"])
def test_only_admins_may_add_change_or_delete_lines(as_role, web_org, role):
    product = DepartmentFactory(name="Product")
    line = web_org["other_line"]
    before = lines_snapshot()
    client = as_role(role)
    assert client.post(reverse("line-create"), line_data(product)).status_code == 403
    assert client.post(reverse("line-edit", args=[line.pk]), {"target": "", "kind": "direct"}).status_code == 403
    assert client.post(reverse("line-delete", args=[line.pk])).status_code == 403
    assert lines_snapshot() == before


@pytest.fixture
def many_departments(web_org):
    """More departments than the form offers in a list (departments.forms.PICK_FROM_LIST_LIMIT, the drawing's)."""
    return DepartmentFactory.create_batch(DRAWING_LIMIT + 1)


@pytest.mark.parametrize("page", ["add", "edit"])
def test_line_forms_at_size_list_no_department(as_role, web_org, many_departments, page):
    path = f"{reverse('org-chart')}?add=1" if page == "add" else reverse("line-edit", args=[web_org["other_line"].pk])
    html = as_role("admin").get(path).content.decode()
    assert "<option" not in html.split('id="add-line"')[-1].split("Kind of line")[0]
    assert not [d.name for d in many_departments if f">{d.name}</option>" in html]


def test_a_line_is_added_at_size_by_typing_the_departments_names(as_role, web_org, many_departments):
    department, target = many_departments[0], many_departments[1]
    data = {"department": department.name, "target": target.name, "kind": "dotted", "note": ""}
    response = as_role("admin").post(reverse("line-create"), data)
    assert response.status_code == 302
    assert ReportingLine.objects.get(department=department).target == target


def test_a_name_no_department_has_is_refused_next_to_the_field_at_size(as_role, web_org, many_departments):
    before = lines_snapshot()
    data = {"department": many_departments[0].name, "target": "Nobody by this name", "kind": "dotted", "note": ""}
    response = as_role("admin").post(reverse("line-create"), data)
    assert response.status_code == 200
    assert "No department has this name" in response.context["form"].errors["target"][0]
    assert lines_snapshot() == before


def test_a_lines_edit_at_size_keeps_its_department_and_shows_its_target_by_name(as_role, web_org, many_departments):
    line = web_org["other_line"]
    target = many_departments[0]
    data = {"department": web_org["department"].name, "target": target.name, "kind": "dotted", "note": ""}
    response = as_role("admin").post(reverse("line-edit", args=[line.pk]), data)
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.department, line.target) == (web_org["other_department"], target)
    html = as_role("admin").get(reverse("line-edit", args=[line.pk])).content.decode()
    assert f'value="{target.name}"' in html


def test_the_line_forms_name_fields_at_size_ask_for_the_names_as_they_are_typed(as_role, web_org, many_departments):
    html = as_role("admin").get(f"{reverse('org-chart')}?add=1").content.decode()
    for field in ("department", "target"):
        assert f'list="id_{field}-names"' in html and f'<datalist id="id_{field}-names"></datalist>' in html
        assert f'hx-get="{reverse("department-names")}"' in html


def test_the_names_suggested_contain_what_is_typed_those_starting_with_it_first_at_most_20(as_role, web_org):
    for name in ("Sales Nordics", "Inside Sales", "Sales Benelux", *(f"Sales Desk {n:02}" for n in range(30))):
        DepartmentFactory(name=name)
    client = as_role("admin")

    names = re.findall(
        r'<option value="([^"]+)">', client.get(reverse("department-names"), {"target": "sales"}).content.decode()
    )

    assert len(names) == 20 and names[:3] == ["Sales", "Sales Benelux", "Sales Desk 00"]
    assert "Inside Sales" not in names, "a name containing it comes after every name starting with it"
    few = client.get(reverse("department-names"), {"department": "inside"}).content.decode()
    assert re.findall(r'<option value="([^"]+)">', few) == ["Inside Sales"]
    assert client.get(reverse("department-names"), {"department": "  "}).content.decode().strip() == ""


def test_the_names_are_for_people_with_a_role(client, web_org):
    assert client.get(reverse("department-names"), {"q": "Sales"}).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(reverse("department-names"), {"q": "Sales"}).status_code == 403
