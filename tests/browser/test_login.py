from tests.browser.conftest import screenshot


def test_demo_user_logs_in_and_reaches_the_dashboard(page, login):
    login("executive")
    assert page.url.rstrip("/").endswith(page.url.split("/")[2]) or page.url.endswith("/")
    assert page.get_by_role("heading", level=1).is_visible()
    screenshot(page, "login-dashboard")


def test_wrong_password_is_refused_with_a_message(page, login):
    login("executive", password="wrong")
    assert "/accounts/login/" in page.url
    assert page.get_by_role("alert").is_visible()
