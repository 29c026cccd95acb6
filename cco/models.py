"""The project's one model: the record of recomputes owed, written by any app's services (cco.recompute)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class RecomputeRequest(models.Model):
    """A scoring input changed. Written in the same transaction as the change and deleted by the recompute that
    read it, so a row that stays is work owed: its message was lost (broker down, worker killed) and the
    periodic reconcile scores it. The database, not Redis, is the record of what still needs scoring."""

    department_id = models.BigIntegerField(null=True, blank=True, help_text="Empty: an organisation-wide change.")
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Recompute owed for {self.department_id or 'the organisation'} since {self.requested_at}"
