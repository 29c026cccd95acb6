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
