"""Reporting-line rules through the services: clear errors, nothing saved, only admins may change lines."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from departments.models import Department, LineKind, ReportingLine
from departments.selectors import departments_reaching_cco
from departments.services import department_create, reporting_line_create, reporting_line_update
from tests.factories import DepartmentFactory, LineFactory

pytestmark = pytest.mark.django_db


def test_admin_adds_a_dotted_line_and_the_department_reaches_the_cco(admin_user, department):
    reporting_line_create(actor=admin_user, department=department, data={"target": None, "kind": LineKind.DOTTED})
    assert departments_reaching_cco()[department.pk].status == "dotted"


def test_second_direct_line_is_refused_with_a_clear_message(admin_user):
    sales, marketing = DepartmentFactory(name="Sales"), DepartmentFactory(name="Marketing")
    LineFactory(department=sales, target=None, kind=LineKind.DIRECT)
    with pytest.raises(ValidationError) as error:
        reporting_line_create(actor=admin_user, department=sales, data={"target": marketing, "kind": LineKind.DIRECT})
    assert "already has a direct line" in error.value.message_dict["kind"][0]
    assert ReportingLine.objects.filter(department=sales).count() == 1


def test_line_that_closes_a_cycle_is_refused_naming_the_cycle(admin_user):
    a, b, c = (DepartmentFactory(name=name) for name in ("Alpha", "Beta", "Gamma"))
    LineFactory(department=a, target=b)
    LineFactory(department=b, target=c)
    with pytest.raises(ValidationError) as error:
        reporting_line_create(actor=admin_user, department=c, data={"target": a, "kind": LineKind.DOTTED})
    assert error.value.message_dict["target"] == ["This line would close a cycle: Gamma → Alpha → Beta → Gamma."]
    assert not ReportingLine.objects.filter(department=c).exists()


def test_department_cannot_report_to_itself(admin_user, department):
    with pytest.raises(ValidationError) as error:
        reporting_line_create(actor=admin_user, department=department, data={"target": department})
    assert error.value.message_dict["target"] == ["A department cannot report to itself."]
    assert not ReportingLine.objects.exists()


def test_editing_a_line_into_a_cycle_is_refused_and_the_line_keeps_its_target(admin_user):
    a, b = DepartmentFactory(name="Alpha"), DepartmentFactory(name="Beta")
    LineFactory(department=a, target=b)
    line = LineFactory(department=b, target=None)
    with pytest.raises(ValidationError):
        reporting_line_update(actor=admin_user, line=line, data={"target": a})
    line.refresh_from_db()
    assert line.target_id is None


@pytest.mark.parametrize("who", ["head", "cco_user", "executive"])
def test_only_admins_may_add_lines(request, who, department):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        reporting_line_create(actor=actor, department=department, data={"target": None})
    assert not ReportingLine.objects.exists()


def test_department_names_are_unique_with_a_field_error(admin_user, department):
    with pytest.raises(ValidationError) as error:
        department_create(actor=admin_user, data={"name": department.name})
    assert "name" in error.value.message_dict
    assert Department.objects.filter(name=department.name).count() == 1


def test_line_changes_are_kept_in_history_with_who_made_them(admin_user, department):
    line = reporting_line_create(actor=admin_user, department=department, data={"target": None})
    reporting_line_update(actor=admin_user, line=line, data={"kind": LineKind.DOTTED}, authority_reviewed=True)
    history = list(line.history.order_by("history_date"))
    assert [h.kind for h in history] == ["direct", "dotted"]
    assert {h.history_user for h in history} == {admin_user}


def test_only_people_given_the_head_role_can_be_listed_as_heads(admin_user, executive, department, client):
    """An executive listed as a head by mistake would edit the goals they review; every path refuses it on heads."""
    from django.core.exceptions import ValidationError

    from departments.services import department_update

    with pytest.raises(ValidationError) as refused:
        department_update(actor=admin_user, department=department, data={}, heads=[*department.heads.all(), executive])

    assert refused.value.message_dict["heads"] == [
        "exec-user does not hold the Department head role; give it to them first (the Django admin's Users page), "
        "then list them as heads."
    ]
    assert executive not in department.heads.all()

    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    page = f"/admin/departments/department/{department.pk}/change/"
    response = client.post(page, {"name": department.name, "function": department.function, "customer_facing": "on",
                                  "heads": [executive.pk]})  # fmt: skip
    assert "does not hold the Department head role" in response.content.decode()
    assert executive not in department.heads.all()
