"""Celery tasks: thin wrappers that take ids and call services.

Every task is safe to run twice or concurrently, so the broker may deliver a message again after a worker
died; transient failures (a database restart, a dropped connection) are retried with backoff.
"""

from __future__ import annotations

from functools import partial

from celery import shared_task
from django.conf import settings

from cco.recompute import RECOMPUTE_TASK, clear_pending
from mandates.services import empowerment_refresh

from .heartbeat import heartbeats_prune  # importing it connects the heartbeat to the worker's start and stop
from .jobs import RUN_JOB_TASK, RUN_ROLL_OVER_TASK, TRANSIENT_ERRORS, recompute_job_run, recompute_jobs_recover
from .rollover_jobs import roll_over_job_run
from .snapshots import owed_recompute, recomputes_owed, scores_recompute

RETRY = {"autoretry_for": TRANSIENT_ERRORS, "retry_backoff": 1, "retry_backoff_max": 30, "max_retries": 8}


@shared_task(name=RECOMPUTE_TASK, acks_late=True, **RETRY)
def recompute_scores(department_id: int | None = None, *, full: bool = False) -> dict:
    """Score the changes owed (every department, with `full`). `department_id` is what older releases sent; the
    owed requests in the database now say what to score."""
    clear_pending()
    outcome = scores_recompute() if full else owed_recompute()
    if full or outcome["settled"]:  # a task that found nothing owed has nothing new for the checklist either
        empowerment_refresh()
    return outcome


@shared_task(name="scoring.reconcile_scores", acks_late=True, **RETRY)
def reconcile_scores(force: bool = False) -> dict:
    """Periodic: score the changes whose recompute never ran (saved while the broker was down, or their worker
    died), send again the jobs (recomputes, roll-overs) whose worker died, forget workers long gone; with `force`,
    recompute regardless."""
    outcome = recompute_jobs_recover() | {"pruned_heartbeats": heartbeats_prune()}
    if force or recomputes_owed(older_than=settings.RECOMPUTE_RECONCILE_GRACE_SECONDS):
        outcome |= recompute_scores.run(full=force)
    return outcome


@shared_task(bind=True, name=RUN_JOB_TASK, acks_late=True, **RETRY)
def run_recompute_job(self, job_id: str) -> str:
    """Run a recompute asked for through the API and keep its outcome on the job; returns the final state."""
    return recompute_job_run(
        job_id=job_id,
        worker=self.request.hostname or "",
        recompute=partial(recompute_scores.run, full=True),
        may_retry=self.request.retries < self.max_retries,
    )


@shared_task(bind=True, name=RUN_ROLL_OVER_TASK, acks_late=True, **RETRY)
def run_roll_over_job(self, job_id: str) -> str:
    """Run a queued quarter roll-over and keep its outcome (or why it failed) on the job; returns the final state."""
    return roll_over_job_run(
        job_id=job_id, worker=self.request.hostname or "", may_retry=self.request.retries < self.max_retries
    )
