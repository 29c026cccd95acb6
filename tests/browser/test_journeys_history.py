"""History for people in a real browser: an executive reads a demo goal's history, its links' with it, on its page."""

from __future__ import annotations

from playwright.sync_api import expect

from goals.models import Goal
from tests.browser.conftest import screenshot


def test_executive_sees_a_goals_history_on_its_page(page, login, app_url):
    goal = Goal.objects.filter(period__is_current=True).order_by("pk").first()
    login("executive")

    page.goto(f"{app_url}/goals/{goal.pk}/")

    history = page.get_by_role("region", name="History", exact=True)
    expect(history).to_be_visible()
    expect(history.get_by_text("Created by", exact=False).first).to_be_visible()
    expect(history.locator("time[datetime]").first).to_be_visible()
    expect(history.get_by_text("Link to “", exact=False).first).to_be_visible()  # its links' changes (goals.history)
    screenshot(page, "history-goal-page")
