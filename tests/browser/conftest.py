"""Browser journeys: Playwright driving Debian's Chromium against a live server on 127.0.0.1.

Every journey starts from the demo organisation (built through the services) and saves a full-page
screenshot under test-artifacts/ (git-ignored) with `screenshot(page, name)`. Every journey also runs under the
Content-Security-Policy: a violation Chromium reports on the page fails the test (`csp_violations`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def csp_violations() -> list[str]:
    """Content-Security-Policy violations reported on the test's page. Any left at the end fails the test; a test
    that provokes one on purpose clears the list."""
    return []


@pytest.fixture
def page(page, csp_violations):
    """pytest-playwright's page, listening for CSP violations: Chromium reports each one as a console error
    ("Refused to apply inline style because it violates the following Content Security Policy directive ...")."""

    def record(message):
        if "Content Security Policy" in message.text:
            csp_violations.append(message.text)

    page.on("console", record)
    return page


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    violations = getattr(item, "funcargs", {}).get("csp_violations")
    page = getattr(item, "funcargs", {}).get("page")
    if violations is not None and page is not None:
        with contextlib.suppress(PlaywrightError):
            page.evaluate("0")  # a round trip, so console messages still in flight are delivered
    if violations:
        pytest.fail("Content-Security-Policy violations on the page:\n" + "\n".join(violations), pytrace=False)
    return result


@pytest.fixture
def demo(transactional_db, settings):
    """The demo organisation, scored; tasks run eagerly in the live server's threads."""
    from demo.build import build_demo_organisation

    settings.CELERY_TASK_ALWAYS_EAGER = True
    build_demo_organisation()


@pytest.fixture
def app_url(live_server, demo) -> str:
    return live_server.url


@pytest.fixture
def login(page, app_url):
    """Log in through the real login form as one of the demo users (password 'demo')."""

    def _login(username: str, password: str = "demo"):
        page.goto(f"{app_url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state("networkidle")
        return page

    return _login


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
