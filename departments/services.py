"""Writes to departments and reporting lines (admins' work); each change rescored after commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from cco.permissions import ensure_can
from cco.writes import assign_fields, delete_recorded, save_validated
from goals.recompute import schedule_recompute

from .models import Department, ReportingLine

DEPARTMENT_FIELDS = ("name", "function", "customer_facing", "description")
LINE_FIELDS = ("target", "kind", "sets_goals", "signs_off_compensation", "can_veto", "note")


@transaction.atomic
def department_create(*, actor, data: Mapping[str, Any], heads: Iterable = ()) -> Department:
    ensure_can(actor, "add_department")
    department = Department()
    assign_fields(department, data, DEPARTMENT_FIELDS)
    save_validated(department, actor=actor)
    department.heads.set(list(heads))
    schedule_recompute(department_id=department.pk)
    return department


@transaction.atomic
def department_update(*, actor, department: Department, data: Mapping[str, Any], heads: Iterable | None = None):
    ensure_can(actor, "change_department", department)
    assign_fields(department, data, DEPARTMENT_FIELDS)
    save_validated(department, actor=actor)
    if heads is not None:
        department.heads.set(list(heads))
    schedule_recompute(department_id=department.pk)
    return department


@transaction.atomic
def department_delete(*, actor, department: Department) -> None:
    ensure_can(actor, "delete_department", department)
    delete_recorded(department, actor=actor)
    schedule_recompute(department_id=None)


@transaction.atomic
def reporting_line_create(*, actor, department: Department, data: Mapping[str, Any]) -> ReportingLine:
    """Add a line from `department` to the CCO's office (no target) or another department; cycles refused."""
    ensure_can(actor, "add_reportingline")
    _lock_lines()
    line = ReportingLine(department=department)
    assign_fields(line, data, LINE_FIELDS)
    save_validated(line, actor=actor)
    schedule_recompute(department_id=department.pk)
    return line


@transaction.atomic
def reporting_line_update(*, actor, line: ReportingLine, data: Mapping[str, Any]) -> ReportingLine:
    ensure_can(actor, "change_reportingline", line)
    _lock_lines()
    assign_fields(line, data, LINE_FIELDS)
    save_validated(line, actor=actor)
    schedule_recompute(department_id=line.department_id)
    return line


@transaction.atomic
def reporting_line_delete(*, actor, line: ReportingLine) -> None:
    ensure_can(actor, "delete_reportingline", line)
    department_id = line.department_id
    delete_recorded(line, actor=actor)
    schedule_recompute(department_id=department_id)


def _lock_lines() -> None:
    """Serialise line changes: two concurrent new lines could otherwise close a cycle between them."""
    list(Department.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
