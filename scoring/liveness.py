"""Is anything scoring changes right now? What the dashboard and /healthz say about the scores' freshness.

Scores are only as fresh as the pipeline behind them: a change is saved, a message goes through Redis, a
worker recomputes. When any of these is missing, people must be told that the scores on screen may be out of
date instead of "computed 3 min ago" or a spinner that never stops. Workers prove they are alive with a
heartbeat in the database (scoring.heartbeat), which stays readable when Redis is the part that is down.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cco.after_commit import once_committed, waiting_for_commit
from cco.cache_outage import CACHE_ERRORS, cache_reachable, set_cache_aside
from cco.models import RecomputeRequest
from cco.recompute import recompute_queued
from mandates.models import EmpowermentSnapshot

from .models import AlignmentScore, WorkerHeartbeat

logger = logging.getLogger(__name__)
OUTAGE = "The scores' state is read from the database"
MOMENTS_KEY = "cco:scores-moments:1"  # :1, the shape of Moments: raise it when a field is added
MOMENTS_SECONDS = 5  # bounds a change that escaped moments_changed (a cascade's delete, a write while Redis was down)


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
    """Read on every view of the dashboard and every poll of its status line: kept in the cache for at most
    MOMENTS_SECONDS, and forgotten by every committed write of what they are read from (moments_changed), so a view
    reads them from the database only after a change. A transaction that has written them reads its own."""
    if not cache_reachable() or waiting_for_commit(_forget_moments):
        return read_moments()
    try:
        found = cache.get(MOMENTS_KEY)
    except CACHE_ERRORS as exc:
        set_cache_aside(logger, OUTAGE, exc)
        return read_moments()
    if found is not None:
        return found
    read = read_moments()
    try:
        cache.set(MOMENTS_KEY, read, MOMENTS_SECONDS)
    except CACHE_ERRORS as exc:
        set_cache_aside(logger, OUTAGE, exc)
    return read


def moments_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Forget the kept moments once the current transaction commits (at once outside one; once per transaction)."""
    once_committed(_forget_moments, using)


def _forget_moments() -> None:
    if not cache_reachable():
        return  # kept for at most MOMENTS_SECONDS
    try:
        cache.delete(MOMENTS_KEY)
    except CACHE_ERRORS as exc:
        set_cache_aside(logger, OUTAGE, exc)


def _written(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    moments_changed(using)


def watch_moments() -> None:
    """Saves of what the moments are read from, and deletes of heartbeats and empowerment snapshots, forget them
    (scoring.apps). Snapshots and owed requests are deleted in bulk, by scores_store, which says so itself (and a
    cascade's delete is left to MOMENTS_SECONDS): a receiver of their deletes would make Django read every row first."""
    for model in (AlignmentScore, EmpowermentSnapshot, RecomputeRequest, WorkerHeartbeat):
        post_save.connect(_written, sender=model, dispatch_uid=f"moments-save-{model._meta.label_lower}")
    for model in (EmpowermentSnapshot, WorkerHeartbeat):
        post_delete.connect(_written, sender=model, dispatch_uid=f"moments-delete-{model._meta.label_lower}")


def read_moments() -> Moments:
    """The moments from the database, in one statement whose SQL is written once per process: composing it through
    the ORM cost the dashboard's copy more than all of the rest of its reads."""
    with connection.cursor() as cursor:
        cursor.execute(_moments_sql())
        last_score_id, *times = cursor.fetchone()
    return Moments(last_score_id, *(_moment(value) for value in times))


@functools.cache
def _moments_sql() -> str:
    """Each moment as a scalar subquery on its own index; plain SQL that PostgreSQL and SQLite both read."""
    score, empowerment, owed, heartbeat = (
        connection.ops.quote_name(model._meta.db_table)
        for model in (AlignmentScore, EmpowermentSnapshot, RecomputeRequest, WorkerHeartbeat)
    )
    # Table names from the models, quoted; nothing from a request.
    return (
        f"SELECT (SELECT id FROM {score} ORDER BY id DESC LIMIT 1),"  # noqa: S608
        f" (SELECT computed_at FROM {score} ORDER BY id DESC LIMIT 1),"
        f" (SELECT computed_at FROM {empowerment} ORDER BY computed_at DESC LIMIT 1),"
        f" (SELECT requested_at FROM {owed} ORDER BY requested_at LIMIT 1),"
        f" (SELECT seen_at FROM {heartbeat} ORDER BY seen_at DESC LIMIT 1)"
    )


def _moment(value) -> datetime | None:
    """A timestamp as the ORM would give it: SQLite hands plain SQL its text, or a naive datetime (in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


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
