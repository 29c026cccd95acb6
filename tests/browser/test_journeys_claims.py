"""The CCO's review of the links departments claim, in a real browser (issue 11).

The demo leaves one claim in the queue: Sales says "Upsell existing accounts" supports "Grow long-term customer
profitability". Until the CCO confirms it, it counts at half; the dashboard counts it, the department page labels
it, and the decision log keeps the review.
"""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import expect

from departments.models import Department
from goals.models import GoalLink
from mandates.models import Decision
from scoring.models import AlignmentScore
from tests.browser.conftest import screenshot


def sales_score() -> Decimal:
    return AlignmentScore.objects.filter(department=Department.objects.get(name="Sales")).latest().score


def test_the_cco_confirms_a_claimed_link_and_the_department_score_counts_it_in_full(page, login, app_url):
    claim = GoalLink.objects.get(goal__title="Upsell existing accounts", goal__period__is_current=True)
    before = sales_score()
    login("cco")

    page.goto(f"{app_url}/")
    expect(page.locator("#att-claims")).to_contain_text("Links awaiting the CCO's review")
    page.get_by_role("link", name=re.compile("1 link claimed by departments")).click()

    expect(page).to_have_url(re.compile(r"/reviews/"))
    queue = page.locator("section", has=page.locator("#claims-heading"))
    expect(queue).to_contain_text("Upsell existing accounts")
    screenshot(page, "journey-cco-claims-queue")
    page.get_by_role("link", name=re.compile("Review the link of “Upsell existing accounts”")).click()

    expect(page.get_by_role("heading", name="Review a link to a customer objective")).to_be_visible()
    page.get_by_role("radio", name=re.compile("Confirm: the goal")).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".errorlist")).to_contain_text("reason")  # a decision without its reason is refused
    screenshot(page, "journey-cco-link-review-needs-a-reason")
    page.get_by_role("radio", name=re.compile("Confirm: the goal")).check()
    page.get_by_label("Reason").fill("Upsell to existing accounts is priced for long-term value.")
    page.get_by_role("button", name="Record the decision").click()

    claim.refresh_from_db()
    assert claim.review == "confirmed"
    assert Decision.objects.filter(action="confirm", goal=claim.goal).exists()
    assert sales_score() > before
    page.goto(f"{app_url}/departments/{claim.goal.department_id}/")
    expect(page.locator(f"#goal-{claim.goal_id}")).to_contain_text("✓ confirmed")
    screenshot(page, "journey-cco-link-confirmed-department-page")


def test_a_head_sees_which_of_their_links_await_the_cco_and_cannot_open_the_review(page, login, app_url):
    claim = GoalLink.objects.get(goal__title="Upsell existing accounts", goal__period__is_current=True)
    login("head-sales")

    page.goto(f"{app_url}/departments/{claim.goal.department_id}/")
    expect(page.locator(f"#goal-{claim.goal_id}")).to_contain_text("claimed, awaiting the CCO")

    response = page.goto(f"{app_url}/reviews/links/{claim.pk}/")
    assert response.status == 403
    claim.refresh_from_db()
    assert claim.review == "claimed"
