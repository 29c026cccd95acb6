"""Journeys through the dashboard, the mandate checklist and the org chart, in a real browser.

Each journey starts from the demo organisation; Celery is eager, so a recompute finishes inside the request
that caused it. Each saves a full-page screenshot under test-artifacts/.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from departments.models import ReportingLine
from mandates.models import MandateItem
from scoring.models import AlignmentScore
from tests.browser.conftest import screenshot


def score_on(page, testid: str) -> Decimal:
    text = page.get_by_test_id(testid).inner_text()
    return Decimal(re.match(r"\s*([\d.]+)", text).group(1))


def test_executive_reads_the_dashboard_and_a_departments_breakdown(page, login, app_url):
    login("executive")
    expect(page.get_by_role("heading", level=1)).to_have_text("Customer alignment")
    expect(page.get_by_test_id("organisation-score")).to_contain_text("/ 100")
    expect(page.get_by_role("heading", name="Departments × customer objectives")).to_be_visible()
    heatmap = page.locator("table.heatmap")
    expect(heatmap.get_by_role("columnheader", name=re.compile("Raise customer satisfaction"))).to_be_visible()
    expect(heatmap.get_by_role("row", name=re.compile("^Sales"))).to_contain_text("conflicts, strength 0.5")
    attention = page.locator("#attention")
    expect(
        attention.get_by_role("heading", name=re.compile("Customer-facing departments without a line"))
    ).to_be_visible()
    expect(attention).to_contain_text("Product Development")
    expect(attention).to_contain_text("Stop small-business churn")
    screenshot(page, "a1-executive-dashboard")

    sales = page.locator("details.dept-row-wrap", has_text="Sales").first
    sales.locator("summary").click()
    expect(sales).to_contain_text(
        "Sales reaches the CCO only through a dotted line; the CCO's authority through the line: none: consulted only."
    )
    expect(sales.get_by_role("cell", name="Line to the CCO")).to_be_visible()
    screenshot(page, "a1-executive-dashboard-breakdown-open")

    sales.get_by_role("link", name=re.compile("Open Sales")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sales")
    expect(page.get_by_role("table", name="Breakdown")).to_be_visible()
    expect(page.get_by_role("heading", name="What would raise it most")).to_be_visible()
    expect(page.locator("#goals")).to_contain_text("Hit the quarterly revenue quota")
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)  # executives only read
    screenshot(page, "a1-executive-department-page")


def test_cco_grants_a_mandate_item_with_evidence_and_the_empowerment_score_moves(page, login, app_url):
    login("cco")
    before = score_on(page, "empowerment-score")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mandate").click()
    item = page.locator("section.checklist-item", has_text="Drive long-term customer profitability")
    item.get_by_label("Status").select_option("granted")
    item.get_by_label("Evidence").fill(
        "Board decision of 12 March: the CCO steers lifetime value, not quarterly revenue."
    )
    item.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_role("status").filter(has_text="saved")).to_be_visible()
    item = page.locator("section.checklist-item", has_text="Drive long-term customer profitability")
    expect(item.locator(".item-status")).to_contain_text("Granted")
    screenshot(page, "a2-cco-checklist-granted")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    after = score_on(page, "empowerment-score")
    assert after > before
    expect(page.locator("#mandate")).to_contain_text("Board decision of 12 March")
    assert MandateItem.objects.get(key="long-term-profitability").status == "granted"
    screenshot(page, "a2-cco-dashboard-empowerment-moved")


def test_cco_is_told_why_granted_needs_evidence_and_nothing_is_saved(page, login, app_url):
    login("cco")
    page.goto(f"{app_url}/mandate/")
    item = page.locator("section.checklist-item", has_text="Drive long-term customer profitability")
    item.get_by_label("Status").select_option("granted")
    item.get_by_role("button", name=re.compile("Save")).click()
    item = page.locator("section.checklist-item", has_text="Drive long-term customer profitability")
    expect(item).to_contain_text("Say what shows this is granted")
    assert MandateItem.objects.get(key="long-term-profitability").status == "not_granted"


def test_admin_adds_a_dotted_line_from_the_org_chart_and_sees_it_drawn(page, login, app_url):
    login("admin")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Org chart").click()
    reach = page.get_by_role("row", name=re.compile("^Product Development"))
    expect(reach).to_contain_text("Not reaching the CCO")

    form = page.locator("#add-line")
    form.get_by_label("Department").select_option(label="Product Development")
    form.get_by_label("Reports to").select_option(label="CCO's office")
    form.get_by_label("Kind of line").select_option("dotted")
    form.get_by_label("CCO sets or approves goals").check()
    form.get_by_role("button", name="Add the line").click()

    expect(page.get_by_role("status").filter(has_text="Line added")).to_be_visible()
    edge = page.locator("svg.orgchart path.edge-dotted", has=page.locator("title", has_text="Product Development"))
    expect(edge).to_have_count(1)
    expect(page.get_by_role("row", name=re.compile("^Product Development")).first).to_contain_text("Dotted line")
    expect(page.locator("svg.orgchart desc")).not_to_contain_text("Product Development does not reach the CCO")
    assert ReportingLine.objects.get(department__name="Product Development").kind == "dotted"
    screenshot(page, "a3-admin-org-chart-dotted-line")


def test_admin_sees_the_cycle_named_next_to_the_field_and_nothing_is_saved(page, login, app_url):
    login("admin")
    page.goto(f"{app_url}/org-chart/")
    lines_before = ReportingLine.objects.count()
    form = page.locator("#add-line")
    form.get_by_label("Department").select_option(label="Marketing")
    form.get_by_label("Reports to").select_option(label="Market Research")
    form.get_by_label("Kind of line").select_option("dotted")
    form.get_by_role("button", name="Add the line").click()
    expect(page.locator("#add-line")).to_contain_text(
        "This line would close a cycle: Marketing → Market Research → Marketing."
    )
    assert ReportingLine.objects.count() == lines_before
    screenshot(page, "a3-admin-org-chart-cycle-refused")


def test_dashboard_reads_at_phone_width(page, login, app_url):
    page.set_viewport_size({"width": 375, "height": 800})
    login("executive")
    expect(page.get_by_test_id("organisation-score")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    screenshot(page, "a4-executive-dashboard-phone")


def test_dashboard_shows_recomputing_and_rerenders_the_scores_by_itself(page, login, app_url, queued_scoring):
    queued_scoring.worker()
    queued_scoring.change_saved()
    login("executive")
    expect(page.locator("#freshness")).to_contain_text("Recomputing…")
    page.evaluate("window.stillTheSamePage = true")
    screenshot(page, "a5-dashboard-recomputing")

    latest = AlignmentScore.objects.filter(department__isnull=True).latest()
    AlignmentScore.objects.create(
        department=None,
        score=Decimal("77.7"),
        components=latest.components,
        reasons=latest.reasons,
        fingerprint="a newer computation",
        computed_at=timezone.now(),
        period=latest.period,
    )
    queued_scoring.scored()
    expect(page.get_by_test_id("organisation-score")).to_contain_text("77.7", timeout=10_000)
    expect(page.locator("#freshness")).to_contain_text("Computed")
    assert page.evaluate("window.stillTheSamePage") is True  # no reload: htmx swapped the scores in


def test_dashboard_warns_that_scores_may_be_stale_and_recovers_by_itself(page, login, app_url, queued_scoring):
    queued_scoring.change_saved()  # and no worker has ever run
    login("executive")
    expect(page.locator("#freshness")).to_contain_text("No scoring worker is running")
    screenshot(page, "a6-dashboard-scores-may-be-stale")

    queued_scoring.worker()
    queued_scoring.scored()
    expect(page.locator("#freshness")).to_contain_text("Computed", timeout=20_000)  # the next 15 s poll, no reload
    expect(page.locator("#freshness")).not_to_contain_text("No scoring worker")
