"""Browser journeys: Playwright driving Debian's Chromium against a live server on 127.0.0.1.

Every journey starts from the demo organisation (built through the services) and saves a full-page
screenshot under test-artifacts/ (git-ignored) with `screenshot(page, name)`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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
def demo(transactional_db, settings):
    """The demo organisation, scored; tasks run eagerly in the live server's threads."""
    from mandates.demo import build_demo_organisation

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
