"""Row locks on departments: how writers that must not interleave take turns (PostgreSQL; no-ops on SQLite).

FOR NO KEY UPDATE, not FOR UPDATE: writers still take turns, but a transaction that merely inserts rows referencing
a department (a roll-over's thousands of goals, whose foreign keys are checked at its commit with FOR KEY SHARE)
neither waits for them nor makes them wait."""

from __future__ import annotations

from .models import Department


def lock_department(department_id: int) -> None:
    """Serialise writers of one department's goals, so two saves cannot both pass the weight rule."""
    Department.objects.select_for_update(no_key=True).filter(pk=department_id).first()


def lock_all_departments() -> None:
    """Serialise organisation-wide writers (reporting lines that could close a cycle between them, snapshot
    stores), always in primary-key order so they cannot deadlock with each other."""
    list(Department.objects.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
