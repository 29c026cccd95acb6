"""Reads about departments and reporting lines, each in a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Prefetch, QuerySet

from .models import Department, ReportingLine
from .reach import LineData, Reach, compute_reach


def department_list() -> QuerySet[Department]:
    return Department.objects.prefetch_related("heads")


def reporting_lines() -> QuerySet[ReportingLine]:
    return ReportingLine.objects.select_related("department", "target")


def line_data() -> list[LineData]:
    """Every reporting line as plain data (one query), each department's direct lines before its dotted ones (the
    order compute_reach tries them in), without the model's ordering by department name and its join."""
    return [
        LineData(*row)
        for row in ReportingLine.objects.order_by("kind", "pk").values_list(
            "department_id", "target_id", "kind", "sets_goals", "signs_off_compensation", "can_veto"
        )
    ]


def departments_reaching_cco(department_ids: Iterable[int] | None = None) -> dict[int, Reach]:
    """For each department id (of `department_ids`, or every department), whether and how it reaches the CCO (two
    queries; one when the ids are given). A chain can pass through any department, so every line is read."""
    ids = list(department_ids) if department_ids is not None else list(Department.objects.values_list("pk", flat=True))
    return compute_reach(ids, line_data())


def department_reach(department_id: int) -> Reach:
    """How one department reaches the CCO (one query: every line, since its chain may pass through any)."""
    return departments_reaching_cco([department_id])[department_id]


def departments_with_lines() -> QuerySet[Department]:
    """Departments with heads and outgoing lines loaded, for the org chart and the admin pages."""
    return Department.objects.prefetch_related(
        "heads", Prefetch("lines", queryset=ReportingLine.objects.select_related("target"))
    )


class DepartmentBrief(NamedTuple):
    """A department as a light row, for pages that count, filter or page the whole organisation."""

    pk: int
    name: str
    customer_facing: bool


@dataclass(frozen=True)
class OrganisationOutline:
    departments: list[DepartmentBrief]  # customer-facing first, then by name
    lines: list[LineData]
    reach: dict[int, Reach]


def organisation_outline() -> OrganisationOutline:
    """Every department as a light row, every line, and how each department reaches the CCO (two queries): what the
    org chart and the dashboard's "without a line" count need at any size, without a model instance per department."""
    departments = [
        DepartmentBrief(*row)
        for row in Department.objects.order_by("-customer_facing", "name").values_list("pk", "name", "customer_facing")
    ]
    lines = line_data()
    return OrganisationOutline(departments, lines, compute_reach([d.pk for d in departments], lines))


NAMES_SUGGESTED = 20


def department_names_like(typed: str) -> list[str]:
    """Up to NAMES_SUGGESTED department names containing `typed` (letter case aside), those starting with it first:
    what the reporting-line form suggests as a name is typed, at any size of the organisation."""
    typed = typed.strip()[:120]
    if not typed:
        return []
    rows = Department.objects.filter(name__icontains=typed)
    starting = list(
        rows.filter(name__istartswith=typed).order_by("name").values_list("name", flat=True)[:NAMES_SUGGESTED]
    )
    more = NAMES_SUGGESTED - len(starting)
    if more:
        others = rows.exclude(name__istartswith=typed).order_by("name").values_list("name", flat=True)[:more]
        starting += list(others)
    return starting
