"""The Content-Security-Policy in a real browser: Swagger UI and the Django admin work under it, and a violation
is caught (tests/browser/conftest.py fails any journey that has one)."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot


def test_swagger_ui_renders_the_api_without_a_csp_violation(page, login, app_url):
    login("admin")
    page.goto(f"{app_url}/api/docs/")
    expect(page.get_by_role("heading", name=re.compile("CCO Mandate API"))).to_be_visible()
    operation = page.locator(
        ".opblock", has=page.locator(".opblock-summary-path", has_text=re.compile(r"^/api/v1/users/me/$"))
    )
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tr.response .response-col_status")).to_have_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text('"username": "admin"')
    screenshot(page, "security-swagger-ui")


def test_admin_index_renders_without_a_csp_violation(page, login, app_url):
    login("admin")
    page.goto(f"{app_url}/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    expect(page.get_by_role("link", name="Goals").first).to_be_visible()
    screenshot(page, "security-admin-index")


def test_an_inline_style_injected_into_a_page_is_refused_and_reported(page, login, app_url, csp_violations):
    login("executive")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    assert any("style-src" in violation for violation in csp_violations), csp_violations
    csp_violations.clear()  # provoked on purpose; every other journey must end with none


def test_charter_print_button_prints_without_an_inline_handler(page, login, app_url):
    login("cco")
    page.goto(f"{app_url}/charter/")
    page.evaluate("window.print = () => { window.printed = true; }")  # headless Chromium has no print dialog
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed === true")
