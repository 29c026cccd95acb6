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
from django.db.models import Subquery
from django.utils import timezone

from cco.models import RecomputeRequest
from cco.recompute import recompute_queued
from mandates.models import EmpowermentSnapshot

from .models import AlignmentScore, WorkerHeartbeat


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


@dataclass(frozen=True)
class Moments:
    """What the scores' freshness is told from, read together: one query once anything has been scored."""

    last_score_id: int | None  # the snapshot stored last (stores are serialised, so every store moves it)
    scored_at: datetime | None  # when that snapshot was computed
    empowered_at: datetime | None  # the newest empowerment evaluation
    owed_since: datetime | None  # the oldest change no recompute has scored yet
    worker_seen_at: datetime | None


def moments() -> Moments:
    """Read on every view of the dashboard and every poll of its status line, so in one round trip: the others hang
    on the newest snapshot as subqueries (three small queries when nothing has been scored yet)."""
    owed = RecomputeRequest.objects.order_by("requested_at").values("requested_at")[:1]
    seen = WorkerHeartbeat.objects.order_by("-seen_at").values("seen_at")[:1]
    empowered = EmpowermentSnapshot.objects.order_by("-computed_at").values("computed_at")[:1]
    row = (
        AlignmentScore.objects.order_by("-pk")
        .annotate(empowered_at=Subquery(empowered), owed_since=Subquery(owed), seen_at=Subquery(seen))
        .values_list("pk", "computed_at", "empowered_at", "owed_since", "seen_at")
        .first()
    )
    if row is None:
        return Moments(None, None, empowered.values_list("computed_at", flat=True).first(),
                       owed.values_list("requested_at", flat=True).first(), worker_seen_at())  # fmt: skip
    return Moments(*row)


def scoring_health(read: Moments) -> ScoringHealth:
    """From `read` and one Redis call (none in the embedded mode)."""
    now = timezone.now()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return ScoringHealth(False, True, False, None, None, now)
    try:
        queued, reachable = recompute_queued(), True
    except redis.RedisError:
        queued, reachable = False, False
    return ScoringHealth(True, reachable, queued, read.owed_since, read.worker_seen_at, now)
