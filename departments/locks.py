"""Row locks on departments: how writers that must not interleave take turns (PostgreSQL; no-ops on SQLite).

FOR NO KEY UPDATE, not FOR UPDATE: writers still take turns, but rows that merely reference a department (a goal
inserted by a roll-over, whose foreign key check takes FOR KEY SHARE) neither wait for them nor make them wait."""

from __future__ import annotations

from .models import Department


def lock_department(department_id: int) -> None:
    """Serialise writers of one department's goals, so two saves cannot both pass the weight rule."""
    Department.objects.select_for_update(no_key=True).filter(pk=department_id).first()


def lock_all_departments() -> None:
    """Serialise organisation-wide writers (reporting lines that could close a cycle between them, snapshot
    stores), always in primary-key order so they cannot deadlock with each other."""
    list(Department.objects.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
