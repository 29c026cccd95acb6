"""Asking for a recompute: recorded in the database, sent after commit, coalesced through a Redis key.

This is the one interface through which any app's services ask for scores to be recomputed; the scoring app
does the work, and is reached only by task name, so no app below it imports it.
Every service that changes a scoring input calls `schedule_recompute` inside its transaction. It writes a
`RecomputeRequest` row in that transaction, so the fact that scores are owed commits or rolls back with the
change itself, and asks for a task once the transaction commits (a rollback sends nothing). With a broker, the
first change in a window of RECOMPUTE_COALESCE_SECONDS, in any department, sets one key and sends one delayed
task; later changes in the window find the key and send nothing. Once edits arrive faster than they are scored
(an edit found a task already waiting, less than RECOMPUTE_BURST_SECONDS ago) the window is RECOMPUTE_BURST_SECONDS.
The task scores every owed request (the departments they name, and those their changes can move), so a burst of
edits across many departments runs about one task per window, and a task that finds nothing owed does nothing.

Nothing here may turn a saved change into an error: when Redis or the broker cannot be reached (or anything
else goes wrong after the commit) the failure is logged, the row stays, and the periodic reconcile scores it
once a worker can run again.
"""

from __future__ import annotations

import logging
from functools import cache, partial

import redis
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

from .celery import app as celery_app
from .models import RecomputeRequest

logger = logging.getLogger(__name__)
RECOMPUTE_TASK = "scoring.recompute_scores"  # scoring/tasks.py
PENDING_KEY = "cco:recompute:pending"  # one for the organisation: a task scores every owed change
BUSY_KEY = "cco:recompute:busy"  # set for the burst window each time an edit finds a recompute already waiting


def redis_client() -> redis.Redis | None:
    """A client for the coalescing keys, or None in the embedded (eager, broker-less) mode."""
    url = settings.REDIS_URL or settings.CELERY_BROKER_URL
    if settings.CELERY_TASK_ALWAYS_EAGER or not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    return _client_for(url)


@cache
def _client_for(url: str) -> redis.Redis:
    """One client, with its pool of connections, per process and URL: a client made per call opened a connection
    per call (half a millisecond of every dashboard's status line). redis-py's pool checks the process id, so a
    forked worker opens its own."""
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def schedule_recompute(*, department_id: int | None) -> None:
    """Record that the department's (and the organisation's) scores are owed, and ask for a recompute once this
    transaction commits."""
    RecomputeRequest.objects.create(department_id=department_id)
    transaction.on_commit(partial(enqueue_recompute, department_id=department_id))


def enqueue_recompute(*, department_id: int | None) -> bool:
    """Send one recompute task unless one is already waiting; True when a task was sent.

    Runs after the commit, so it never raises: whatever fails is logged and left to the reconcile.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        recompute_task().apply()
        return True
    countdown = settings.RECOMPUTE_COALESCE_SECONDS
    try:
        client = redis_client()
        if client is not None:
            if not client.set(PENDING_KEY, "1", nx=True, ex=int(settings.RECOMPUTE_BURST_SECONDS) + 60):
                # edits arrive faster than they are scored: the next windows are longer, so a burst runs a handful
                # of tasks; one person's edits, each scored before the next, keep the short window
                client.set(BUSY_KEY, "1", px=int(settings.RECOMPUTE_BURST_SECONDS * 1000))
                return False
            if client.exists(BUSY_KEY):
                countdown = settings.RECOMPUTE_BURST_SECONDS
        try:
            recompute_task().apply_async(countdown=countdown, retry=False)
        except (OperationalError, OSError):
            clear_pending()  # so the next change tries again instead of waiting for the key to expire
            raise
        return True
    except (redis.RedisError, OperationalError, OSError) as exc:
        logger.warning("Recompute for %s not queued (%s); the reconcile task will score it.", department_id, exc)
    except Exception:  # a saved change must never become an error: a broken install, a bug
        logger.exception("Recompute for %s not queued; the reconcile task will score it.", department_id)
    return False


def recompute_task():
    """The scoring app's recompute task, looked up by name in the Celery app's registry."""
    return celery_app.tasks[RECOMPUTE_TASK]


def clear_pending() -> None:
    """Called by the task as it starts, so changes made while it computes queue a fresh recompute."""
    client = redis_client()
    if client is None:
        return
    try:
        client.delete(PENDING_KEY)
    except redis.RedisError as exc:  # the key expires by itself
        logger.warning("Could not clear the pending recompute key: %s", exc)


def recompute_queued() -> bool:
    """Whether a recompute is queued and not yet started; raises redis.RedisError when Redis cannot be reached."""
    client = redis_client()
    if client is None:
        return False
    return bool(client.exists(PENDING_KEY))
