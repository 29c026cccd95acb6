"""Departments worst-first, a page at a time: the order the dashboard, its full heatmap and the API list them in.

An organisation of two thousand departments cannot be read whole; the CCO reads the weakest first. The order
is computed in the database (each department's newest snapshot as a subquery), so only the page's departments
are loaded as instances. Departments not scored yet come first, flagged as such: a department the engine has
not seen is an unknown, and an unknown should not hide at the bottom under the healthy ones.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, QuerySet, Subquery

from departments.models import Department
from departments.reach import UNREACHED, Reach
from goals.models import Period
from scoring.models import AlignmentScore
from scoring.selectors import newest_first, oldest_first

from .rows import DepartmentRow

DEPARTMENTS_PER_PAGE = 25
SEARCH_MAX_LENGTH = 120  # a department's name is at most this long

PagePicker = Callable[[QuerySet], Page]


def search_term(value: str | None) -> str:
    """The ?q= a page was asked for, trimmed and bounded (a name never needs more)."""
    return (value or "").strip()[:SEARCH_MAX_LENGTH]


def page_picker(number: str | int | None, per_page: int = DEPARTMENTS_PER_PAGE) -> PagePicker:
    """The web's paging: ?page= as asked; a page that is not a number opens the first, one past the end the last."""
    return lambda rows: Paginator(rows, per_page).get_page(number)


def ranked_departments(period: Period | None = None, *, scores_of_period: bool = False, query: str = "") -> QuerySet:
    """Departments worst-first (not scored yet first, then lowest score, then by name), annotated with the id and
    score of their newest snapshot (of `period` only, with `scores_of_period`) and the score `period` began with;
    with `query`, only names containing it. Counting it reads no snapshot (unused annotations are left out)."""
    newest = newest_first(OuterRef("pk"), period=period if scores_of_period else None)
    opening = oldest_first(OuterRef("pk"), period=period)
    rows = Department.objects.annotate(
        latest_score_id=Subquery(newest.values("pk")[:1]),
        latest_score=Subquery(newest.values("score")[:1]),
        opening_score=Subquery(opening.values("score")[:1]),
    )
    if query:
        rows = rows.filter(name__icontains=query)
    return rows.order_by(F("latest_score").asc(nulls_first=True), "name", "pk")


def rows_for(departments: list[Department], reach: dict[int, Reach]) -> list[DepartmentRow]:
    """The rows for departments from ranked_departments: their newest snapshot (one query) and the score the
    period began with (annotated there)."""
    scores = AlignmentScore.objects.in_bulk([d.latest_score_id for d in departments if d.latest_score_id])
    return [
        DepartmentRow(d, reach.get(d.pk, UNREACHED), scores.get(d.latest_score_id), d.opening_score)
        for d in departments
    ]


def department_page(
    reach: dict[int, Reach],
    period: Period | None,
    *,
    scores_of_period: bool = False,
    query: str = "",
    pick: PagePicker | None = None,
) -> tuple[Page, list[DepartmentRow]]:
    """One page of departments worst-first, and its rows (three queries: the count, the page and its snapshots)."""
    page = (pick or page_picker(1))(ranked_departments(period, scores_of_period=scores_of_period, query=query))
    return page, rows_for(list(page.object_list), reach)
