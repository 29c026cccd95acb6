"""What /healthz reports: the database must answer (else 503); the broker and the workers are reported, and
"degraded" says that changes are saved but scores may not follow (docs/operations.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from goals.liveness import scoring_health


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
    from cco.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "unreachable" for a health report
        return f"unreachable: {exc.__class__.__name__}"


def worker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager (the web process scores every change)"
    health = scoring_health()
    if health.worker_seen_at is None:
        return "none: no worker has written a heartbeat"
    age = (timezone.now() - health.worker_seen_at).total_seconds()
    return f"ok: last heartbeat {age:.0f} s ago" if health.worker_alive else f"stale: last heartbeat {age:.0f} s ago"


def health_report() -> dict[str, str]:
    database = database_status()
    report = {"database": database, "broker": broker_status()}
    if database != "ok":
        return {"status": "down", **report, "worker": "unknown: the database cannot be read"}
    report["worker"] = worker_status()
    healthy = all(report[part].startswith(("ok", "eager")) for part in ("broker", "worker"))
    return {"status": "ok" if healthy else "degraded", **report}
