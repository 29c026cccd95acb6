"""Departments × customer objectives: the strongest link of each department's active goals to each objective.

The dashboard shows the weakest few departments (HEATMAP_WEAKEST); the full matrix is its own page, paged and
searchable like the department list. Either way only the shown departments' links are read, aggregated in the
database; the objectives' supporter counts are counted there too, over every department.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page
from django.db.models import Max

from cco.shared_reads import kept
from departments.models import Department
from goals.link_totals import objective_totals
from goals.models import CustomerObjective, LinkKind, Period
from goals.outcomes import NO_ROLLUP, rollup_of
from goals.selectors import current_period, objectives_in_strategy, strategy_links

from .ranking import PagePicker, page_picker, ranked_departments
from .rows import HeatCell, HeatRow, ObjectiveColumn

HEATMAP_WEAKEST = 12


def strategy_columns(period: Period | None) -> list[ObjectiveColumn]:
    """The strategy's objectives, each with how many customer-facing departments' goals support it (and how many
    through a link the CCO confirmed), how many links conflict with it and the roll-up of its supporting goals'
    progress, over the whole organisation: two queries, the second a grouped read of the departments' link totals
    (goals.link_totals), never of the links."""
    objectives = list(objectives_in_strategy(period).order_by("category", "title"))
    totals = objective_totals(period, [objective.pk for objective in objectives])
    return [
        ObjectiveColumn(
            objective,
            totals[objective.pk]["supporters"],
            totals[objective.pk]["conflicts"],
            rollup_of(totals[objective.pk]),
            totals[objective.pk]["confirmed_facing"],
        )
        if objective.pk in totals
        else ObjectiveColumn(objective, 0, 0, NO_ROLLUP)
        for objective in objectives
    ]


def kept_strategy_columns(period: Period | None) -> list[ObjectiveColumn]:
    """strategy_columns(), kept until the data changes (cco.shared_reads): the dashboard and the full heatmap show
    the same columns."""
    return kept("strategy-columns", period.pk if period else None, compute=lambda: strategy_columns(period))


def heat_rows(period: Period | None, objectives: list[CustomerObjective], departments: list[Department]):
    """The matrix's rows for `departments` only (one grouped query: the strongest link per cell)."""
    strongest: dict[tuple[int, int, str], Decimal] = {
        (row["goal__department_id"], row["objective_id"], row["kind"]): row["strongest"]
        for row in strategy_links(period, objectives)
        .filter(goal__department__in=[d.pk for d in departments])
        .values("goal__department_id", "objective_id", "kind")
        .annotate(strongest=Max("strength"))
    }
    return [
        HeatRow(
            department,
            [
                HeatCell(
                    objective,
                    strongest.get((department.pk, objective.pk, LinkKind.SUPPORTS)),
                    strongest.get((department.pk, objective.pk, LinkKind.CONFLICTS)),
                )
                for objective in objectives
            ],
        )
        for department in departments
    ]


def weakest_heat_rows(
    period: Period | None,
    columns: list[ObjectiveColumn],
    *,
    scores_of_period: bool = False,
    first_page: Page | None = None,
):
    """The dashboard's matrix: the first HEATMAP_WEAKEST departments of the worst-first order (two queries; one when
    `first_page`, the first page of that order over every department, holds them already: ranking every department
    again costs 10 ms at 2,000)."""
    if (
        first_page is not None
        and first_page.number == 1
        and len(first_page.object_list) >= min(HEATMAP_WEAKEST, first_page.paginator.count)
    ):
        weakest = list(first_page.object_list)[:HEATMAP_WEAKEST]
    else:
        weakest = list(ranked_departments(period, scores_of_period=scores_of_period)[:HEATMAP_WEAKEST])
    return heat_rows(period, [column.objective for column in columns], weakest)


@dataclass(frozen=True)
class HeatmapPage:
    period: Period | None
    past: bool
    query: str
    page: Page
    columns: list[ObjectiveColumn]
    rows: list[HeatRow]


def heatmap_page(period: Period | None = None, *, query: str = "", pick: PagePicker | None = None) -> HeatmapPage:
    """The full matrix, a page of departments at a time in the dashboard's order (four queries and the period)."""
    current = current_period()
    period = period or current
    past = period is not None and period != current
    columns = kept_strategy_columns(period)
    page = (pick or page_picker(1))(ranked_departments(period, scores_of_period=past, query=query))
    return HeatmapPage(
        period=period,
        past=past,
        query=query,
        page=page,
        columns=columns,
        rows=heat_rows(period, [column.objective for column in columns], list(page.object_list)),
    )
