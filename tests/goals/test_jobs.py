"""Recompute jobs keep their outcome: done with the counts, or failed with the error."""

import pytest

from goals.jobs import recompute_job_run
from goals.models import RecomputeJob

pytestmark = pytest.mark.django_db


def test_a_job_that_runs_keeps_its_outcome(cco_user):
    job = RecomputeJob.objects.create(requested_by=cco_user)
    assert recompute_job_run(job_id=str(job.pk), recompute=lambda: {"snapshots": 3}) == "done"
    job.refresh_from_db()
    assert (job.state, job.result) == ("done", {"snapshots": 3})
    assert job.started_at <= job.finished_at


def test_a_job_whose_recompute_fails_says_why(cco_user):
    job = RecomputeJob.objects.create(requested_by=cco_user)

    def broken():
        raise RuntimeError("database went away")

    assert recompute_job_run(job_id=str(job.pk), recompute=broken) == "failed"
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.error == "RuntimeError: database went away"


def test_an_unknown_job_is_reported_missing():
    assert recompute_job_run(job_id="00000000-0000-0000-0000-000000000000", recompute=dict) == "missing"


def test_reconcile_closes_jobs_no_worker_finished(cco_user):
    from datetime import timedelta

    from django.utils import timezone

    from goals.tasks import reconcile_scores

    stuck = RecomputeJob.objects.create(requested_by=cco_user, state="running")
    RecomputeJob.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=2))
    recent = RecomputeJob.objects.create(requested_by=cco_user, state="queued")

    assert reconcile_scores()["expired_jobs"] == 1

    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert stuck.state == "failed" and "No worker finished it" in stuck.error
    assert recent.state == "queued"
