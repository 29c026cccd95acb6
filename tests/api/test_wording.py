"""The API says refusals in the same words for people as the pages (issue 15): no database wording, names instead
of logins, numbers as a person reads them."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from departments.models import ReportingLine
from goals.models import CompensationLever
from tests.api.helpers import errors_of
from tests.factories import GoalFactory

pytestmark = pytest.mark.django_db

LINES = "/api/v1/reporting-lines/"


def test_a_second_direct_line_is_a_400_saying_so_once_without_the_constraint(client_for, admin_user, org):
    payload = {"department": org.department.pk, "target": None, "kind": "direct"}
    response = client_for(admin_user).post(LINES, payload, format="json")
    assert response.status_code == 400
    assert errors_of(response) == {
        "kind": ["Service already has a direct line; make this one dotted or change that one."]
    }
    body = json.dumps(response.json())
    assert "Constraint" not in body and "one_line_to_cco_per_department" not in body
    assert ReportingLine.objects.count() == 1


def test_a_lever_share_total_over_100_names_the_manager_and_reads_as_a_percentage(client_for, head, org):
    head.first_name, head.last_name = "Hana", "Hughes"
    head.save()
    goal = GoalFactory(department=org.department, period=org.period, title="Answer faster", weight=Decimal(10))
    payload = {"goal": goal.pk, "manager": head.pk, "share": "90.00"}
    response = client_for(head).post("/api/v1/levers/", payload, format="json")
    assert response.status_code == 400
    assert errors_of(response)["share"] == [
        f"Hana Hughes would have 110% of variable pay tied to goals in {org.period} (already 20%); "
        "it cannot exceed 100%."
    ]
    assert CompensationLever.objects.count() == 1
