"""What /healthz reports: the database must answer; the broker's state is informative."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection


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


def health_report() -> dict[str, str]:
    return {"database": database_status(), "broker": broker_status()}
