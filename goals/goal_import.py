"""Importing a department's goals from rows read by goals.csv_io: all rows saved, or none."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from cco.permissions import ensure_can
from cco.versions import unchanged, version_of
from departments.locks import lock_department
from departments.models import Department

from .csv_io import RowError
from .models import Goal
from .services import goal_create, goal_update


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did; when `errors` is not empty nothing was saved. `unchanged` counts the rows that matched a
    goal as it already was (goal_update wrote nothing for them); `updated` only the goals that did change."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: tuple = ()  # goals.csv_io.RowError: (row, field, message)


class _ImportRejected(Exception):
    """Raised inside the import's transaction to roll every row back."""


def goals_import(*, actor, department: Department, rows: Iterable) -> ImportOutcome:
    """Create or update the department's goals from rows read by goals.csv_io, all or nothing.

    A row whose title already exists in its period updates that goal (its links replaced by the row's), unless it
    changes nothing: then nothing is written and the row counts as unchanged; any other row creates a goal. Rows land
    in file order through goal_create/goal_update, so every rule (weight total, target vs. baseline, links) applies
    as it does in the form. When any row is invalid nothing is saved and the outcome lists every row's problems.
    """
    ensure_can(actor, "add_goal", department)
    rows = list(rows)
    errors = [error for row in rows for error in row.errors]
    created = updated = kept = 0
    try:
        with transaction.atomic():
            lock_department(department.pk)
            for row in rows:
                if row.errors:
                    continue
                existing = Goal.objects.filter(
                    department=department, period=row.data["period"], title=row.data["title"]
                ).first()
                try:
                    with transaction.atomic():
                        if existing:
                            read = version_of(existing)
                            goal_update(actor=actor, goal=existing, data=row.data, links=row.links)
                            if unchanged(read, existing):
                                kept += 1
                            else:
                                updated += 1
                        else:
                            goal_create(actor=actor, department=department, data=row.data, links=row.links)
                            created += 1
                except ValidationError as exc:
                    by_field = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                    for field, messages in by_field.items():
                        errors.extend(RowError(row.number, field.replace("__all__", ""), m) for m in messages)
            if errors:
                raise _ImportRejected
    except _ImportRejected:
        return ImportOutcome(errors=tuple(errors))
    return ImportOutcome(created=created, updated=updated, unchanged=kept)
