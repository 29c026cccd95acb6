"""Full recomputes asked for through the API: a job row the caller can follow, run by a worker."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from cco.permissions import ensure_can

from .models import RecomputeJob, RecomputeJobState

logger = logging.getLogger(__name__)
STUCK_AFTER = timedelta(minutes=30)


@transaction.atomic
def recompute_job_create(*, actor) -> RecomputeJob:
    """Queue a full recompute (CCO, admin); the job is sent to a worker once this transaction commits."""
    ensure_can(actor, "recompute_scores")
    job = RecomputeJob.objects.create(requested_by=actor)
    transaction.on_commit(partial(_send_recompute_job, job_id=str(job.pk)))
    return job


def _send_recompute_job(*, job_id: str) -> None:
    from .tasks import run_recompute_job  # the task module imports this one

    try:
        run_recompute_job.delay(job_id)
    except (OSError, OperationalError) as exc:
        RecomputeJob.objects.filter(pk=job_id).update(
            state=RecomputeJobState.FAILED, finished_at=timezone.now(), error=f"Not queued: {exc}"
        )


def recompute_job_run(*, job_id: str, recompute: Callable[[], dict]) -> str:
    """Mark the job running, run `recompute`, and keep its outcome (or its error) on the job; returns the state."""
    jobs = RecomputeJob.objects.filter(pk=job_id)
    if not jobs.update(state=RecomputeJobState.RUNNING, started_at=timezone.now()):
        return "missing"
    try:
        outcome = recompute()
    except Exception as exc:  # noqa: BLE001 - the job records any failure for its caller
        logger.exception("Recompute job %s failed", job_id)
        jobs.update(
            state=RecomputeJobState.FAILED, finished_at=timezone.now(), error=f"{exc.__class__.__name__}: {exc}"
        )
        return RecomputeJobState.FAILED
    jobs.update(state=RecomputeJobState.DONE, finished_at=timezone.now(), result=outcome)
    return RecomputeJobState.DONE


def recompute_jobs_expire(*, older_than: timedelta = STUCK_AFTER) -> int:
    """Mark jobs that have been queued or running for longer than `older_than` as failed (their worker died or
    the message was lost); the periodic reconcile rescored whatever they were for. Returns how many."""
    cutoff = timezone.now() - older_than
    return RecomputeJob.objects.filter(
        state__in=[RecomputeJobState.QUEUED, RecomputeJobState.RUNNING], created_at__lt=cutoff
    ).update(
        state=RecomputeJobState.FAILED,
        finished_at=timezone.now(),
        error=f"No worker finished it within {older_than}; the periodic reconcile has rescored since.",
    )
