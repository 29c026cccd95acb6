"""The roll-over runs as a job the page waits on: the POST queues it and redirects to its page, which polls (htmx,
no inline script) while queued or running and then shows what was carried, or why nothing was."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from goals.models import Goal
from scoring.models import RollOverJob
from tests.factories import GoalFactory
from tests.rollover_org import next_quarter

pytestmark = pytest.mark.django_db


def page(target) -> str:
    return reverse("period-roll-over", args=[target.pk])


def job_page(job) -> str:
    return reverse("period-roll-over-job", args=[job.target_id, job.pk])


def test_the_post_queues_a_job_whose_page_polls_until_it_has_run(
    rolled, client, cco_user, django_capture_on_commit_callbacks
):
    target = next_quarter()
    client.force_login(cco_user)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(page(target), {"source": rolled.period.pk, "objectives": [rolled.happier.pk]})
    job = RollOverJob.objects.get()
    assert response.status_code == 302 and response.url == job_page(job)

    waiting = client.get(response.url).content.decode()
    assert 'data-state="queued"' in waiting and 'hx-trigger="every 2s"' in waiting
    assert f'hx-get="{job_page(job)}"' in waiting
    assert not Goal.objects.filter(period=target).exists()

    for send in queued:
        send()
    polled = client.get(response.url, headers={"HX-Request": "true"})
    html = polled.content.decode()
    assert "<html" not in html, "htmx gets the status part alone"
    assert 'data-state="done"' in html and "hx-trigger" not in html, "done: the polling stops"
    assert f"Rolled {rolled.period} over into {target}: 1 objective(s) and 5 goal(s) created" in html
    assert Goal.objects.filter(period=target).count() == 5


def test_a_failed_run_saves_nothing_and_its_page_says_why(
    rolled, client, cco_user, department, django_capture_on_commit_callbacks
):
    target = next_quarter()
    GoalFactory(department=department, period=target, title="Something new", weight=Decimal(80))
    client.force_login(cco_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page(target), {"source": rolled.period.pk, "objectives": [rolled.happier.pk]})

    html = client.get(response.url).content.decode()
    assert "Failed: nothing was saved." in html
    assert "would weigh 120 (other goals already 80); the total may not exceed 100." in html
    assert list(Goal.objects.filter(period=target).values_list("title", flat=True)) == ["Something new"]


def test_a_second_roll_over_is_refused_with_a_link_to_the_one_under_way(
    rolled, client, cco_user, admin_user, django_capture_on_commit_callbacks
):
    target = next_quarter()
    client.force_login(cco_user)
    with django_capture_on_commit_callbacks():  # queued, no worker has taken it yet
        client.post(page(target), {"source": rolled.period.pk, "objectives": [rolled.happier.pk]})
    first = RollOverJob.objects.get()

    client.force_login(admin_user)
    response = client.post(page(target), {"source": rolled.period.pk, "objectives": [rolled.happier.pk]})

    assert response.status_code == 400
    html = response.content.decode()
    assert f"A roll-over into {target} is already queued" in html
    assert f'href="{job_page(first)}"' in html
    assert RollOverJob.objects.count() == 1


@pytest.mark.parametrize("role", ["head", "executive"])
def test_heads_and_executives_can_neither_queue_a_roll_over_nor_see_one(
    rolled, client, cco_user, head, executive, role, django_capture_on_commit_callbacks
):
    target = next_quarter()
    client.force_login(cco_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(target), {"source": rolled.period.pk, "objectives": [rolled.happier.pk]})
    job = RollOverJob.objects.get()

    client.force_login({"head": head, "executive": executive}[role])
    assert client.post(page(target), {"source": rolled.period.pk}).status_code == 403
    assert client.get(job_page(job)).status_code == 403
    assert RollOverJob.objects.count() == 1


def test_a_job_is_shown_only_under_its_own_period(rolled, client, cco_user, period, django_capture_on_commit_callbacks):
    target = next_quarter()
    client.force_login(cco_user)
    with django_capture_on_commit_callbacks():
        client.post(page(target), {"source": rolled.period.pk, "objectives": [rolled.happier.pk]})
    job = RollOverJob.objects.get()
    assert client.get(reverse("period-roll-over-job", args=[period.pk, job.pk])).status_code == 404


def test_a_running_job_says_how_many_goals_are_copied_so_far(
    rolled, client, cco_user, django_capture_on_commit_callbacks
):
    """The run's transaction shows nothing before it commits; its progress reaches the page through the cache."""
    from django.utils import timezone

    from scoring.rollover_jobs import _keep_progress

    target = next_quarter()
    client.force_login(cco_user)
    with django_capture_on_commit_callbacks():
        response = client.post(page(target), {"source": rolled.period.pk, "objectives": [rolled.happier.pk]})
    job = RollOverJob.objects.get()
    RollOverJob.objects.filter(pk=job.pk).update(state="running", started_at=timezone.now(), attempts=1)
    assert 'data-testid="roll-over-progress"' not in client.get(response.url).content.decode(), "nothing heard yet"

    _keep_progress(job.pk, 1250, 29205)
    html = client.get(response.url, headers={"HX-Request": "true"}).content.decode()

    assert "1,250 of 29,205 goals copied" in html
    assert '<progress id="roll-over-progress-bar" max="29205" value="1250">' in html
    api = client.get(f"/api/v1/periods/{target.pk}/roll-over/jobs/{job.pk}/").json()
    assert api["progress"] == {"goals_copied": 1250, "goals_total": 29205}
