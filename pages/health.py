"""What /healthz reports: the database must answer (else 503); the broker and the workers are reported, and
"degraded" says that changes are saved but scores may not follow (docs/operations.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from cco.celery import app
from scoring.liveness import heartbeat_is_fresh, worker_seen_at


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except DatabaseError as exc:
        return f"error: {exc.__class__.__name__}"


def broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager (no broker configured; tasks run in the web process)"

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "unreachable" for a health report
        return f"unreachable: {exc.__class__.__name__}"


def worker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager (the web process scores every change)"
    try:
        seen, now = worker_seen_at(), timezone.now()
    except DatabaseError as exc:  # e.g. a database not migrated yet: report it, never fail the health check
        return f"unknown: {exc.__class__.__name__}"
    if seen is None:
        return "none: no worker has written a heartbeat"
    age = (now - seen).total_seconds()
    return f"{'ok' if heartbeat_is_fresh(seen, now) else 'stale'}: last heartbeat {age:.0f} s ago"


def health_report() -> dict[str, str]:
    database = database_status()
    report = {"database": database, "broker": broker_status()}
    if database != "ok":
        return {"status": "down", **report, "worker": "unknown: the database cannot be read"}
    report["worker"] = worker_status()
    healthy = all(report[part].startswith(("ok", "eager")) for part in ("broker", "worker"))
    return {"status": "ok" if healthy else "degraded", **report}
