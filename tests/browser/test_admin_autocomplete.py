"""The Django admin picks departments, people and goals by search (autocomplete_fields: no <select> of every row at
2,000 departments), and that works in a real browser under the Content-Security-Policy: an admin adds a lever by
typing part of each name, and the lever is saved through the service."""

from decimal import Decimal

from playwright.sync_api import expect

from departments.models import Department
from goals.models import CompensationLever
from tests.browser.conftest import screenshot


def pick(page, field: str, typed: str, choice: str) -> None:
    """Open the field's search box, type, and choose the result shown."""
    page.locator(f"#id_{field}").locator("xpath=following-sibling::span[contains(@class, 'select2')]").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(typed)
    option = page.locator(".select2-results__option", has_text=choice)
    expect(option).to_have_count(1)
    option.click()


def test_an_admin_adds_a_lever_picking_each_part_by_search(page, login, app_url):
    login("admin")
    page.goto(f"{app_url}/admin/goals/compensationlever/add/")
    expect(page.locator("select#id_goal option:not([value=''])")).to_have_count(0)  # nothing listed until searched

    pick(page, "department", "Service &", "Customer Service & Support")
    pick(page, "manager", "head-serv", "head-service")
    pick(page, "goal", "service level", "Answer within the service level")
    page.locator("#id_share").fill("10")
    screenshot(page, "admin-lever-autocomplete")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    lever = CompensationLever.objects.get(goal__title="Answer within the service level")
    assert (lever.manager.username, lever.share) == ("head-service", Decimal(10))


def test_the_other_search_pickers_are_named_and_valid(page, login, app_url):
    """The department form's heads (several people), a line's two ends and a goal's department picker pass
    the markup checks too (the conftest fails a test whose pages do not)."""
    login("admin")
    service = Department.objects.get(name="Customer Service & Support")
    for url in (
        f"/admin/departments/department/{service.pk}/change/",
        "/admin/departments/reportingline/add/",
        "/admin/goals/goal/add/",
    ):
        page.goto(f"{app_url}{url}")
        expect(page.locator(".select2-selection[role='combobox']").first).to_be_visible()
    page.goto(f"{app_url}/admin/departments/department/{service.pk}/change/")
    expect(page.locator(".select2-selection__choice", has_text="head-service")).to_have_count(1)
    screenshot(page, "admin-department-heads-autocomplete")
