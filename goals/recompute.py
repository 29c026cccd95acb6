"""Scheduling recomputes: after commit, coalesced through a Redis key, eager when no broker is configured.

Every service that changes a scoring input calls `schedule_recompute` inside its transaction. Nothing is
sent until the transaction commits (a rollback sends nothing). With a broker, the first change in a
window of RECOMPUTE_COALESCE_SECONDS sets a key and sends one delayed task; later changes in the window
find the key and send nothing, and the task scores all of them. If the broker cannot be reached the
change is still saved and the beat task `reconcile_scores` scores it later.
"""

from __future__ import annotations

import logging
from functools import partial

import redis
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)
PENDING_KEY = "cco:recompute:pending:{scope}"


def _scope(department_id: int | None) -> str:
    return str(department_id) if department_id else "org"


def pending_key(department_id: int | None) -> str:
    return PENDING_KEY.format(scope=_scope(department_id))


def redis_client() -> redis.Redis | None:
    """A client for the coalescing keys, or None in the embedded (eager, broker-less) mode."""
    url = settings.REDIS_URL or settings.CELERY_BROKER_URL
    if settings.CELERY_TASK_ALWAYS_EAGER or not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def schedule_recompute(*, department_id: int | None) -> None:
    """Ask for the department's (and the organisation's) scores to be recomputed once this transaction commits."""
    transaction.on_commit(partial(enqueue_recompute, department_id=department_id))


def enqueue_recompute(*, department_id: int | None) -> bool:
    """Send one recompute task unless one is already waiting for this department; True when a task was sent."""
    from .tasks import recompute_scores  # tasks import the services that call this module

    if settings.CELERY_TASK_ALWAYS_EAGER:
        recompute_scores.apply(kwargs={"department_id": department_id})
        return True
    countdown = settings.RECOMPUTE_COALESCE_SECONDS
    try:
        client = redis_client()
        if client is not None and not client.set(pending_key(department_id), "1", nx=True, ex=int(countdown) + 60):
            return False
        recompute_scores.apply_async(kwargs={"department_id": department_id}, countdown=countdown)
        return True
    except (redis.RedisError, OperationalError) as exc:
        logger.warning("Recompute for %s not queued (%s); the reconcile task will score it.", department_id, exc)
        return False


def clear_pending(department_id: int | None) -> None:
    """Called by the task as it starts, so changes made while it computes queue a fresh recompute."""
    client = redis_client()
    if client is None:
        return
    try:
        client.delete(pending_key(department_id))
    except redis.RedisError as exc:  # the key expires by itself
        logger.warning("Could not clear the pending recompute key: %s", exc)


def recompute_pending(department_id: int | None = None) -> bool:
    """Whether a recompute is queued and not yet started (for the dashboard's "recomputing…" state)."""
    client = redis_client()
    if client is None:
        return False
    try:
        if department_id is not None:
            return bool(client.exists(pending_key(department_id)))
        return bool(next(client.scan_iter(match=PENDING_KEY.format(scope="*"), count=100), None))
    except redis.RedisError:
        return False
