"""Issue 15, "errors out of sight", walked in a real browser: a refused save far down a long page (the mandate
checklist's last item, the org chart's "Add a reporting line") lands on the summary at the top of the form that
failed, in view and with focus; a goal linking one objective twice marks the repeated row and the summary's link
takes focus to it.

static/js/error-summary.js does the focusing; the summary is templates/partials/_error_summary.html.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from departments.models import ReportingLine
from goals.models import Goal, GoalLink
from mandates.models import MandateItem
from tests.browser.conftest import screenshot

FOCUSED = "document.activeElement && document.activeElement.id"


def test_cco_saving_the_last_mandate_item_badly_lands_on_its_summary(page, login, app_url):
    item = MandateItem.objects.order_by("order", "pk").last()
    before = (item.status, item.evidence)
    login("cco")
    page.goto(f"{app_url}/mandate/")
    section = page.locator(f"#item-{item.pk}")
    section.get_by_label("Status").select_option("granted")
    section.get_by_label("Evidence").fill("")
    section.get_by_role("button", name=re.compile("^Save")).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("This was not saved: 1 problem")
    expect(summary).to_be_in_viewport()
    expect(summary).to_be_focused()
    assert page.evaluate(FOCUSED) == "error-summary"
    assert page.evaluate("window.scrollY") > 1000, "the page came back at the failing item, not at its top"
    expect(page.locator(f"#item-{item.pk} #error-summary")).to_have_count(1)
    expect(page.locator(f"#item-{item.pk}").get_by_label("Status")).to_have_value("granted")
    screenshot(page, "errors-mandate-item")

    summary.get_by_role("link").first.click()
    assert page.evaluate(FOCUSED) == f"id_item-{item.pk}-evidence"
    expect(page.locator(f"#id_item-{item.pk}-evidence")).to_have_attribute("aria-invalid", "true")
    item.refresh_from_db()
    assert (item.status, item.evidence) == before


def test_admin_adding_a_bad_reporting_line_lands_on_its_summary(page, login, app_url):
    lines_before = ReportingLine.objects.count()
    login("admin")
    page.goto(f"{app_url}/org-chart/")
    form = page.locator("#add-line")
    form.get_by_label("Department").select_option(label="Marketing")
    form.get_by_label("Reports to").select_option(label="Market Research")
    form.get_by_label("Kind of line").select_option("dotted")
    form.get_by_label("Note").fill("Kept after the refusal")
    form.get_by_role("button", name="Add the line").click()

    summary = page.locator("#add-line #error-summary")
    expect(summary).to_contain_text("This was not saved: 1 problem")
    expect(summary).to_contain_text("would close a cycle")
    expect(summary).to_be_in_viewport()
    expect(summary).to_be_focused()
    assert page.evaluate(FOCUSED) == "error-summary"
    assert page.evaluate("window.scrollY") > 500
    expect(page.locator("#add-line").get_by_label("Note")).to_have_value("Kept after the refusal")
    assert ReportingLine.objects.count() == lines_before
    screenshot(page, "errors-org-chart-line")


def test_head_linking_an_objective_twice_is_shown_the_repeated_row(page, login, app_url):
    goal = Goal.objects.get(title="Hit the quarterly revenue quota", period__is_current=True)
    links_before = list(GoalLink.objects.filter(goal=goal).values_list("objective_id", "kind", "strength"))
    login("head-sales")
    page.goto(f"{app_url}/goals/{goal.pk}/edit/")
    first = page.locator("#id_links-0-objective").input_value()
    page.locator("#id_links-1-objective").select_option(first)
    page.locator("#id_links-1-strength").fill("0.3")
    page.get_by_role("button", name="Save goal").click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("The goal was not saved: 1 problem")
    expect(summary).to_contain_text("linked twice")
    expect(summary).to_be_in_viewport()
    expect(summary).to_be_focused()
    repeated = page.locator("#id_links-1-objective")
    expect(repeated).to_have_attribute("aria-invalid", "true")
    expect(repeated).to_have_attribute("aria-describedby", "links-errors")
    expect(repeated).to_have_value(first)
    expect(page.locator("#id_links-1-strength")).to_have_value("0.3")
    screenshot(page, "errors-goal-duplicate-link")

    summary.get_by_role("link", name=re.compile("linked twice")).click()
    assert page.evaluate(FOCUSED) == "id_links-1-objective"
    expect(repeated).to_be_in_viewport()
    assert list(GoalLink.objects.filter(goal=goal).values_list("objective_id", "kind", "strength")) == links_before
