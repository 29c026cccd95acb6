"""Reads for the executive dashboard and the department page, each in a constant number of queries.

Every function here loads what its page shows in bulk (one query per kind of row, whatever the number
of departments, goals or levers), then assembles plain dataclasses the templates only display. The rules
themselves stay where they live: scores come from the stored snapshots, reach from departments.reach,
the checklist's evaluation from mandates.evaluation, progress from goals.progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from cco.charts import Trend, trend
from departments.models import Department
from departments.reach import Reach
from departments.selectors import departments_reaching_cco
from goals.models import (
    CustomerObjective,
    GoalLink,
    GoalStatus,
    LinkKind,
    LinkReview,
    Period,
)
from goals.selectors import current_period, objectives_in_strategy
from mandates.models import EmpowermentSnapshot
from mandates.selectors import ChecklistRow, claims_awaiting_review, empowerment_history, mandate_checklist
from scoring.models import AlignmentScore
from scoring.selectors import closing_scores, newest_first, oldest_first, score_history

from .attention import AttentionGroup, attention
from .freshness import Freshness, freshness
from .rows import DepartmentRow, HeatCell, HeatRow, ObjectiveColumn, change_between


@dataclass(frozen=True)
class Dashboard:
    period: Period | None
    past: bool  # a period that is not the current one, shown as it ended (read-only)
    organisation_history: list[AlignmentScore]
    organisation_opening: Decimal | None  # the organisation score the period began with
    quarters: list  # (period, the organisation score it closed at), oldest first
    empowerment_history: list[EmpowermentSnapshot]
    departments: list[DepartmentRow]
    columns: list[ObjectiveColumn]
    heatmap: list[HeatRow]
    checklist: list[ChecklistRow]
    attention: list[AttentionGroup]
    freshness: Freshness
    claims_awaiting_review: int  # supporting links of the period's active goals the CCO has not reviewed

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
        return sum(1 for column in self.columns if column.supporters)

    @property
    def attention_count(self) -> int:
        return sum(group.size for group in self.attention)

    @property
    def granted_items(self) -> int:
        return sum(1 for row in self.checklist if row.effective_status == "granted")


def department_rows(
    reach: dict[int, Reach], period: Period | None = None, *, scores_of_period: bool = False
) -> list[DepartmentRow]:
    """Departments with their newest snapshot (of `period` only, with `scores_of_period`: a past quarter as it
    ended) and the score the period began with (two queries)."""
    newest = newest_first(OuterRef("pk"), period=period if scores_of_period else None)
    opening = oldest_first(OuterRef("pk"), period=period)
    departments = list(
        Department.objects.annotate(
            latest_score_id=Subquery(newest.values("pk")[:1]),
            previous_score=Subquery(opening.values("score")[:1]),
        ).order_by("-customer_facing", "name")
    )
    scores = AlignmentScore.objects.in_bulk([d.latest_score_id for d in departments if d.latest_score_id])
    return [
        DepartmentRow(d, reach[d.pk], scores.get(d.latest_score_id), d.previous_score)
        for d in departments
        if d.pk in reach
    ]


def _strategy_links(period: Period | None, objective_ids: set[int]) -> list[dict]:
    """Links of the period's active goals to objectives in the strategy, as plain rows (one query)."""
    if period is None:
        return []
    rows = (
        GoalLink.objects.filter(goal__period=period, goal__status=GoalStatus.ACTIVE)
        .exclude(review=LinkReview.REJECTED)
        .values(
            "goal_id",
            "goal__title",
            "goal__department_id",
            "goal__department__name",
            "objective_id",
            "objective__title",
            "kind",
            "strength",
        )
    )
    return [row for row in rows if row["objective_id"] in objective_ids and row["strength"] > 0]


def _heatmap(rows: list[DepartmentRow], objectives: list[CustomerObjective], links: list[dict]):
    strongest: dict[tuple[int, int, str], Decimal] = {}
    for link in links:
        key = (link["goal__department_id"], link["objective_id"], link["kind"])
        strongest[key] = max(strongest.get(key, Decimal(0)), link["strength"])
    facing = {row.department.pk for row in rows if row.department.customer_facing}
    columns = [
        ObjectiveColumn(
            objective,
            len({d for (d, o, kind) in strongest if o == objective.pk and kind == LinkKind.SUPPORTS and d in facing}),
        )
        for objective in objectives
    ]
    heatmap = [
        HeatRow(
            row.department,
            [
                HeatCell(
                    objective,
                    strongest.get((row.department.pk, objective.pk, LinkKind.SUPPORTS)),
                    strongest.get((row.department.pk, objective.pk, LinkKind.CONFLICTS)),
                )
                for objective in objectives
            ],
        )
        for row in rows
    ]
    return columns, heatmap


def dashboard(period: Period | None = None) -> Dashboard:
    """Everything the executive dashboard shows, in a constant number of queries.

    With a `period` other than the current one, that period as it ended, read-only: its scores, objectives and
    links, and the empowerment as last evaluated before it ended; nothing "needs attention" in the past."""
    now = timezone.now()
    current = current_period()
    period = period or current
    past = period is not None and period != current
    reach = departments_reaching_cco()
    rows = department_rows(reach, period, scores_of_period=past)
    objectives = list(objectives_in_strategy(period).order_by("category", "title"))
    links = _strategy_links(period, {o.pk for o in objectives})
    columns, heatmap = _heatmap(rows, objectives, links)
    claims = 0 if past else claims_awaiting_review()
    ended = period.ends_at if past else None
    return Dashboard(
        period=period,
        past=past,
        organisation_history=score_history(department=None, period=period, daily=True),
        organisation_opening=oldest_first(period=period).values_list("score", flat=True).first(),
        quarters=closing_scores(),
        empowerment_history=empowerment_history(before=ended),
        departments=rows,
        columns=columns,
        heatmap=heatmap,
        checklist=[] if past else mandate_checklist(),
        attention=[]
        if past
        else attention(rows=rows, columns=columns, links=links, period=period, now=now, claims=claims),
        freshness=freshness(),
        claims_awaiting_review=claims,
    )
