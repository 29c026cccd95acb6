"""Celery tasks: thin wrappers around the services; beat sends them (CELERY_BEAT_SCHEDULE in cco/settings/base.py).

Both are safe to run twice: what was sent is remembered, so a repeated run sends nothing new."""

from __future__ import annotations

from celery import shared_task

from .services import digests_send, reminders_send


@shared_task(name="notifications.send_reminders", acks_late=True)
def send_reminders() -> dict:
    """Daily: check-in reminders to department heads and escalations to the CCO."""
    report = reminders_send()
    return {"sent": report.sent, "failed": report.failed}


@shared_task(name="notifications.send_digests", acks_late=True)
def send_digests() -> dict:
    """Weekly: the digest to the CCO and the executives who want it."""
    report = digests_send()
    return {"sent": report.sent, "failed": report.failed}
