"""Hostile or broken input through the web app: a goal form claiming 100,000 link rows, CSV files with NUL, lone CR
line endings, giant cells or numbers, an export asked for a period named with a NUL, texts beyond their maximum.
Each gets a clear message (a 4xx) and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.models import MAX_LINKS_PER_GOAL, Goal
from mandates.models import MandateItem
from tests.factories import GoalFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def head_client(client, head):
    client.force_login(head)
    return client


def goal_form(goal, **overrides) -> dict:
    data = {
        "title": goal.title,
        "description": "",
        "metric": goal.metric,
        "unit": "",
        "baseline": "0",
        "target": "100",
        "direction": "higher",
        "period": goal.period_id,
        "weight": "25",
        "status": "active",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


def test_a_goal_form_claiming_100000_link_rows_is_refused_without_building_them(head_client, department, period):
    goal = GoalFactory(department=department, period=period, title="Resolve at first contact")
    response = head_client.post(
        reverse("goal-edit", args=[goal.pk]), goal_form(goal, **{"links-TOTAL_FORMS": "100000", "title": "Changed"})
    )
    assert response.status_code == 400
    assert len(response.context["links"].forms) <= MAX_LINKS_PER_GOAL
    assert f"Please submit at most {MAX_LINKS_PER_GOAL} forms." in response.content.decode()
    assert Goal.objects.get(pk=goal.pk).title == "Resolve at first contact"


def upload(text: str | bytes) -> dict:
    data = text.encode() if isinstance(text, str) else text
    return {"file": SimpleUploadedFile("goals.csv", data, content_type="text/csv")}


def import_errors(client, department, text) -> tuple[int, list[tuple[int, str]]]:
    response = client.post(reverse("goals-import", args=[department.pk]), upload(text))
    errors = response.context["errors"] if response.status_code == 400 else []
    return response.status_code, [(error.row, error.message) for error in errors]


def test_a_csv_with_a_nul_character_is_refused_with_its_row(head_client, department, period):
    status, errors = import_errors(head_client, department, "title,metric,baseline,target\nA\x00,M,0,10\n")
    assert status == 400
    assert errors == [(2, "This row contains a NUL character; save the file as plain CSV text.")]
    assert not Goal.objects.exists()


def test_a_csv_with_old_mac_line_endings_is_imported(head_client, department, period):
    ObjectiveFactory(period=period, title="Raise customer satisfaction")
    text = "title,metric,baseline,target,weight\rFirst,M,0,10,30\rSecond,M,0,5,20\r"
    response = head_client.post(reverse("goals-import", args=[department.pk]), upload(text))
    assert response.status_code == 302
    assert sorted(Goal.objects.values_list("title", "weight")) == [("First", Decimal(30)), ("Second", Decimal(20))]


def test_a_csv_cell_beyond_the_csv_field_limit_is_refused(head_client, department, period):
    text = "title,metric,baseline,target,description\nA,M,0,10," + "x" * 131_073 + "\n"
    status, errors = import_errors(head_client, department, text)
    assert status == 400
    assert errors == [(2, "A cell is longer than 131,072 characters.")]


def test_a_csv_description_beyond_its_maximum_is_a_row_error(head_client, department, period):
    text = "title,metric,baseline,target,description\nA,M,0,10," + "x" * 2_001 + "\n"
    status, errors = import_errors(head_client, department, text)
    assert status == 400
    assert errors == [(2, "Ensure this value has at most 2000 characters (it has 2001).")]


def test_a_csv_weight_too_large_to_compute_with_is_a_row_error(head_client, department, period):
    status, errors = import_errors(
        head_client, department, "title,metric,baseline,target,weight\nA,M,0,10,1e999999999\n"
    )
    assert status == 400
    assert errors == [(2, "“1e999999999” is not a finite number of a sensible size.")]


def test_the_goals_export_of_a_period_named_with_a_nul_is_a_404(head_client, period):
    response = head_client.get(reverse("export-goals"), {"period": "\x00"})
    assert response.status_code == 404


def test_mandate_evidence_beyond_its_maximum_is_a_field_error(as_role, web_org):
    item = MandateItem.objects.get(key="customer-centric-culture")
    data = {f"item-{item.pk}-status": "granted", f"item-{item.pk}-evidence": "x" * 5_001}
    response = as_role("cco").post(reverse("mandate-item-update", args=[item.pk]), data)
    assert "at most 5000 characters" in response.content.decode()
    item.refresh_from_db()
    assert item.evidence == ""


@pytest.mark.parametrize("digits", ["²", "٣", "1" * 30])
@pytest.mark.parametrize(
    "url",
    [
        "/?period={}",
        "/?page={}",
        "/dashboard/heatmap/?period={}",
        "/decisions/?department={}",
        "/export/goals.csv?department={}",
        "/review/?period={}",
    ],
)
def test_ids_that_are_not_plain_digits_are_refused_not_a_server_error(head_client, period, url, digits):
    """Python counts "²" and "٣" as digits, which int() then refuses: each answers a 4xx (or ignores it), never 500."""
    response = head_client.get(url.format(digits))

    assert response.status_code in (200, 302, 400, 404)
