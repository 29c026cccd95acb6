"""Reads about departments and reporting lines, each in a constant number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Department, ReportingLine
from .reach import LineData, Reach, compute_reach


def department_list() -> QuerySet[Department]:
    return Department.objects.prefetch_related("heads")


def reporting_lines() -> QuerySet[ReportingLine]:
    return ReportingLine.objects.select_related("department", "target")


def line_data() -> list[LineData]:
    """Every reporting line as plain data (one query)."""
    return [
        LineData(
            department_id=row["department_id"],
            target_id=row["target_id"],
            kind=row["kind"],
            sets_goals=row["sets_goals"],
            signs_off_compensation=row["signs_off_compensation"],
            can_veto=row["can_veto"],
        )
        for row in ReportingLine.objects.values(
            "department_id", "target_id", "kind", "sets_goals", "signs_off_compensation", "can_veto"
        )
    ]


def departments_reaching_cco() -> dict[int, Reach]:
    """For each department id, whether and how it reaches the CCO (two queries)."""
    ids = list(Department.objects.values_list("pk", flat=True))
    return compute_reach(ids, line_data())


def departments_with_lines() -> QuerySet[Department]:
    """Departments with heads and outgoing lines loaded, for the org chart and the admin pages."""
    return Department.objects.prefetch_related(
        "heads", Prefetch("lines", queryset=ReportingLine.objects.select_related("target"))
    )
