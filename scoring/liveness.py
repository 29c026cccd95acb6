"""Is anything scoring changes right now? What the dashboard and /healthz say about the scores' freshness.

Scores are only as fresh as the pipeline behind them: a change is saved, a message goes through Redis, a
worker recomputes. When any of these is missing, people must be told that the scores on screen may be out of
date instead of "computed 3 min ago" or a spinner that never stops. Workers prove they are alive with a
heartbeat in the database (scoring.heartbeat), which stays readable when Redis is the part that is down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import redis
from django.conf import settings
from django.utils import timezone

from cco.models import RecomputeRequest
from cco.recompute import recompute_queued

from .models import WorkerHeartbeat


@dataclass(frozen=True)
class ScoringHealth:
    queued_mode: bool  # False: no broker, the web process scores every change itself (the embedded default)
    broker_reachable: bool
    queued: bool  # a recompute message is waiting for a worker
    owed_since: datetime | None  # when the oldest change no recompute has scored yet was saved
    worker_seen_at: datetime | None
    checked_at: datetime

    @property
    def worker_alive(self) -> bool:
        return not self.queued_mode or heartbeat_is_fresh(self.worker_seen_at, self.checked_at)

    @property
    def pending(self) -> bool:
        """A recompute is on its way: worth the "recomputing…" state only when something can run it."""
        return self.queued or self.owed_since is not None

    @property
    def warning(self) -> str | None:
        """One sentence for people when the scores on screen may be out of date; None when they can trust them."""
        if not self.queued_mode:
            return None
        if not self.broker_reachable:
            return "The task queue cannot be reached: changes are saved, but scores will not update until it is back."
        if not self.worker_alive:
            return "No scoring worker is running: changes are saved, but scores will not update until one runs again."
        grace = timedelta(seconds=settings.RECOMPUTE_RECONCILE_GRACE_SECONDS)
        if self.owed_since is not None and self.checked_at - self.owed_since > grace:
            return "Some changes are still waiting to be scored: the scores below may be out of date."
        return None


def worker_seen_at() -> datetime | None:
    """The newest heartbeat of any worker."""
    return WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def heartbeat_is_fresh(seen_at: datetime | None, now: datetime) -> bool:
    return seen_at is not None and now - seen_at <= timedelta(seconds=settings.WORKER_STALE_SECONDS)


def scoring_health() -> ScoringHealth:
    """Two small queries and one Redis call (none of them in the embedded mode)."""
    now = timezone.now()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return ScoringHealth(False, True, False, None, None, now)
    try:
        queued, reachable = recompute_queued(), True
    except redis.RedisError:
        queued, reachable = False, False
    owed_since = RecomputeRequest.objects.order_by("requested_at").values_list("requested_at", flat=True).first()
    return ScoringHealth(True, reachable, queued, owed_since, worker_seen_at(), now)
