"""Quarters in a real browser (issue 12): the CCO rolls the demo's quarter over (the plan and its score first, then
one click that queues the run and opens its job's page) and opens the quarterly review of this quarter and the last."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from goals.models import CustomerObjective, Goal, Period
from scoring.models import AlignmentScore
from scoring.selectors import latest_scores
from tests.browser.conftest import screenshot


def test_the_cco_previews_and_rolls_the_quarter_over(page, login, app_url):
    current = Period.objects.get(is_current=True)
    target = Period.objects.get(start=current.end)  # the demo creates the next quarter, empty
    organisation_now = latest_scores()[None].score
    login("cco")

    page.goto(f"{app_url}/periods/{target.pk}/roll-over/?from={current.pk}")
    expect(page.get_by_role("heading", name=f"Roll a quarter over into {target}")).to_be_visible()
    expect(page.locator("#roll-over-score").locator("..")).to_contain_text(f"{organisation_now:.1f}")
    screenshot(page, "journey-cco-roll-over-plan")
    assert not Goal.objects.filter(period=target).exists(), "the plan saved nothing"

    page.get_by_role("button", name=f"Roll over into {target}").click()

    # The run is a job (a worker's, at 2,000 departments minutes long); eager here, so done when the page opens.
    expect(page).to_have_url(re.compile(rf"/periods/{target.pk}/roll-over/jobs/[0-9a-f-]+/$"))
    expect(page.get_by_test_id("roll-over-job")).to_have_attribute("data-state", "done")
    expect(page.get_by_test_id("roll-over-job")).to_contain_text(f"Rolled {current} over into {target}")
    carried = Goal.objects.filter(period=target)
    assert carried.count() == Goal.objects.filter(period=current, status="active").count()
    assert CustomerObjective.objects.filter(period=target).count() == (
        CustomerObjective.objects.filter(period=current, active=True).count()
    )
    screenshot(page, "journey-cco-roll-over-done")

    page.get_by_role("link", name="Go to the customer objectives").click()
    expect(page).to_have_url(re.compile(r"/objectives/"))


def test_a_department_head_cannot_open_the_roll_over(page, login, app_url):
    current = Period.objects.get(is_current=True)
    target = Period.objects.get(start=current.end)
    login("head-sales")
    response = page.goto(f"{app_url}/periods/{target.pk}/roll-over/?from={current.pk}")
    assert response.status == 403


def test_the_cco_opens_the_quarterly_review_and_switches_to_the_last_quarter(page, login, app_url):
    current = Period.objects.get(is_current=True)
    previous = Period.objects.get(end=current.start)
    login("cco")

    page.get_by_role("link", name="Review", exact=True).click()
    expect(page.get_by_role("heading", name=f"Quarterly review: {current}")).to_be_visible()
    expect(page.get_by_test_id("review-score")).to_contain_text(f"{latest_scores()[None].score}")
    screenshot(page, "journey-cco-quarterly-review")

    page.get_by_label("Period", exact=True).select_option(label=str(previous))
    expect(page.get_by_role("heading", name=f"Quarterly review: {previous}")).to_be_visible()
    expect(page.locator("body")).to_contain_text("as it ended")


def test_an_executive_opens_last_quarter_as_it_ended_from_the_dashboard(page, login, app_url):
    current = Period.objects.get(is_current=True)
    previous = Period.objects.get(end=current.start)
    sales = Goal.objects.filter(period=previous, department__name="Sales").first().department
    login("executive")

    page.get_by_label("Period", exact=True).select_option(label=str(previous))
    expect(page.get_by_test_id("past-period")).to_contain_text(f"You are looking at {previous} as it ended")
    closed_at = AlignmentScore.objects.filter(period=previous, department=None).latest("computed_at").score
    expect(page.get_by_test_id("quarters")).to_contain_text(f"{previous} {closed_at}")
    screenshot(page, "journey-past-quarter-dashboard")

    page.goto(f"{app_url}/departments/{sales.pk}/?period={previous.pk}")
    expect(page.locator("body")).to_contain_text("as it ended")
    expect(page.locator("body")).to_contain_text("final reading")
    assert page.get_by_role("link", name="Edit").count() == 0, "a past quarter is read-only"
    screenshot(page, "journey-past-quarter-department")


def test_the_cco_opens_next_quarter_as_planned_so_far(page, login, app_url):
    current = Period.objects.get(is_current=True)
    following = Period.objects.get(start=current.end)  # the demo creates the next quarter, empty
    login("cco")

    page.get_by_label("Period", exact=True).select_option(label=str(following))
    expect(page.get_by_test_id("past-period")).to_contain_text(
        f"You are looking at {following} as planned so far, before it starts on"
    )
    expect(page.locator("body")).not_to_contain_text("as it ended")
    screenshot(page, "journey-next-quarter-dashboard")


def test_after_the_roll_over_the_cco_finds_what_waits_in_the_next_quarter(page, login, app_url):
    from django.contrib.auth import get_user_model

    from goals.models import GoalLink
    from goals.rollover import period_roll_over

    current = Period.objects.get(is_current=True)
    target = Period.objects.get(start=current.end)
    period_roll_over(actor=get_user_model().objects.get(username="cco"), source=current, target=target)
    claims = GoalLink.objects.filter(goal__period=target, review="claimed", kind="supports")
    assert claims.exists(), "the demo's unreviewed claim arrives in the next quarter as a claim"
    login("cco")

    page.goto(f"{app_url}/")
    group = page.get_by_test_id("needs-elsewhere")
    expect(group).to_contain_text("Quarters with decisions waiting besides this one")
    group.get_by_role("link", name=re.compile(rf"^{target}: \d+ claims?.*set up ahead")).click()

    expect(page).to_have_url(re.compile(rf"/reviews/\?period={target.pk}$"))
    expect(page.get_by_test_id("other-period")).to_contain_text(f"You are looking at what waits in {target}")
    claim = claims.first()
    expect(page.locator("section", has=page.locator("#claims-heading"))).to_contain_text(claim.goal.title)
    screenshot(page, "journey-cco-next-quarter-queue")
    page.get_by_role("link", name="Back to the current quarter").click()
    expect(page.get_by_test_id("waiting-elsewhere")).to_contain_text(f"{target}:")
    screenshot(page, "journey-cco-sign-offs-other-quarters")
