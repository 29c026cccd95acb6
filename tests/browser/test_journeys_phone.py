"""Issue 15 on a 390-px phone: every page fits the screen (nothing hides in a sideways scroll), the dashboard's
department list keeps its "change", and a 200-character title without a space does not widen the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

PHONE = {"width": 390, "height": 844}
# How far the page or any table area scrolls sideways beyond the screen, in pixels (0 when everything fits).
OVERFLOW = """() => {
  const page = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  const areas = [...document.querySelectorAll('.table-wrap, .chart-scroll')]
    .filter((el) => el.offsetParent !== null)
    .map((el) => el.scrollWidth - el.clientWidth);
  return Math.max(page, ...areas, 0);
}"""


@pytest.mark.parametrize(
    "path",
    ["/", "/dashboard/heatmap/", "/org-chart/", "/departments/", "/objectives/", "/reviews/", "/mandate/", "/charter/"],
)
def test_pages_fit_a_phone(page, login, app_url, path):
    page.set_viewport_size(PHONE)
    login("cco")
    page.goto(f"{app_url}{path}")
    assert page.evaluate(OVERFLOW) <= 1, f"{path} scrolls sideways on a 390-px phone"


def test_the_phone_dashboard_keeps_each_departments_change_and_the_heatmap_names_objectives(page, login, app_url):
    page.set_viewport_size(PHONE)
    login("executive")
    page.goto(f"{app_url}/")
    first = page.locator(".dept-row-wrap summary").first
    expect(first.locator("span").nth(3)).to_be_visible()  # the "Change" column is not hidden on a phone
    cell = page.locator("table.heatmap tbody td.cell-supports").first
    expect(cell).to_be_visible()
    objective = cell.get_attribute("data-label")  # its column's objective, shown beside the strength on a phone
    assert objective and objective in cell.evaluate("el => getComputedStyle(el, '::before').content")
    screenshot(page, "phone-dashboard")
    page.goto(f"{app_url}/org-chart/")
    expect(page.get_by_text("On a phone the drawing gives way to the table below")).to_be_visible()
    screenshot(page, "phone-org-chart")


def test_a_long_title_without_a_space_wraps_instead_of_widening_the_page(page, login, app_url):
    from goals.models import Goal

    goal = Goal.objects.filter(department__name="Sales", period__is_current=True).first()
    Goal.objects.filter(pk=goal.pk).update(title="X" * 200)
    login("head-sales")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{app_url}/goals/{goal.pk}/edit/")
        assert page.evaluate(OVERFLOW) <= 1, f"the goal edit page scrolls sideways at {width} px"
    screenshot(page, "phone-long-title")
