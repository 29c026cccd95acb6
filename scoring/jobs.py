"""Jobs a person asks for and follows by id, run by a worker: full recomputes (through the API) and quarter roll-overs
(scoring.rollover_jobs). One state machine for both.

A job's state tells the truth: `running` only while a live worker runs it. A job whose worker died (its
heartbeat went stale, or the worker restarted since the job started) goes back to `queued` and is sent again by
the periodic reconcile; a job no worker takes within QUEUED_TIMEOUT fails with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from cco.celery import app as celery_app
from cco.permissions import ensure_can

from .models import Job, JobState, RecomputeJob, RollOverJob, WorkerHeartbeat

logger = logging.getLogger(__name__)
RUN_JOB_TASK = "scoring.run_recompute_job"  # tasks.py; sent by name because the task module imports this one
RUN_ROLL_OVER_TASK = "scoring.run_roll_over_job"
TASKS: dict[type[Job], str] = {RecomputeJob: RUN_JOB_TASK, RollOverJob: RUN_ROLL_OVER_TASK}
QUEUED_TIMEOUT = timedelta(minutes=30)
# Failures that go away by themselves (a database restart, a dropped connection): the task is tried again.
TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)


@transaction.atomic
def recompute_job_create(*, actor) -> RecomputeJob:
    """Queue a full recompute (CCO, admin); the job is sent to a worker once this transaction commits."""
    ensure_can(actor, "recompute_scores")
    job = RecomputeJob.objects.create(requested_by=actor)
    transaction.on_commit(partial(job_send, RecomputeJob, job_id=str(job.pk)))
    return job


def job_send(model: type[Job], *, job_id: str) -> None:
    """Send the job to a worker (run after commit). A broker that cannot be reached fails the job with the reason."""
    try:
        celery_app.tasks[TASKS[model]].apply_async(args=[job_id], retry=False)
        return
    except (OSError, BrokerError) as exc:
        logger.warning("%s %s not queued: %s", model.__name__, job_id, exc)
        reason = f"Not queued: the task queue cannot be reached ({exc.__class__.__name__}). Ask again later."
    except Exception as exc:  # runs after the commit: the job is saved, so this must never become an error
        logger.exception("%s %s not queued", model.__name__, job_id)
        reason = f"Not queued: {exc.__class__.__name__}: {exc}"
    model.objects.filter(pk=job_id, state__in=[JobState.QUEUED, JobState.RUNNING]).update(
        state=JobState.FAILED, finished_at=timezone.now(), error=reason
    )


def recompute_job_run(*, job_id: str, worker: str, recompute: Callable[[], dict], may_retry: bool) -> str:
    """Run a recompute job (job_run)."""
    return job_run(RecomputeJob, job_id=job_id, worker=worker, work=recompute, may_retry=may_retry)


def job_run(
    model: type[Job], *, job_id: str, worker: str, work: Callable[[], dict], may_retry: bool, atomic: bool = False
) -> str:
    """Mark the job running on `worker`, run `work`, and keep its outcome (or why it failed) on the job.

    Returns the job's state. A job already done or failed is left alone (a message delivered twice runs once).
    A transient error is raised again while `may_retry`, so the task retries with the job still running.
    With `atomic`, the work and the job's `done` commit together: a worker that dies in between leaves neither.
    """
    jobs = model.objects.filter(pk=job_id)
    started = jobs.filter(state__in=[JobState.QUEUED, JobState.RUNNING]).update(
        state=JobState.RUNNING, started_at=timezone.now(), worker=worker, attempts=F("attempts") + 1
    )
    if not started:
        return jobs.values_list("state", flat=True).first() or "missing"
    try:
        with transaction.atomic() if atomic else nullcontext():
            outcome = work()
            jobs.update(state=JobState.DONE, finished_at=timezone.now(), result=outcome, error="")
    except Exception as exc:
        if may_retry and isinstance(exc, TRANSIENT_ERRORS):
            raise
        if isinstance(exc, ValidationError | PermissionDenied):
            logger.info("%s %s refused: %s", model.__name__, job_id, exc)
        else:
            logger.exception("%s %s failed", model.__name__, job_id)
        jobs.update(state=JobState.FAILED, finished_at=timezone.now(), error=failure_reason(exc))
        return JobState.FAILED
    return JobState.DONE


def failure_reason(exc: Exception) -> str:
    """What a person reads on the job: a rule's own messages, else the error's type and text."""
    if isinstance(exc, ValidationError):
        return " ".join(dict.fromkeys(exc.messages))
    if isinstance(exc, PermissionDenied):
        return str(exc) or "Not allowed."
    return f"{exc.__class__.__name__}: {exc}"


def recompute_jobs_recover(*, now: datetime | None = None) -> dict[str, int]:
    """Send again the running jobs (of every kind) whose worker is gone, and fail the jobs no worker took in time."""
    now = now or timezone.now()
    totals = {"requeued_jobs": 0, "expired_jobs": 0}
    for model in TASKS:
        for name, count in _recover(model, now).items():
            totals[name] += count
    return totals


def _recover(model: type[Job], now: datetime) -> dict[str, int]:
    requeued = 0
    if settings.WORKER_HEARTBEAT_SECONDS:
        stale = now - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        running = list(model.objects.filter(state=JobState.RUNNING))
        beats = {b.hostname: b for b in WorkerHeartbeat.objects.filter(hostname__in=[j.worker for j in running])}
        for job in running:
            if not _worker_gone(job, beats.get(job.worker), stale):
                continue
            reason = f"Its worker ({job.worker or 'unknown'}) stopped before finishing; queued again."
            if model.objects.filter(pk=job.pk, state=JobState.RUNNING).update(state=JobState.QUEUED, error=reason):
                requeued += 1
                transaction.on_commit(partial(job_send, model, job_id=str(job.pk)))
    expired = model.objects.filter(state=JobState.QUEUED, created_at__lt=now - QUEUED_TIMEOUT).update(
        state=JobState.FAILED,
        finished_at=now,
        error=f"No worker took it within {QUEUED_TIMEOUT}; ask again once a worker runs.",
    )
    return {"requeued_jobs": requeued, "expired_jobs": expired}


def _worker_gone(job: Job, beat: WorkerHeartbeat | None, stale: datetime) -> bool:
    if beat is None:  # stopped cleanly, or never wrote a heartbeat
        return job.started_at is None or job.started_at < stale
    return beat.seen_at < stale or (job.started_at is not None and beat.started_at > job.started_at)
