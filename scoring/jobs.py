"""Full recomputes asked for through the API: a job row the caller can follow, run by a worker.

A job's state tells the truth: `running` only while a live worker runs it. A job whose worker died (its
heartbeat went stale, or the worker restarted since the job started) goes back to `queued` and is sent again by
the periodic reconcile; a job no worker takes within QUEUED_TIMEOUT fails with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from cco.celery import app as celery_app
from cco.permissions import ensure_can

from .models import RecomputeJob, RecomputeJobState, WorkerHeartbeat

logger = logging.getLogger(__name__)
RUN_JOB_TASK = "scoring.run_recompute_job"  # tasks.py; sent by name because the task module imports this one
QUEUED_TIMEOUT = timedelta(minutes=30)
# Failures that go away by themselves (a database restart, a dropped connection): the task is tried again.
TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)


@transaction.atomic
def recompute_job_create(*, actor) -> RecomputeJob:
    """Queue a full recompute (CCO, admin); the job is sent to a worker once this transaction commits."""
    ensure_can(actor, "recompute_scores")
    job = RecomputeJob.objects.create(requested_by=actor)
    transaction.on_commit(partial(_send_recompute_job, job_id=str(job.pk)))
    return job


def _send_recompute_job(*, job_id: str) -> None:
    try:
        celery_app.tasks[RUN_JOB_TASK].apply_async(args=[job_id], retry=False)
        return
    except (OSError, BrokerError) as exc:
        logger.warning("Recompute job %s not queued: %s", job_id, exc)
        reason = f"Not queued: the task queue cannot be reached ({exc.__class__.__name__}). Ask again later."
    except Exception as exc:  # runs after the commit: the job is saved, so this must never become an error
        logger.exception("Recompute job %s not queued", job_id)
        reason = f"Not queued: {exc.__class__.__name__}: {exc}"
    RecomputeJob.objects.filter(pk=job_id).update(
        state=RecomputeJobState.FAILED, finished_at=timezone.now(), error=reason
    )


def recompute_job_run(*, job_id: str, worker: str, recompute: Callable[[], dict], may_retry: bool) -> str:
    """Mark the job running on `worker`, run `recompute`, and keep its outcome (or its error) on the job.

    Returns the job's state. A job already done or failed is left alone (a message delivered twice runs once).
    A transient error is raised again while `may_retry`, so the task retries with the job still running.
    """
    jobs = RecomputeJob.objects.filter(pk=job_id)
    started = jobs.filter(state__in=[RecomputeJobState.QUEUED, RecomputeJobState.RUNNING]).update(
        state=RecomputeJobState.RUNNING, started_at=timezone.now(), worker=worker, attempts=F("attempts") + 1
    )
    if not started:
        return jobs.values_list("state", flat=True).first() or "missing"
    try:
        outcome = recompute()
    except Exception as exc:
        if may_retry and isinstance(exc, TRANSIENT_ERRORS):
            raise
        logger.exception("Recompute job %s failed", job_id)
        jobs.update(
            state=RecomputeJobState.FAILED, finished_at=timezone.now(), error=f"{exc.__class__.__name__}: {exc}"
        )
        return RecomputeJobState.FAILED
    jobs.update(state=RecomputeJobState.DONE, finished_at=timezone.now(), result=outcome, error="")
    return RecomputeJobState.DONE


def recompute_jobs_recover(*, now: datetime | None = None) -> dict[str, int]:
    """Send again the running jobs whose worker is gone, and fail the jobs no worker took in time."""
    now = now or timezone.now()
    requeued = 0
    if settings.WORKER_HEARTBEAT_SECONDS:
        stale = now - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        running = list(RecomputeJob.objects.filter(state=RecomputeJobState.RUNNING))
        beats = {b.hostname: b for b in WorkerHeartbeat.objects.filter(hostname__in=[j.worker for j in running])}
        for job in running:
            if not _worker_gone(job, beats.get(job.worker), stale):
                continue
            reason = f"Its worker ({job.worker or 'unknown'}) stopped before finishing; queued again."
            if RecomputeJob.objects.filter(pk=job.pk, state=RecomputeJobState.RUNNING).update(
                state=RecomputeJobState.QUEUED, error=reason
            ):
                requeued += 1
                transaction.on_commit(partial(_send_recompute_job, job_id=str(job.pk)))
    expired = RecomputeJob.objects.filter(state=RecomputeJobState.QUEUED, created_at__lt=now - QUEUED_TIMEOUT).update(
        state=RecomputeJobState.FAILED,
        finished_at=now,
        error=f"No worker took it within {QUEUED_TIMEOUT}; ask again once a worker runs.",
    )
    return {"requeued_jobs": requeued, "expired_jobs": expired}


def _worker_gone(job: RecomputeJob, beat: WorkerHeartbeat | None, stale: datetime) -> bool:
    if beat is None:  # stopped cleanly, or never wrote a heartbeat
        return job.started_at is None or job.started_at < stale
    return beat.seen_at < stale or (job.started_at is not None and beat.started_at > job.started_at)
