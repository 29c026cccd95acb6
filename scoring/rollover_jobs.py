"""A quarter's roll-over as a job: queued by the CCO from the page, the API (or run directly by `manage.py
roll_over`), run by a worker, followed by id.

At 2,000 departments the run takes minutes (docs/performance.md), far past the 30 s a request may last, so the
request only checks and queues it. The rules are asked twice: when queued (who asks, and the quick refusals of
goals.rollover.roll_over_check) and again by the run itself, with every model's rules, in one transaction that also
marks the job done: a failure saves nothing and the job keeps the reason. One roll-over into a period may be open
(queued or running) at a time: a partial unique index holds that even for two requests at the same instant.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from cco.cache_outage import CACHE_ERRORS, warn_unreachable
from cco.permissions import ensure_can
from cco.wording import person
from goals.models import Period
from goals.rollover import period_roll_over, roll_over_check

from .jobs import job_run, job_send
from .models import OPEN_STATES, RollOverJob

logger = logging.getLogger(__name__)
PROGRESS_SECONDS = 3600  # a run's progress is kept this long after its last report


class RollOverAlreadyOpen(ValidationError):
    """Refused because another roll-over into the same period is still queued or running: `job` is that one."""

    def __init__(self, job: RollOverJob):
        self.job = job
        who = person(job.requested_by) if job.requested_by else "someone who has since left"
        super().__init__(
            f"A roll-over into {job.target} is already {job.get_state_display().lower()} (asked for by {who} at "
            f"{job.created_at:%-d %b %Y %H:%M}); follow it on its page, and ask again once it has finished."
        )


@transaction.atomic
def roll_over_job_create(
    *, actor, source: Period, target: Period, objective_ids: Iterable[int] | None = None
) -> RollOverJob:
    """Queue the roll-over of `source` into `target` (the CCO, admins); a worker runs it once this commits.

    Raises PermissionDenied, ValidationError by field (goals.rollover.roll_over_check) or RollOverAlreadyOpen."""
    ensure_can(actor, "change_period")
    roll_over_check(source=source, target=target, objective_ids=objective_ids)
    chosen = None if objective_ids is None else sorted(set(objective_ids))
    if (open_job := open_roll_over_job(target)) is not None:
        raise RollOverAlreadyOpen(open_job)
    try:
        with transaction.atomic():  # the index refuses a second open job; only this savepoint is rolled back
            job = RollOverJob.objects.create(requested_by=actor, source=source, target=target, objective_ids=chosen)
    except IntegrityError as error:
        if (open_job := open_roll_over_job(target)) is None:
            raise
        raise RollOverAlreadyOpen(open_job) from error
    transaction.on_commit(partial(job_send, RollOverJob, job_id=str(job.pk)))
    return job


def open_roll_over_job(target: Period) -> RollOverJob | None:
    """The roll-over into `target` still queued or running, if any."""
    return (
        RollOverJob.objects.select_related("requested_by", "target")
        .filter(target=target, state__in=OPEN_STATES)
        .first()
    )


def roll_over_job_run(*, job_id: str, worker: str, may_retry: bool) -> str:
    """Run the queued roll-over as the person who asked for it (their permission asked again); its outcome, in the
    shape `roll_over_result` gives, is kept on the job with `done` in the run's own transaction."""

    def work() -> dict:
        job = RollOverJob.objects.select_related("requested_by", "source", "target").get(pk=job_id)
        if job.requested_by is None:
            raise PermissionDenied("The person who asked for this roll-over no longer has an account.")
        outcome = period_roll_over(
            actor=job.requested_by,
            source=job.source,
            target=job.target,
            objective_ids=job.objective_ids,
            progress=partial(_keep_progress, job_id),
        )
        return roll_over_result(job.source, job.target, outcome.counts)

    return job_run(RollOverJob, job_id=job_id, worker=worker, work=work, may_retry=may_retry, atomic=True)


def roll_over_progress(job_id) -> tuple[int, int] | None:
    """(goals copied, goals to copy) of a running job's current attempt as it last reported them, or None (not
    started, or the cache cannot be reached: the page then says only that it runs)."""
    try:
        return cache.get(_progress_key(job_id))
    except CACHE_ERRORS as exc:
        warn_unreachable(logger, "A roll-over's progress is not shown", exc)
        return None


def _keep_progress(job_id, copied: int, total: int) -> None:
    """Kept in the cache, not the database: the run's transaction shows nothing to others before it commits."""
    try:
        cache.set(_progress_key(job_id), (copied, total), timeout=PROGRESS_SECONDS)
    except CACHE_ERRORS as exc:
        warn_unreachable(logger, "A roll-over's progress is not kept", exc)


def _progress_key(job_id) -> str:
    return f"cco:roll-over-progress:{job_id}"


def roll_over_result(source: Period, target: Period, counts: dict[str, int]) -> dict:
    """What a finished roll-over reports: the two periods and the plan's counts (what the API answered before)."""
    return {
        "source": {"id": source.pk, "name": source.name},
        "target": {"id": target.pk, "name": target.name},
        "counts": counts,
    }
