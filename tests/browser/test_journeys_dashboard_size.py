"""A journey through the dashboard of a larger organisation: search a department, page through, open the full
heatmap. Plain links and GET forms: nothing here needs a script."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.factories import DepartmentFactory
from tests.web.conftest import score_everything

EXTRA = 30


def test_executive_searches_pages_and_opens_the_full_heatmap(page, login, app_url):
    for index in range(EXTRA):
        DepartmentFactory(name=f"Region {index:02d}")
    score_everything()
    login("executive")

    departments = page.get_by_role("region", name="Departments")
    expect(page.get_by_test_id("department-range")).to_contain_text("Departments 1–25 of")
    page.get_by_label("Search departments by name").fill("Sales")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"\?q=Sales"))
    expect(page.get_by_test_id("department-range")).to_contain_text("whose name contains “Sales”")
    expect(departments.locator("details.dept-row-wrap")).to_have_count(1)
    expect(departments.locator("details.dept-row-wrap")).to_contain_text("Sales")
    screenshot(page, "size1-dashboard-search")

    departments.get_by_role("link", name="Show all").click()
    pager = page.get_by_role("navigation", name="Pages of departments")
    expect(pager).to_contain_text("Page 1 of 2")
    first_page = departments.locator("details.dept-row-wrap").first.inner_text()
    pager.get_by_role("link", name=re.compile("^Next")).click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(pager).to_contain_text("Page 2 of 2")
    expect(departments.locator("details.dept-row-wrap").first).not_to_have_text(first_page)
    screenshot(page, "size2-dashboard-page-two")

    page.get_by_role("link", name="Open the full matrix").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Departments × customer objectives")
    matrix = page.get_by_role("table", name=re.compile("support or conflict"))
    expect(matrix.locator("tbody tr")).to_have_count(25)
    page.get_by_role("navigation", name="Pages of the matrix").get_by_role("link", name=re.compile("^Next")).click()
    expect(page.get_by_role("navigation", name="Pages of the matrix")).to_contain_text("Page 2 of 2")
    screenshot(page, "size3-full-heatmap-page-two")
