"""Reads for the executive dashboard and the department page, each in a constant number of queries.

Every function here loads what its page shows in bulk (one query per kind of row, whatever the number
of departments, goals or levers), then assembles plain dataclasses the templates only display. The rules
themselves stay where they live: scores come from the stored snapshots, reach from departments.reach,
the checklist's evaluation from mandates.evaluation, progress from goals.progress.

The dashboard is built for an organisation of any size: one page of departments worst-first (pages.ranking),
the weakest few in the heatmap (pages.heatmap) and the first few of each attention group with its true count
(pages.attention); nothing on it grows with the number of departments.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page
from django.utils import timezone

from cco.charts import Trend, trend
from cco.shared_reads import kept
from departments.reach import CompactReach
from departments.selectors import organisation_outline
from goals.models import Period
from goals.outcomes import CategoryRow, scorecard
from goals.selectors import current_period
from mandates.models import EmpowermentSnapshot
from mandates.selectors import ChecklistRow, claims_awaiting_review, empowerment_history, mandate_checklist
from scoring.models import AlignmentScore
from scoring.selectors import closing_scores, kept_organisation_support, oldest_first, score_history

from .attention import AttentionGroup, attention
from .freshness import Freshness, freshness
from .heatmap import kept_strategy_columns, weakest_heat_rows
from .needs import warm_cco_reviews
from .ranking import PagePicker, department_page
from .rows import DepartmentRow, HeatRow, ObjectiveColumn, change_between, objectives_supported


@dataclass(frozen=True)
class Dashboard:
    period: Period | None
    past: bool  # a period that is not the current one, shown as it ended (read-only)
    organisation_history: list[AlignmentScore]
    organisation_opening: Decimal | None  # the organisation score the period began with
    quarters: list  # (period, the organisation score it closed at), oldest first
    empowerment_history: list[EmpowermentSnapshot]
    departments: list[DepartmentRow]  # the page's rows, worst-first
    department_page: Page  # which page of how many; its paginator counts the departments searched for
    query: str  # the name searched for (?q=), or ""
    department_total: int  # every department, searched for or not
    columns: list[ObjectiveColumn]  # supporters counted over every department
    heatmap: list[HeatRow]  # the weakest HEATMAP_WEAKEST departments
    checklist: list[ChecklistRow]
    attention: list[AttentionGroup]
    freshness: Freshness
    claims_awaiting_review: int  # supporting links of the period's active goals the CCO has not reviewed
    scorecard: list[CategoryRow]  # is the strategy working? one row per outcome category (goals.outcomes)

    @property
    def organisation(self) -> AlignmentScore | None:
        return self.organisation_history[-1] if self.organisation_history else None

    @property
    def organisation_change(self) -> Decimal | None:
        """Since the period began (its first snapshot)."""
        history = self.organisation_history
        return change_between(history[-1].score, self.organisation_opening) if history else None

    @property
    def organisation_trend(self) -> Trend:
        return trend([(s.computed_at, s.score) for s in self.organisation_history])

    @property
    def empowerment(self) -> EmpowermentSnapshot | None:
        return self.empowerment_history[-1] if self.empowerment_history else None

    @property
    def empowerment_change(self) -> Decimal | None:
        history = self.empowerment_history
        return change_between(history[-1].score, history[-2].score) if len(history) > 1 else None

    @property
    def empowerment_trend(self) -> Trend:
        return trend([(s.computed_at, s.score) for s in self.empowerment_history])

    @property
    def covered_objectives(self) -> int:
        return objectives_supported(self.columns)

    @property
    def attention_count(self) -> int:
        return sum(group.size for group in self.attention)

    @property
    def heatmap_is_partial(self) -> bool:
        return self.department_total > len(self.heatmap)

    @property
    def granted_items(self) -> int:
        return sum(1 for row in self.checklist if row.effective_status == "granted")


@dataclass(frozen=True)
class OrganisationWide:
    """The dashboard's parts that are the same for every viewer and cost the most at size (the scan of every link,
    every lever and goal for the attention list, the checklist's facts): kept until the data changes."""

    department_total: int
    reach: CompactReach  # every department's, for the page's rows
    columns: list[ObjectiveColumn]
    checklist: list[ChecklistRow]
    attention: list[AttentionGroup]
    claims: int


def organisation_wide(period: Period | None, *, past: bool, claims: int | None = None) -> OrganisationWide:
    """Computed once per period and change of the data (cco.shared_reads), whoever asks."""

    def compute() -> OrganisationWide:
        outline = organisation_outline()
        columns = kept_strategy_columns(period)
        counted = 0 if past else (claims if claims is not None else claims_awaiting_review())
        return OrganisationWide(
            department_total=len(outline.departments),
            reach=CompactReach(outline.reach),
            columns=columns,
            checklist=[] if past else mandate_checklist(reach=outline.reach),
            attention=[]
            if past
            else attention(outline=outline, columns=columns, period=period, now=timezone.now(), claims=counted),
            claims=counted,
        )

    return kept("dashboard-organisation", period.pk if period else None, past, compute=compute)


def warm_organisation_wide() -> None:
    """The current period's kept reads, computed after a request that changed the data (cco.shared_reads), so that
    the next viewer of the dashboard, a department page or a goal editor reads them instead of waiting for them;
    and what waits for each CCO's review, which every CCO's pages show."""
    period = current_period()
    organisation_wide(period, past=False)
    kept_organisation_support(period)
    warm_cco_reviews()


def dashboard(
    period: Period | None = None,
    *,
    query: str = "",
    pick: PagePicker | None = None,
    claims: int | None = None,
    fresh: Freshness | None = None,
) -> Dashboard:
    """Everything the executive dashboard shows, in a constant number of queries: one page of departments (`pick`
    chooses it from the worst-first order; the first page of DEPARTMENTS_PER_PAGE by default), with `query` only
    those whose name contains it.

    With a `period` other than the current one, that period as it ended, read-only: its scores, objectives and
    links, and the empowerment as last evaluated before it ended; nothing "needs attention" in the past. `claims`:
    the current period's claims awaiting review when the caller has counted every one already; `fresh`:
    the scores' freshness when the caller has read it already."""
    current = current_period()
    period = period or current
    past = period is not None and period != current
    shared = organisation_wide(period, past=past, claims=claims)
    columns = shared.columns
    page, rows = department_page(shared.reach, period, scores_of_period=past, query=query, pick=pick)
    ended = period.ends_at if past else None
    return Dashboard(
        period=period,
        past=past,
        organisation_history=score_history(department=None, period=period, daily=True),
        organisation_opening=oldest_first(period=period).values_list("score", flat=True).first(),
        quarters=closing_scores(),
        empowerment_history=empowerment_history(before=ended),
        departments=rows,
        department_page=page,
        query=query,
        department_total=shared.department_total,
        columns=columns,
        heatmap=weakest_heat_rows(period, columns, scores_of_period=past, first_page=None if query else page),
        checklist=shared.checklist,
        attention=shared.attention,
        freshness=fresh or freshness(),
        claims_awaiting_review=shared.claims,
        scorecard=scorecard(period, rollups={column.objective.pk: column.rollup for column in columns}),
    )
