"""The CCO's pages: objectives, the mandate checklist, data sources, sign-offs, the decision log, the charter."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from cco.versions import version_of
from goals.models import CompensationLever, CustomerObjective, GoalLink, GoalStatus, LinkReview
from mandates.models import DataSource, Decision, EmpowermentSnapshot, MandateItem
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def objective_data(period, **overrides) -> dict:
    data = {
        "category": "retention",
        "title": "Keep customers longer",
        "description": "",
        "metric": "12-month retention",
        "unit": "%",
        "baseline": "80",
        "target": "88",
        "period": period.pk,
        "active": "on",
    }
    return {**data, **overrides}


def item_data(item: MandateItem, status: str, evidence: str) -> dict:
    prefix = f"item-{item.pk}"
    return {f"{prefix}-status": status, f"{prefix}-evidence": evidence, f"{prefix}-version": version_of(item)}


# --- objectives ---------------------------------------------------------------------------------------


def test_cco_creates_an_objective(as_role, web_org):
    response = as_role("cco").post(reverse("objective-create"), objective_data(web_org["period"]))
    assert response.status_code == 302
    objective = CustomerObjective.objects.get(title="Keep customers longer")
    assert objective.owner == web_org["users"]["cco"]
    assert objective.target == Decimal(88)


def test_objective_without_a_title_gets_a_field_error_and_nothing_is_saved(as_role, web_org):
    before = CustomerObjective.objects.count()
    response = as_role("cco").post(reverse("objective-create"), objective_data(web_org["period"], title=""))
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert CustomerObjective.objects.count() == before


def test_objective_with_a_title_already_used_in_the_period_is_refused(as_role, web_org):
    before = CustomerObjective.objects.count()
    data = objective_data(web_org["period"], title="Raise customer satisfaction")
    response = as_role("cco").post(reverse("objective-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert CustomerObjective.objects.count() == before


def test_cco_edits_an_objective(as_role, web_org):
    objective = web_org["churn"]
    data = objective_data(web_org["period"], title="Stop churn of small businesses", category="retention")
    response = as_role("cco").post(reverse("objective-edit", args=[objective.pk]), data)
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.title == "Stop churn of small businesses"


def test_the_objective_edit_form_shows_numbers_as_typed(as_role, web_org):
    objective = web_org["churn"]
    CustomerObjective.objects.filter(pk=objective.pk).update(baseline=Decimal("82"), target=Decimal("87.5"))

    html = as_role("cco").get(reverse("objective-edit", args=[objective.pk])).content.decode()

    assert 'name="baseline" value="82"' in html
    assert 'name="target" value="87.5"' in html
    assert "82.0000" not in html and "87.5000" not in html


def test_cco_archives_an_objective(as_role, web_org):
    objective = web_org["churn"]
    response = as_role("cco").post(reverse("objective-archive", args=[objective.pk]))
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.active is False


def test_objective_list_shows_who_supports_each_objective(as_role, web_org):
    html = as_role("head").get(reverse("objective-list")).content.decode()
    assert "1 department" in html  # "Raise customer satisfaction"
    assert "⚠ nobody" in html  # "Stop small-business churn"


def test_a_link_the_cco_rejected_is_no_support_on_the_objective_list(as_role, web_org):
    GoalLink.objects.filter(goal=web_org["answer"], objective=web_org["satisfaction"]).update(
        review=LinkReview.REJECTED
    )
    html = as_role("head").get(reverse("objective-list")).content.decode()
    assert "1 department" not in html
    assert html.count("⚠ nobody") == 2


@pytest.mark.parametrize("role", ["admin", "executive", "head"])
def test_only_the_cco_may_create_objectives(as_role, web_org, role):
    before = CustomerObjective.objects.count()
    response = as_role(role).post(reverse("objective-create"), objective_data(web_org["period"]))
    assert response.status_code == 403
    assert CustomerObjective.objects.count() == before


def test_executive_cannot_archive_an_objective(as_role, web_org):
    response = as_role("executive").post(reverse("objective-archive", args=[web_org["churn"].pk]))
    assert response.status_code == 403
    web_org["churn"].refresh_from_db()
    assert web_org["churn"].active is True


# --- the mandate checklist ----------------------------------------------------------------------------


def test_cco_marks_an_item_granted_with_evidence(as_role, web_org, django_capture_on_commit_callbacks):
    item = MandateItem.objects.get(key="long-term-profitability")
    before = EmpowermentSnapshot.objects.latest().score
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("cco").post(
            reverse("mandate-item-update", args=[item.pk]), item_data(item, "granted", "Board decision of 3 May.")
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.evidence) == ("granted", "Board decision of 3 May.")
    assert EmpowermentSnapshot.objects.latest().score > before


def test_saving_an_item_again_unchanged_adds_nothing_to_its_history_and_says_nothing_changed(as_role, web_org):
    item = MandateItem.objects.get(key="long-term-profitability")
    cco = as_role("cco")
    cco.post(
        reverse("mandate-item-update", args=[item.pk]), item_data(item, "granted", "Board decision of 3 May."),
        follow=True,
    )  # fmt: skip
    item.refresh_from_db()
    history = item.history.count()

    response = cco.post(
        reverse("mandate-item-update", args=[item.pk]), item_data(item, "granted", "Board decision of 3 May."),
        follow=True,
    )  # fmt: skip

    assert [str(message) for message in response.context["messages"]] == [f"Nothing changed: “{item}” is as it was."]
    assert item.history.count() == history


def test_granted_without_evidence_shows_the_field_error_and_saves_nothing(as_role, web_org):
    item = MandateItem.objects.get(key="long-term-profitability")
    response = as_role("cco").post(reverse("mandate-item-update", args=[item.pk]), item_data(item, "granted", ""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Say what shows this is granted" in html
    item.refresh_from_db()
    assert item.status == "not_granted"


def test_checklist_shows_the_evaluated_status_and_reason_beside_the_manual_status(as_role, web_org):
    MandateItem.objects.filter(key="timely-competitor-data").update(status="granted", evidence="Promised by IT.")
    html = as_role("executive").get(reverse("mandate-checklist")).content.decode()
    item_html = html.split("Access relevant and timely competitor data")[1].split("</section>")[0]
    assert "Evaluated from the data" in item_html
    assert "Competitor data exists but none was refreshed" in item_html
    assert "Promised by IT." in item_html
    assert "The data's evaluation counts, not this status." in item_html


def test_only_the_cco_sees_the_checklist_forms(as_role, web_org):
    item = MandateItem.objects.get(key="long-term-profitability")
    action = reverse("mandate-item-update", args=[item.pk])
    assert action in as_role("cco").get(reverse("mandate-checklist")).content.decode()
    assert action not in as_role("executive").get(reverse("mandate-checklist")).content.decode()


@pytest.mark.parametrize("role", ["admin", "executive", "head"])
def test_only_the_cco_may_change_a_mandate_item(as_role, web_org, role):
    item = MandateItem.objects.get(key="long-term-profitability")
    response = as_role(role).post(reverse("mandate-item-update", args=[item.pk]), item_data(item, "granted", "x"))
    assert response.status_code == 403
    item.refresh_from_db()
    assert (item.status, item.evidence) == ("not_granted", "")


# --- data sources -------------------------------------------------------------------------------------


def source_data(**overrides) -> dict:
    data = {
        "name": "Churn model",
        "category": "behaviour",
        "cco_has_access": "on",
        "last_refreshed_at": "",
        "description": "",
    }
    return {**data, **overrides}


@pytest.mark.parametrize("role", ["admin", "cco"])
def test_admin_and_cco_add_a_data_source(as_role, web_org, role):
    response = as_role(role).post(reverse("data-source-create"), source_data(cco_has_access=""))
    assert response.status_code == 302
    assert DataSource.objects.get(name="Churn model").cco_has_access is False


def test_only_an_admin_records_that_the_cco_has_access_or_when_a_source_was_refreshed(as_role, web_org):
    """Both count toward the CCO's own powers on the mandate checklist: nobody records their own number."""
    typed = source_data(last_refreshed_at="2026-01-02T09:30")

    refused = as_role("cco").post(reverse("data-source-create"), typed)
    accepted = as_role("admin").post(reverse("data-source-create"), typed)

    errors = refused.context["form"].errors
    assert "An admin records that the CCO has access" in errors["cco_has_access"][0]
    assert "An admin records when a source was last refreshed" in errors["last_refreshed_at"][0]
    assert accepted.status_code == 302
    assert DataSource.objects.filter(name="Churn model").count() == 1


