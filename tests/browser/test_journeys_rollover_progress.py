"""A roll-over that is still running, in a real browser: its page says how many goals are copied so far and keeps
asking (htmx) until the run is over. The run itself is not started: at 2,000 departments it takes minutes, and its
progress reaches the page through the cache (scoring.rollover_jobs), which the test fills as the run would."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from goals.models import Period
from scoring.models import RollOverJob
from scoring.rollover_jobs import _keep_progress
from tests.browser.conftest import screenshot


def test_the_cco_watches_a_long_roll_over_count_its_goals(page, login, app_url):
    current = Period.objects.get(is_current=True)
    target = Period.objects.get(start=current.end)
    job = RollOverJob.objects.create(
        requested_by=get_user_model().objects.get(username="cco"), source=current, target=target,
        state="running", started_at=timezone.now(), attempts=1,
    )  # fmt: skip
    _keep_progress(job.pk, 12_500, 29_205)
    login("cco")

    page.goto(f"{app_url}/periods/{target.pk}/roll-over/jobs/{job.pk}/")

    state = page.get_by_test_id("roll-over-job")
    expect(state).to_have_attribute("data-state", "running")
    expect(page.get_by_label("12,500 of 29,205 goals copied")).to_have_attribute("value", "12500")
    screenshot(page, "journey-cco-roll-over-running")
    _keep_progress(job.pk, 25_000, 29_205)  # the page asks again every 2 s
    expect(page.get_by_test_id("roll-over-progress")).to_contain_text("25,000 of 29,205 goals copied", timeout=6000)
