"""Writes to departments and reporting lines (admins' work); each change rescored after commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize

from cco import roles
from cco.permissions import ensure_can
from cco.recompute import schedule_recompute
from cco.wording import person
from cco.writes import assign_fields, delete_recorded, save_validated

from .locks import lock_all_departments
from .models import Department, ReportingLine

DEPARTMENT_FIELDS = ("name", "function", "customer_facing", "description")
AUTHORITY_FIELDS = ("sets_goals", "signs_off_compensation", "can_veto")
LINE_FIELDS = ("target", "kind", *AUTHORITY_FIELDS, "note")


def _ensure_heads_hold_the_role(heads: list) -> None:
    """A head edits the department's goals, levers and check-ins: only people given the Department head role may
    be listed (an executive added by mistake would otherwise edit what they review)."""
    without = [person(user) for user in heads if roles.HEAD not in roles.role_names(user)]
    if without:
        raise ValidationError(
            {
                "heads": f"{', '.join(without)} {'does' if len(without) == 1 else 'do'} not hold the Department head "
                "role; give it to them first (the Django admin's Users page), then list them as heads."
            }
        )


@transaction.atomic
def department_create(*, actor, data: Mapping[str, Any], heads: Iterable = ()) -> Department:
    ensure_can(actor, "add_department")
    heads = list(heads)
    _ensure_heads_hold_the_role(heads)
    department = Department()
    assign_fields(department, data, DEPARTMENT_FIELDS)
    save_validated(department, actor=actor)
    department.heads.set(heads)
    schedule_recompute(department_id=department.pk)
    return department


@transaction.atomic
def department_update(*, actor, department: Department, data: Mapping[str, Any], heads: Iterable | None = None):
    ensure_can(actor, "change_department", department)
    if heads is not None:
        heads = list(heads)
        kept = set(department.heads.values_list("pk", flat=True))
        _ensure_heads_hold_the_role([user for user in heads if user.pk not in kept])  # only those added now
    assign_fields(department, data, DEPARTMENT_FIELDS)
    save_validated(department, actor=actor)
    if heads is not None:
        department.heads.set(heads)
    schedule_recompute(department_id=department.pk)
    return department


@transaction.atomic
def department_delete(*, actor, department: Department) -> None:
    """Delete a department and what is its alone (goals, lines, scores); refused while the CCO's decision log holds
    decisions about it, which nothing may erase (Decision.department is PROTECT)."""
    ensure_can(actor, "delete_department", department)
    decided = department.decisions.count()
    if decided:
        raise ValidationError(
            f"{department} has {decided} decision{pluralize(decided)} in the CCO's decision log, which keeps them: "
            "a department with decisions on record cannot be deleted."
        )
    delete_recorded(department, actor=actor)
    schedule_recompute(department_id=None)


@transaction.atomic
def reporting_line_create(*, actor, department: Department, data: Mapping[str, Any]) -> ReportingLine:
    """Add a line from `department` to the CCO's office (no target) or another department; cycles refused."""
    ensure_can(actor, "add_reportingline", department)
    lock_all_departments()  # two concurrent new lines could otherwise close a cycle
    line = ReportingLine(department=department)
    assign_fields(line, data, LINE_FIELDS)
    save_validated(line, actor=actor)
    schedule_recompute(department_id=None)  # every department whose chain passes through this one can move
    return line


@transaction.atomic
def reporting_line_update(
    *, actor, line: ReportingLine, data: Mapping[str, Any], authority_reviewed: bool | None = None
) -> ReportingLine:
    """Change a line. When its kind changes (dotted to direct, say), what it lets the CCO do must be answered
    again: `authority_reviewed` says the person did (the web form asks), and by default all three authority
    flags must be in `data` (an API PATCH of the kind alone is refused)."""
    ensure_can(actor, "change_reportingline", line)
    lock_all_departments()  # two concurrent new lines could otherwise close a cycle
    if "kind" in data and data["kind"] != line.kind:
        reviewed = authority_reviewed if authority_reviewed is not None else all(f in data for f in AUTHORITY_FIELDS)
        if not reviewed:
            raise ValidationError(
                {
                    "kind": "The kind of line changed: say what the line now lets the CCO do (set or approve goals, "
                    "sign off compensation, veto) and confirm it."
                }
            )
    assign_fields(line, data, LINE_FIELDS)
    save_validated(line, actor=actor)
    schedule_recompute(department_id=None)  # every department whose chain passes through this one can move
    return line


@transaction.atomic
def reporting_line_delete(*, actor, line: ReportingLine) -> None:
    ensure_can(actor, "delete_reportingline", line)
    delete_recorded(line, actor=actor)
    schedule_recompute(department_id=None)  # every department whose chain passes through this one can move
