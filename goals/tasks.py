"""Celery tasks: thin wrappers that take ids and call services."""

from __future__ import annotations

from celery import shared_task

from mandates.services import empowerment_refresh

from .jobs import recompute_job_run, recompute_jobs_expire
from .recompute import clear_pending
from .scoring import scores_recompute


@shared_task(name="goals.recompute_scores", acks_late=True, autoretry_for=(OSError,), max_retries=3)
def recompute_scores(department_id: int | None = None) -> dict:
    """Recompute after a change in `department_id`'s inputs; safe to run twice or concurrently."""
    clear_pending(department_id)
    outcome = scores_recompute()
    empowerment_refresh()
    return outcome


@shared_task(name="goals.reconcile_scores", acks_late=True)
def reconcile_scores() -> dict:
    """Periodic: score whatever changed since the last snapshots, e.g. edits saved while the broker was down,
    and close recompute jobs no worker finished."""
    outcome = recompute_scores.run()
    return {**outcome, "expired_jobs": recompute_jobs_expire()}


@shared_task(name="goals.run_recompute_job", acks_late=True)
def run_recompute_job(job_id: str) -> str:
    """Run a recompute asked for through the API and keep its outcome on the job; returns the final state."""
    return recompute_job_run(job_id=job_id, recompute=recompute_scores.run)
