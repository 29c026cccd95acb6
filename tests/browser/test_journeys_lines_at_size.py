"""An admin of a large organisation (more departments than the org chart draws) adds a reporting line: the form
takes each department by name, and the names containing what is typed are suggested as it is typed (htmx fills the
field's <datalist>); nothing lists every department."""

from __future__ import annotations

from playwright.sync_api import expect

from departments.models import ReportingLine
from departments.orgchart import DRAWING_LIMIT
from tests.browser.conftest import screenshot
from tests.factories import DepartmentFactory


def test_admin_adds_a_line_at_size_picking_names_suggested_as_typed(page, login, app_url):
    for index in range(DRAWING_LIMIT + 1):
        DepartmentFactory(name=f"Region {index:02d}")
    login("admin")
    page.goto(f"{app_url}/org-chart/?add=1")

    form = page.locator("#add-line")
    form.get_by_label("Department").press_sequentially("gion 0", delay=30)
    suggested = page.locator("#id_department-names option")
    expect(suggested).to_have_count(10)  # Region 00 to Region 09
    expect(suggested.first).to_have_attribute("value", "Region 00")
    form.get_by_label("Department").fill("Region 07")
    form.get_by_label("Reports to").press_sequentially("Product", delay=30)
    expect(page.locator("#id_target-names option")).to_have_count(1)
    form.get_by_label("Reports to").fill("Product Development")
    form.get_by_label("Kind of line").select_option("dotted")
    screenshot(page, "lines-at-size-names-suggested")
    form.get_by_role("button", name="Add the line").click()

    expect(page.get_by_role("status").filter(has_text="Line added")).to_be_visible()
    line = ReportingLine.objects.get(department__name="Region 07")
    assert (line.target.name, line.kind) == ("Product Development", "dotted")
