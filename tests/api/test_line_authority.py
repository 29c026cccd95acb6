"""Issue 11: a line's authority counts, and every page says the same about it.

The reporting component follows the powers a line gives the CCO; changing the kind of a line asks again what
it lets the CCO do (service, API, web); the score's reasons, the charter and the org chart use the same words.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from departments.models import LineKind, ReportingLine
from departments.services import reporting_line_update
from scoring.selectors import latest_scores
from scoring.snapshots import scores_recompute
from tests.api.helpers import errors_of
from tests.factories import LineFactory

pytestmark = pytest.mark.django_db


def reporting(department):
    scores_recompute()
    return latest_scores()[department.pk].components["reporting"]


def test_a_direct_line_without_authority_earns_a_quarter_of_the_reporting_points(org, admin_user):
    reporting_line_update(
        actor=admin_user,
        line=org.line,
        data={"sets_goals": False, "signs_off_compensation": False, "can_veto": False},
    )
    part = reporting(org.department)
    assert (part["value"], part["points"], part["powers"]) == (0.25, 5.0, [])
    assert (
        "Service reports to the CCO directly; the CCO's authority through the line: none: consulted only."
        in latest_scores()[org.department.pk].reasons
    )


def test_each_power_the_line_gives_adds_to_the_reporting_points(org, admin_user):
    reporting_line_update(actor=admin_user, line=org.line, data={"signs_off_compensation": False})
    part = reporting(org.department)
    assert (part["value"], part["points"], part["powers"]) == (0.75, 15.0, ["sets_goals", "can_veto"])


def test_changing_the_kind_of_line_without_answering_its_authority_is_refused_by_the_service(
    other_department, admin_user
):
    line = LineFactory(department=other_department, kind=LineKind.DOTTED, sets_goals=False, can_veto=False)
    with pytest.raises(ValidationError) as refused:
        reporting_line_update(actor=admin_user, line=line, data={"kind": LineKind.DIRECT})
    assert "say what the line now lets the CCO do" in refused.value.message_dict["kind"][0]
    assert ReportingLine.objects.get(pk=line.pk).kind == LineKind.DOTTED


def test_the_api_refuses_a_kind_change_alone_and_accepts_it_with_the_authority(
    other_department, admin_user, client_for
):
    line = LineFactory(department=other_department, kind=LineKind.DOTTED)
    url = reverse("api:reporting-line-detail", args=[line.pk])
    client = client_for(admin_user)

    refused = client.patch(url, {"kind": "direct"}, format="json", HTTP_IF_MATCH="*")
    assert refused.status_code == 400
    assert "kind" in errors_of(refused)

    answer = {"kind": "direct", "sets_goals": True, "signs_off_compensation": False, "can_veto": True}
    accepted = client.patch(url, answer, format="json", HTTP_IF_MATCH="*")
    assert accepted.status_code == 200, accepted.json()
    assert ReportingLine.objects.get(pk=line.pk).kind == LineKind.DIRECT


def test_the_line_form_asks_to_confirm_the_authority_when_the_kind_changes(other_department, admin_user, client):
    line = LineFactory(department=other_department, kind=LineKind.DOTTED, can_veto=False)
    client.force_login(admin_user)
    data = {"target": "", "kind": "direct", "sets_goals": "on", "signs_off_compensation": "on", "note": ""}

    refused = client.post(reverse("line-edit", args=[line.pk]), data)
    assert "kind" in refused.context["form"].errors
    assert ReportingLine.objects.get(pk=line.pk).kind == LineKind.DOTTED

    accepted = client.post(reverse("line-edit", args=[line.pk]), data | {"authority_reviewed": "on"})
    assert accepted.status_code == 302
    saved = ReportingLine.objects.get(pk=line.pk)
    assert (saved.kind, saved.sets_goals, saved.can_veto) == (LineKind.DIRECT, True, False)


def test_the_score_the_charter_and_the_org_chart_say_the_same_about_a_powerless_line(org, admin_user, client):
    reporting_line_update(
        actor=admin_user,
        line=org.line,
        data={"sets_goals": False, "signs_off_compensation": False, "can_veto": False},
    )
    scores_recompute()
    client.force_login(admin_user)
    charter = client.get(reverse("charter")).content.decode()
    org_chart = client.get(reverse("org-chart")).content.decode()
    department_page = client.get(reverse("department-detail", args=[org.department.pk])).content.decode()
    for html in (charter, org_chart, department_page):
        assert "none: consulted only" in html
