"""Recompute jobs tell the truth: done with the counts, failed with the error, back in the queue when their worker
died, retried through transient failures, and run once however often their message is delivered."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from scoring.jobs import recompute_job_run, recompute_jobs_recover
from scoring.models import RecomputeJob, WorkerHeartbeat

pytestmark = pytest.mark.django_db


def run(job, recompute=lambda: {"snapshots": 3}, *, worker="w1@host", may_retry=False):
    return recompute_job_run(job_id=str(job.pk), worker=worker, recompute=recompute, may_retry=may_retry)


def test_a_job_that_runs_keeps_its_outcome(cco_user):
    job = RecomputeJob.objects.create(requested_by=cco_user)
    assert run(job) == "done"
    job.refresh_from_db()
    assert (job.state, job.result, job.worker, job.attempts) == ("done", {"snapshots": 3}, "w1@host", 1)
    assert job.started_at <= job.finished_at


def test_a_job_whose_recompute_fails_says_why(cco_user):
    job = RecomputeJob.objects.create(requested_by=cco_user)

    def broken():
        raise RuntimeError("engine bug")

    assert run(job, broken) == "failed"
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.error == "RuntimeError: engine bug"


def test_a_transient_failure_is_raised_for_a_retry_and_the_job_stays_running(cco_user):
    job = RecomputeJob.objects.create(requested_by=cco_user)

    def database_restarting():
        raise OperationalError("terminating connection due to administrator command")

    with pytest.raises(OperationalError):
        run(job, database_restarting, may_retry=True)
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("running", 1)

    assert run(job) == "done", "the retry runs it"
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("done", 2)


def test_a_transient_failure_with_no_retries_left_fails_the_job(cco_user):
    job = RecomputeJob.objects.create(requested_by=cco_user)

    def database_down():
        raise OperationalError("could not connect to server")

    assert run(job, database_down, may_retry=False) == "failed"
    job.refresh_from_db()
    assert job.error.startswith("OperationalError")


def test_a_job_delivered_again_after_it_finished_does_not_run_again(cco_user):
    job = RecomputeJob.objects.create(requested_by=cco_user)
    run(job)
    calls = []
    assert run(job, lambda: calls.append(1) or {}) == "done"
    assert calls == []
    job.refresh_from_db()
    assert job.attempts == 1


def test_an_unknown_job_is_reported_missing():
    assert (
        recompute_job_run(job_id="00000000-0000-0000-0000-000000000000", worker="", recompute=dict, may_retry=False)
        == "missing"
    )


@pytest.fixture
def heartbeats(settings):
    settings.WORKER_HEARTBEAT_SECONDS = 10
    settings.WORKER_STALE_SECONDS = 45

    def beat(hostname, *, started_ago, seen_ago):
        now = timezone.now()
        return WorkerHeartbeat.objects.create(
            hostname=hostname,
            pid=1,
            started_at=now - timedelta(seconds=started_ago),
            seen_at=now - timedelta(seconds=seen_ago),
        )

    return beat


def running_job(user, worker, started_ago):
    return RecomputeJob.objects.create(
        requested_by=user, state="running", worker=worker, started_at=timezone.now() - timedelta(seconds=started_ago)
    )


def test_a_running_job_whose_worker_stopped_beating_is_queued_again(cco_user, heartbeats,
                                                                    django_capture_on_commit_callbacks):  # fmt: skip
    heartbeats("dead@host", started_ago=600, seen_ago=120)
    job = running_job(cco_user, "dead@host", started_ago=130)

    with django_capture_on_commit_callbacks() as sent:
        assert recompute_jobs_recover()["requeued_jobs"] == 1

    job.refresh_from_db()
    assert job.state == "queued" and "dead@host" in job.error
    assert [callback.keywords for callback in sent] == [{"job_id": str(job.pk)}]


def test_a_running_job_whose_worker_restarted_since_is_queued_again(cco_user, heartbeats):
    heartbeats("restarted@host", started_ago=5, seen_ago=1)  # killed and brought back by its supervisor
    job = running_job(cco_user, "restarted@host", started_ago=20)
    assert recompute_jobs_recover()["requeued_jobs"] == 1
    job.refresh_from_db()
    assert job.state == "queued"


def test_a_running_job_of_a_live_worker_is_left_alone(cco_user, heartbeats):
    heartbeats("busy@host", started_ago=600, seen_ago=3)
    job = running_job(cco_user, "busy@host", started_ago=300)
    assert recompute_jobs_recover()["requeued_jobs"] == 0
    job.refresh_from_db()
    assert job.state == "running"


def test_a_job_no_worker_takes_in_half_an_hour_fails_with_the_reason(cco_user):
    stuck = RecomputeJob.objects.create(requested_by=cco_user)
    RecomputeJob.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=2))
    recent = RecomputeJob.objects.create(requested_by=cco_user)

    assert recompute_jobs_recover()["expired_jobs"] == 1

    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert stuck.state == "failed" and "No worker took it" in stuck.error
    assert recent.state == "queued"


def test_the_reconcile_forgets_workers_gone_for_a_day_and_keeps_the_others(heartbeats):
    from scoring.tasks import reconcile_scores

    heartbeats("killed@host", started_ago=3 * 86400, seen_ago=2 * 86400)
    heartbeats("alive@host", started_ago=600, seen_ago=5)

    assert reconcile_scores()["pruned_heartbeats"] == 1
    assert list(WorkerHeartbeat.objects.values_list("hostname", flat=True)) == ["alive@host"]
