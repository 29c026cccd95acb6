"""Browser journeys: Playwright driving Debian's Chromium against a live server on 127.0.0.1.

Every journey starts from the demo organisation (built through the services) and saves full-page screenshots
under test-artifacts/ (git-ignored) with `screenshot(page, name)`: at the page's width and at a 390 x 844 phone's
(`name-phone.png`). Every journey also runs under the Content-Security-Policy: a violation Chromium reports on the
page fails the test (`csp_violations`). And every page of the app a journey loads is checked with axe (WCAG 2 A
and AA: no violation) and the Nu HTML Checker (no error but htmx's hx-* attributes); a problem fails the test at
its end with the rule, the element and the URL (`markup_problems`, tests/browser/markup.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.markup import NuChecker, PageChecks, Session

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
PHONE = {"width": 390, "height": 844}
_markup_session: Session | None = None


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


@pytest.fixture(scope="session")
def markup_session():
    """The Nu HTML Checker's service for the whole session (started once, in the background) and the results of
    the pages already checked."""
    global _markup_session
    nu = NuChecker()
    try:
        nu.start()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    _markup_session = Session(nu)
    yield _markup_session
    _markup_session.pool.shutdown(wait=False, cancel_futures=True)
    nu.stop()


@pytest.fixture
def markup_problems() -> list[str]:
    """axe and Nu HTML Checker problems on the pages the test loaded, filled in when the test body ends. Any left
    fails the test; a test that loads a broken page on purpose clears the list."""
    return []


@pytest.fixture
def page(page, csp_violations, request):
    """pytest-playwright's page, listening for CSP violations: Chromium reports each one as a console error
    ("Refused to apply inline style because it violates the following Content Security Policy directive ...").
    In a test against the live server, it also keeps every page of the app it loads for the markup checks."""

    def record(message):
        if "Content Security Policy" in message.text:
            csp_violations.append(message.text)

    page.on("console", record)
    if "live_server" in request.fixturenames:
        session = request.getfixturevalue("markup_session")
        page._markup_checks = PageChecks(session, page, request.getfixturevalue("live_server").url)
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
    checks = getattr(page, "_markup_checks", None)
    problems = getattr(item, "funcargs", {}).get("markup_problems")
    if checks is not None:
        found = checks.finish(page.context)
        if problems is None:
            problems = found
        else:
            problems += found
    if problems:
        pytest.fail(
            f"{len(problems)} markup problem(s) on the pages this test loaded (axe: WCAG 2 A/AA; vnu: the Nu HTML "
            "Checker):\n" + "\n".join(problems),
            pytrace=False,
        )
    return result


def _markup_summary() -> list[str]:
    checked = _markup_session
    if checked is None or not checked.pages:
        return []
    return [
        f"markup checks: {checked.pages} distinct pages checked with axe and {len(checked.nu_results)} with the"
        f" Nu HTML Checker; the tests waited {checked.seconds:.1f} s for them",
        *(f"markup checks: not checked, gone before it could be read: {gone}" for gone in checked.unreadable),
    ]


def pytest_terminal_summary(terminalreporter):
    for line in _markup_summary():
        terminalreporter.write_line(line)


def pytest_sessionfinish(session):
    """Under pytest-xdist, a worker's summary goes to the controller, which prints it (tests/conftest.py)."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["summary_lines"] = _markup_summary()


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


def check_markup_now(page, label: str) -> None:
    """Run axe on the page as it is now, for what scripts draw after the load (Swagger UI) or a state the journey
    opened; its violations fail the test at its end with the others."""
    page._markup_checks.check_now(label)


def screenshot(page, name: str) -> Path:
    """`name.png` at the page's own width and `name-phone.png` at a 390 x 844 phone's; the viewport is put back."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    viewport = page.viewport_size
    if viewport != PHONE:
        page.set_viewport_size(PHONE)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
        finally:
            if viewport:
                page.set_viewport_size(viewport)
    else:
        shutil.copyfile(path, ARTIFACTS / f"{name}-phone.png")
    return path
