"""The API docs (/api/docs/, Swagger UI from drf-spectacular's sidecar) with axe: 0 violations once Swagger UI has
drawn the API, with every operation and schema opened, and after trying a request. The page's own fixes are in
templates/drf_spectacular/swagger_ui.html, static/css/swagger-a11y.css and static/js/swagger-a11y.js."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_markup_now, screenshot


def test_the_api_docs_pass_axe_drawn_opened_and_after_a_request(page, login, app_url):
    login("cco")
    page.goto(f"{app_url}/api/docs/")
    expect(page.get_by_role("heading", name=re.compile("CCO Mandate API"))).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    check_markup_now(page, "drawn")
    screenshot(page, "api-docs")

    opened = page.evaluate("""() => {
      const buttons = [...document.querySelectorAll('.opblock-summary-control')];
      buttons.forEach((button) => button.click());  // one pass: clicking 77 buttons through Playwright takes minutes
      return buttons.length;
    }""")
    expect(page.locator(".opblock.is-open")).to_have_count(opened)
    page.locator("section.models").get_by_role("button").first.click()
    page.evaluate("document.querySelectorAll('section.models .model-box-control').forEach((b) => b.click())")
    page.wait_for_load_state("networkidle")
    check_markup_now(page, "every operation and schema open")

    page.reload()  # closed again: the rest, and its screenshots, on a page of ordinary length
    operation = page.locator(
        ".opblock", has=page.locator(".opblock-summary-path", has_text=re.compile(r"^/api/v1/users/me/$"))
    )
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tr.response .response-col_status")).to_have_text("200")
    check_markup_now(page, "after a request")
    screenshot(page, "api-docs-after-a-request")
