from django.conf import settings

from tests.browser.conftest import screenshot


def test_a_person_who_keeps_mistyping_is_told_when_to_try_again(page, login):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("executive", password="wrong")
    assert page.get_by_role("heading", name="Sign-in is locked for now").is_visible()
    assert page.get_by_text("Try again after").is_visible()
    assert page.get_by_text("Ask an administrator to unlock your account").is_visible()
    screenshot(page, "login-locked-out")
    login("executive")
    assert page.get_by_role("heading", name="Sign-in is locked for now").is_visible()


def test_the_login_page_leads_to_the_password_reset(page, app_url):
    page.goto(f"{app_url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_role("button", name="Send the link").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    screenshot(page, "password-reset-sent")
