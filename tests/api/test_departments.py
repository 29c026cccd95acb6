"""Departments and reporting lines over the API: admins write, everyone with a role reads, scores included."""

from decimal import Decimal

import pytest
from django.utils import timezone

from departments.models import Department, ReportingLine
from mandates.models import Decision, DecisionAction
from scoring.models import AlignmentScore
from tests.api.helpers import errors_of
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/departments/"
LINES = "/api/v1/reporting-lines/"


def test_department_score_is_null_before_the_first_computation(client_for, executive, org):
    body = client_for(executive).get(f"{URL}{org.department.pk}/").json()
    assert body["alignment_score"] is None
    assert body["score_computed_at"] is None


def test_department_shows_its_newest_score(client_for, executive, org):
    moment = timezone.now()
    AlignmentScore.objects.create(department=org.department, score=Decimal("40.0"), fingerprint="a",
                                  computed_at=moment - timezone.timedelta(hours=1))  # fmt: skip
    AlignmentScore.objects.create(department=org.department, score=Decimal("61.5"), fingerprint="b", computed_at=moment)
    body = client_for(executive).get(f"{URL}{org.department.pk}/").json()
    assert body["alignment_score"] == "61.5"
    assert body["score_computed_at"] == moment.isoformat().replace("+00:00", "Z")


def test_department_list_queries_do_not_grow_with_departments(
    client_for, executive, org, django_assert_max_num_queries
):
    for number in range(10):
        department = DepartmentFactory(name=f"Extra {number}")
        AlignmentScore.objects.create(department=department, score=Decimal(50), fingerprint="x")
    client = client_for(executive)
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert response.json()["count"] == 12


def test_departments_filter_by_customer_facing(client_for, executive, org):
    DepartmentFactory(name="Finance", customer_facing=False)
    response = client_for(executive).get(URL, {"customer_facing": "false"})
    assert [row["name"] for row in response.json()["results"]] == ["Finance"]


def test_admin_creates_a_department_with_heads(client_for, admin_user, head, org):
    payload = {"name": "Field Service", "function": "service", "customer_facing": True, "heads": [head.pk]}
    response = client_for(admin_user).post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    assert list(Department.objects.get(name="Field Service").heads.all()) == [head]


@pytest.mark.parametrize("role", ["cco", "executive", "head"])
def test_only_admins_create_departments(client_for, users, org, role):
    response = client_for(users[role]).post(URL, {"name": "Shadow IT"}, format="json")
    assert response.status_code == 403
    assert not Department.objects.filter(name="Shadow IT").exists()


def test_duplicate_department_name_is_a_400_naming_the_field(client_for, admin_user, org):
    response = client_for(admin_user).post(URL, {"name": org.department.name}, format="json")
    assert response.status_code == 400
    assert "name" in errors_of(response)


def test_admin_renames_a_department(client_for, admin_user, org):
    response = client_for(admin_user).patch(f"{URL}{org.department.pk}/", {"name": "Care"}, format="json")
    assert response.status_code == 200
    assert Department.objects.get(pk=org.department.pk).name == "Care"


def test_head_cannot_rename_their_department(client_for, head, org):
    response = client_for(head).patch(f"{URL}{org.department.pk}/", {"name": "Mine"}, format="json")
    assert response.status_code == 403
    assert Department.objects.get(pk=org.department.pk).name == "Service"


def test_admin_deletes_a_department(client_for, admin_user, org):
    assert client_for(admin_user).delete(f"{URL}{org.other_department.pk}/").status_code == 204
    assert not Department.objects.filter(pk=org.other_department.pk).exists()


def test_a_department_with_decisions_on_record_is_not_deleted(client_for, admin_user, cco_user, org):
    Decision.objects.create(department=org.other_department, action=DecisionAction.VETO, subject="Close more deals",
                            reason="Pushes volume over fit.", by=cco_user)  # fmt: skip

    response = client_for(admin_user).delete(f"{URL}{org.other_department.pk}/")

    assert response.status_code == 400
    assert errors_of(response)["non_field_errors"] == [
        f"{org.other_department} has 1 decision in the CCO's decision log, which keeps them: a department with "
        "decisions on record cannot be deleted."
    ]
    assert Department.objects.filter(pk=org.other_department.pk).exists() and Decision.objects.count() == 1


def test_admin_adds_a_dotted_line_to_the_cco(client_for, admin_user, org):
    payload = {"department": org.other_department.pk, "target": None, "kind": "dotted"}
    response = client_for(admin_user).post(LINES, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["target_name"] == "CCO's office"


def test_a_line_that_closes_a_cycle_is_a_400_on_target(client_for, admin_user, org):
    ReportingLine.objects.create(department=org.other_department, target=org.department, kind="dotted")
    payload = {"department": org.department.pk, "target": org.other_department.pk, "kind": "dotted"}
    response = client_for(admin_user).post(LINES, payload, format="json")
    assert response.status_code == 400
    assert errors_of(response)["target"] == ["This line would close a cycle: Service → Sales → Service."]
    assert ReportingLine.objects.count() == 2


def test_head_cannot_add_reporting_lines(client_for, head, org):
    payload = {"department": org.other_department.pk, "target": None, "kind": "dotted"}
    assert client_for(head).post(LINES, payload, format="json").status_code == 403
    assert ReportingLine.objects.count() == 1


def test_lines_filter_to_the_cco(client_for, executive, org):
    ReportingLine.objects.create(department=org.other_department, target=org.department, kind="dotted")
    response = client_for(executive).get(LINES, {"to_cco": "true"})
    assert [row["department"] for row in response.json()["results"]] == [org.department.pk]


def test_admin_changes_a_lines_authority(client_for, admin_user, org):
    response = client_for(admin_user).patch(f"{LINES}{org.line.pk}/", {"can_veto": False}, format="json")
    assert response.status_code == 200
    assert ReportingLine.objects.get(pk=org.line.pk).can_veto is False


def test_admin_deletes_a_line(client_for, admin_user, org):
    assert client_for(admin_user).delete(f"{LINES}{org.line.pk}/").status_code == 204
    assert not ReportingLine.objects.exists()