def test_a_source_refreshed_in_the_future_is_refused_with_a_field_error(as_role, web_org):
    response = as_role("admin").post(reverse("data-source-create"), source_data(last_refreshed_at="2099-01-01T10:00"))
    assert response.status_code == 200
    assert "cannot have been refreshed in the future" in response.context["form"].errors["last_refreshed_at"][0]
    assert not DataSource.objects.filter(name="Churn model").exists()


def test_an_admin_updates_a_sources_refresh_date(as_role, web_org):
    source = web_org["competitor"]
    data = source_data(name=source.name, category="competitor", last_refreshed_at="2026-01-02T09:30")
    response = as_role("admin").post(reverse("data-source-edit", args=[source.pk]), data)
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.last_refreshed_at.date().isoformat() == "2026-01-02"


def test_admin_deletes_a_data_source(as_role, web_org):
    response = as_role("admin").post(reverse("data-source-delete", args=[web_org["competitor"].pk]))
    assert response.status_code == 302
    assert not DataSource.objects.filter(pk=web_org["competitor"].pk).exists()


@pytest.mark.parametrize("role", ["executive", "head"])
def test_executive_and_heads_cannot_add_or_delete_data_sources(as_role, web_org, role):
    client = as_role(role)
    assert client.post(reverse("data-source-create"), source_data()).status_code == 403
    assert client.post(reverse("data-source-delete", args=[web_org["competitor"].pk])).status_code == 403
    assert not DataSource.objects.filter(name="Churn model").exists()
    assert DataSource.objects.filter(pk=web_org["competitor"].pk).exists()


