"""The worker's heartbeat: a row per worker, refreshed every WORKER_HEARTBEAT_SECONDS from a thread in the
worker's main process, removed when the worker stops cleanly. A worker killed outright leaves its row to go
stale, which is what tells pages, /healthz and the reconcile that it is gone."""

from __future__ import annotations

import logging
import os
import threading
from datetime import timedelta

from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)
_stop = threading.Event()
_state: dict[str, str] = {}


PRUNE_AFTER = timedelta(days=1)


def heartbeats_prune(*, older_than: timedelta = PRUNE_AFTER) -> int:
    """Forget workers gone for a day (killed outright, so they never removed their row); returns how many."""
    deleted, _ = WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - older_than).delete()
    return deleted


def heartbeat_write(*, hostname: str, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"pid": os.getpid(), "started_at": started_at, "seen_at": timezone.now()}
    )


def _beat(hostname: str, interval: float) -> None:
    started_at = timezone.now()
    while True:
        try:
            close_old_connections()
            heartbeat_write(hostname=hostname, started_at=started_at)
        except DatabaseError as exc:  # the database is down or restarting: try again next time
            logger.warning("Worker heartbeat not written: %s", exc)
            connection.close()
        if _stop.wait(interval):
            return


@worker_ready.connect
def start_heartbeat(sender=None, **kwargs) -> None:
    interval = settings.WORKER_HEARTBEAT_SECONDS
    if not interval or not sender:
        return
    _state["hostname"] = sender.hostname
    _stop.clear()
    threading.Thread(target=_beat, args=(sender.hostname, interval), name="cco-heartbeat", daemon=True).start()


@worker_shutdown.connect
def stop_heartbeat(**kwargs) -> None:
    hostname = _state.pop("hostname", None)
    if hostname is None:
        return
    _stop.set()
    try:
        WorkerHeartbeat.objects.filter(hostname=hostname).delete()
    except DatabaseError as exc:
        logger.warning("Worker heartbeat not removed: %s", exc)
