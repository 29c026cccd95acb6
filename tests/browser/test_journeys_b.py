"""Department heads' journeys in a real browser: a check-in at risk, a goal edit with its what-if, a refusal.

The demo organisation is loaded and Celery runs eagerly, so a save is scored before the next page loads.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from goals.models import Goal, GoalLink
from scoring.models import AlignmentScore
from tests.browser.conftest import screenshot


def current_goal(title: str) -> Goal:
    return Goal.objects.select_related("department").get(title=title, period__is_current=True)


def latest_score(department_id: int) -> Decimal:
    return AlignmentScore.objects.filter(department_id=department_id).latest().score


def test_head_records_a_check_in_at_risk_and_sees_it_on_the_dashboard(page, login, app_url):
    goal = current_goal("Resolve inquiries at first contact")
    login("head-service")
    listed = page.get_by_role("link", name=re.compile(r"Resolve inquiries at first contact.*at risk"))
    expect(listed).to_have_count(0)
    needing_a_look = page.get_by_role("region", name=re.compile(r"Goals at risk"))
    before = int(needing_a_look.locator("h3 .count").inner_text())

    page.goto(f"{app_url}/goals/{goal.pk}/")
    page.get_by_label("New value").fill("66")
    page.get_by_label("At risk").check()
    page.get_by_label("Comment").fill("A new product line doubled the inquiries.")
    page.get_by_role("button", name="Record check-in").click()

    expect(page.get_by_test_id("confidence")).to_have_text("At risk")
    expect(page.get_by_test_id("sparkline")).to_be_visible()
    expect(page.get_by_role("cell", name="A new product line doubled the inquiries.")).to_be_visible()
    screenshot(page, "journey-head-check-in-goal-page")

    page.goto(f"{app_url}/")
    expect(needing_a_look.locator("h3 .count")).to_have_text(str(before + 1))
    if listed.count() == 0:  # the dashboard lists the five worst (off track first) and counts the rest
        expect(needing_a_look.get_by_test_id("more-check-ins")).to_be_visible()
    else:
        expect(listed).to_be_visible()
    screenshot(page, "journey-head-check-in-at-risk-on-dashboard")


@pytest.mark.parametrize("form_page", ["/goals/{pk}/check-in/", "/goals/{pk}/"])
def test_head_going_back_and_submitting_the_check_in_again_records_it_once(page, login, app_url, form_page):
    """The browser loads the form's page again on Back (no back/forward cache here) and puts the typed values back;
    the form still carries the one-time token it was first drawn with (static/js/app.js), so nothing is recorded
    twice."""
    goal = current_goal("Resolve inquiries at first contact")
    before = goal.check_ins.count()
    login("head-service")
    page.goto(app_url + form_page.format(pk=goal.pk))
    page.get_by_label("New value").fill("64")
    page.get_by_label("Comment").fill("Week 6")
    page.get_by_role("button", name="Record check-in").click()
    expect(page.get_by_role("status")).to_contain_text("Check-in recorded")

    page.go_back()
    expect(page.get_by_label("New value")).to_have_value("64")
    page.get_by_role("button", name="Record check-in").click()

    expect(page).to_have_url(re.compile(rf"/goals/{goal.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text("This form was already submitted")
    assert goal.check_ins.count() == before + 1
    screenshot(page, f"journey-head-check-in-submitted-twice-{'form' if 'check-in' in form_page else 'goal'}")

    page.get_by_label("New value").fill("64")  # the page now shown is a new form: a second reading is recorded
    page.get_by_role("button", name="Record check-in").click()
    expect(page.get_by_role("status")).to_contain_text("Check-in recorded")
    assert goal.check_ins.count() == before + 2


def test_head_edits_a_goals_link_and_weight_sees_the_preview_and_the_score_changes(page, login, app_url):
    goal = current_goal("Hit the quarterly revenue quota")
    sales = goal.department
    score_before = latest_score(sales.pk)
    login("head-sales")
    page.goto(f"{app_url}/departments/{sales.pk}/")
    shown_before = page.get_by_test_id("department-score").inner_text()

    page.goto(f"{app_url}/goals/{goal.pk}/edit/")
    after = page.get_by_test_id("score-after")
    expect(after).to_have_text(f"{score_before:.1f}")
    expect(page.locator("#id_links-0-kind")).to_have_value("conflicts")

    page.locator("#id_links-0-kind").select_option("supports")
    page.locator("#id_weight").fill("40")

    expect(after).not_to_have_text(f"{score_before:.1f}")
    expect(page.get_by_test_id("weight-total")).to_contain_text("= 90 of 100")
    previewed = Decimal(after.inner_text())
    assert previewed > score_before
    assert GoalLink.objects.get(goal=goal).kind == "conflicts", "the preview saved nothing"
    screenshot(page, "journey-head-edits-goal-what-if")

    page.get_by_role("button", name="Save goal").click()

    expect(page).to_have_url(re.compile(rf"/departments/{sales.pk}/$"))
    assert latest_score(sales.pk) == previewed
    expect(page.get_by_test_id("department-score")).not_to_have_text(shown_before)
    expect(page.get_by_test_id("department-score")).to_contain_text(f"{previewed:.1f}")
    goal.refresh_from_db()
    assert goal.weight == Decimal(40)
    screenshot(page, "journey-head-edits-goal-score-changed")


def test_head_typing_another_departments_goal_edit_url_is_refused(page, login, app_url):
    goal = current_goal("Resolve inquiries at first contact")
    before = (goal.weight, goal.title, list(goal.links.values_list("objective_id", "kind", "strength")))
    login("head-sales")

    response = page.goto(f"{app_url}/goals/{goal.pk}/edit/")

    assert response.status == 403
    expect(page.locator("#goal-form")).to_have_count(0)
    goal.refresh_from_db()
    assert (goal.weight, goal.title, list(goal.links.values_list("objective_id", "kind", "strength"))) == before
    screenshot(page, "journey-head-refused-other-department-goal")