# --- sign-offs and vetoes -----------------------------------------------------------------------------


def test_cco_signs_off_a_lever_where_the_line_gives_that_authority(as_role, web_org):
    lever = web_org["lever"]
    response = as_role("cco").post(
        reverse("lever-review", args=[lever.pk]),
        {"version": version_of(lever), "decision": "sign_off", "reason": "Rides on satisfaction."},
    )
    assert response.status_code == 302
    lever.refresh_from_db()
    assert lever.signed_off is True
    assert Decision.objects.get(lever=lever).reason == "Rides on satisfaction."


def test_veto_without_a_reason_shows_the_field_error_and_saves_nothing(as_role, web_org):
    goal = web_org["answer"]
    response = as_role("cco").post(
        reverse("goal-review", args=[goal.pk]), {"version": version_of(goal), "decision": "veto", "reason": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE
    assert not Decision.objects.exists()


def test_sign_off_where_the_line_gives_no_pay_authority_is_refused_with_a_message(as_role, web_org):
    lever = web_org["other_lever"]
    response = as_role("cco").post(
        reverse("lever-review", args=[lever.pk]),
        {"version": version_of(lever), "decision": "sign_off", "reason": "Looks fine."},
    )
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert html.count("Sales's line to the CCO does not let the CCO sign off its compensation") == 1
    lever.refresh_from_db()
    assert lever.signed_off is False
    assert not Decision.objects.exists()


def test_cco_vetoes_a_goal_with_a_reason_and_it_goes_back_to_draft(as_role, web_org):
    goal = web_org["handle"]
    response = as_role("cco").post(
        reverse("goal-review", args=[goal.pk]),
        {"version": version_of(goal), "decision": "veto", "reason": "Handle time hurts satisfaction."},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == GoalStatus.DRAFT
    assert Decision.objects.get(goal=goal).action == "veto"


def test_cco_vetoes_a_lever_and_its_sign_off_is_withdrawn(as_role, web_org):
    lever = web_org["lever"]
    CompensationLever.objects.filter(pk=lever.pk).update(signed_off=True)
    response = as_role("cco").post(
        reverse("lever-review", args=[lever.pk]), {"version": version_of(lever), "decision": "veto", "reason": "No."}
    )
    assert response.status_code == 302
    lever.refresh_from_db()
    assert lever.signed_off is False


@pytest.mark.parametrize("role", ["admin", "executive", "head"])
def test_only_the_cco_may_sign_off_or_veto(as_role, web_org, role):
    lever, goal = web_org["lever"], web_org["answer"]
    client = as_role(role)
    assert (
        client.post(
            reverse("lever-review", args=[lever.pk]),
            {"version": version_of(lever), "decision": "sign_off", "reason": "x"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("goal-review", args=[goal.pk]), {"version": version_of(goal), "decision": "veto", "reason": "x"}
        ).status_code
        == 403
    )
    lever.refresh_from_db()
    goal.refresh_from_db()
    assert (lever.signed_off, goal.status) == (False, GoalStatus.ACTIVE)
    assert not Decision.objects.exists()


def test_review_list_shows_unsigned_levers_with_the_ccos_authority(as_role, web_org):
    html = as_role("cco").get(reverse("review-list")).content.decode()
    assert "✓ may sign off" in html  # the head's department: direct line with full authority
    html = html.replace("&#x27;", "'")  # the other department: a dotted line only, said once
    assert html.count("Sales's line to the CCO does not let the CCO sign off its compensation or veto") == 1


def test_review_list_shows_draft_goals_waiting_for_approval(as_role, web_org):
    goal = web_org["answer"]
    goal.status = GoalStatus.DRAFT
    goal.save()
    html = as_role("cco").get(reverse("review-list")).content.decode()
    assert reverse("goal-review", args=[goal.pk]) in html
    assert "✓ may approve" in html


def test_cco_approves_a_draft_goal_and_it_becomes_active(as_role, web_org):
    goal = web_org["answer"]
    goal.status = GoalStatus.DRAFT
    goal.save()
    response = as_role("cco").post(
        reverse("goal-review", args=[goal.pk]), {"version": version_of(goal), "decision": "approve", "reason": "Good."}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE
    assert Decision.objects.get(goal=goal).action == "approve"


# --- decision log and charter -------------------------------------------------------------------------


def test_decision_log_lists_decisions_with_their_reasons(as_role, web_org):
    as_role("cco").post(
        reverse("lever-review", args=[web_org["lever"].pk]),
        {"version": version_of(web_org["lever"]), "decision": "sign_off", "reason": "Fine."},
    )
    html = as_role("executive").get(reverse("decision-list")).content.decode()
    assert "Signed off" in html
    assert "Fine." in html


def test_decision_log_filters_by_department(as_role, web_org):
    as_role("cco").post(
        reverse("lever-review", args=[web_org["lever"].pk]),
        {"version": version_of(web_org["lever"]), "decision": "sign_off", "reason": "Fine."},
    )
    other = web_org["other_department"]
    html = as_role("executive").get(reverse("decision-list"), {"department": other.pk}).content.decode()
    assert "No decisions yet." in html


def test_decision_log_lists_no_department_to_choose_from(as_role, web_org):
    """At 2,000 departments a <select> of every department made the log 130 KB whatever the page: a department is
    searched for by name instead."""
    html = as_role("executive").get(reverse("decision-list")).content.decode()
    assert "<option" not in html
    assert web_org["other_department"].name not in html


def test_decision_log_finds_a_departments_decisions_by_its_name(as_role, web_org):
    as_role("cco").post(
        reverse("lever-review", args=[web_org["lever"].pk]),
        {"version": version_of(web_org["lever"]), "decision": "sign_off", "reason": "Fine."},
    )
    department = web_org["lever"].department
    found = as_role("executive").get(reverse("decision-list"), {"q": department.name[:4].lower()})
    assert "Fine." in found.content.decode()
    assert found.context["page"].paginator.count == Decision.objects.filter(department=department).count()
    other = as_role("executive").get(reverse("decision-list"), {"q": web_org["other_department"].name})
    assert "No decisions yet." in other.content.decode()


def test_charter_says_which_departments_report_to_the_cco_and_how(as_role, web_org):
    html = as_role("executive").get(reverse("charter")).content.decode().replace("&#x27;", "'")
    assert "What is the CCO in charge of?" in html
    assert "Direct line to the CCO's office" in html
    assert "Dotted line to the CCO's office" in html
    assert "none: consulted only" in html


def test_charter_lists_objectives_powers_and_missing_powers(as_role, web_org):
    html = as_role("executive").get(reverse("charter")).content.decode()
    assert "Raise customer satisfaction" in html
    assert "Powers missing or partial" in html
    assert "Access relevant and timely competitor data" in html


def test_charter_marks_a_customer_facing_department_without_a_line(as_role, web_org):
    web_org["other_line"].delete()
    html = as_role("executive").get(reverse("charter")).content.decode()
    assert "customer-facing, yet no line to the CCO" in html


def test_charter_names_the_first_departments_and_counts_the_rest(as_role, web_org, monkeypatch):
    monkeypatch.setattr("mandates.charter.LISTED", 1)
    web_org["other_line"].delete()
    DepartmentFactory(name="Warehouse", customer_facing=False)  # outside too, after the customer-facing one
    html = as_role("executive").get(reverse("charter")).content.decode()
    assert "… and 1 more department without a line to the CCO" in html
    assert "customer-facing, yet no line to the CCO" in html, "the customer-facing gap is named first"
    assert "Warehouse" not in html


def test_printed_charter_says_its_decisions_are_the_most_recent_and_where_the_full_log_is(as_role, web_org):
    """Its summary counts every decision; the list shows the newest ten, and on paper the log cannot be clicked."""
    Decision.objects.bulk_create(
        Decision(department=web_org["department"], subject=f"Decision {n:02}", action="veto", reason="R.")
        for n in range(20)
    )
    html = as_role("executive").get(reverse("charter")).content.decode()

    assert "20 vetoed" in html
    assert 'data-testid="decisions-shown">The 10 most recent of 20, newest first.</p>' in html
    assert html.count("<strong>Vetoed</strong>") == 10
    assert f'<span class="print-only">: http://testserver{reverse("decision-list")}</span>' in html


def test_charter_with_few_decisions_says_it_lists_them_all(as_role, web_org):
    Decision.objects.create(department=web_org["department"], subject="Only one", action="veto", reason="R.")

    html = as_role("executive").get(reverse("charter")).content.decode()

    assert 'data-testid="decisions-shown">All 1, newest first.</p>' in html


def test_review_page_pages_the_levers_waiting_for_sign_off(as_role, web_org, monkeypatch):
    monkeypatch.setattr("mandates.views.REVIEWS_PER_PAGE", 1)
    client = as_role("cco")
    first = client.get(reverse("review-list")).content.decode()
    second = client.get(reverse("review-list"), {"levers": 2}).content.decode()
    assert "2 levers not signed off; showing 1–1" in first and "showing 2–2" in second
    web_org["other_line"].signs_off_compensation = True  # so that both levers offer a sign-off
    web_org["other_line"].save()
    first = client.get(reverse("review-list")).content.decode()
    second = client.get(reverse("review-list"), {"levers": 2}).content.decode()
    shown = [
        lever
        for lever in (web_org["lever"], web_org["other_lever"])
        if reverse("lever-review", args=[lever.pk]) in first
    ]
    assert len(shown) == 1 and reverse("lever-review", args=[shown[0].pk]) not in second


def test_review_page_says_once_why_the_line_allows_no_decision_and_offers_none(as_role, web_org):
    html = as_role("cco").get(reverse("lever-review", args=[web_org["other_lever"].pk])).content.decode()
    html = html.replace("&#x27;", "'")
    refusal = "Sales's line to the CCO does not let the CCO sign off its compensation or veto its goals or levers."
    assert html.count(refusal) == 1
    assert "Record the decision" not in html


def test_review_page_does_not_warn_where_the_line_gives_authority(as_role, web_org):
    html = as_role("cco").get(reverse("lever-review", args=[web_org["lever"].pk])).content.decode()
    assert "does not let the CCO" not in html and "Record the decision" in html
