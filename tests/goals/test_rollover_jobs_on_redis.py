"""The roll-over job end to end: queued by the page's service, sent through the real Redis broker, run by a real
worker on PostgreSQL. Skipped with a reason without REDIS_URL/DATABASE_URL; CI sets both."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from goals.models import Goal
from scoring.models import RollOverJob
from scoring.rollover_jobs import roll_over_job_create
from tests.rollover_org import build_org, next_quarter

pytestmark = pytest.mark.services


def test_a_worker_runs_the_queued_roll_over_and_the_job_ends_done(
    celery_worker_on_redis, period, department, other_department, head, cco_user
):
    org = build_org(period=period, department=department, other_department=other_department, head=head, cco=cco_user)
    target = next_quarter()

    with transaction.atomic():  # a real commit: the job is sent only after it
        job = roll_over_job_create(actor=cco_user, source=org.period, target=target)
    assert RollOverJob.objects.get(pk=job.pk).state in ("queued", "running", "done")

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in ("done", "failed"):
            break
        time.sleep(0.2)
    assert (job.state, job.error) == ("done", "")
    assert job.worker and job.attempts == 1, "run by the worker, once"
    assert job.result["counts"]["goals_created"] == 5
    assert Goal.objects.filter(period=target).count() == 5
