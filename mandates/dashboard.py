"""Reads for the executive dashboard and the department page, each in a constant number of queries.

Every function here loads what its page shows in bulk (one query per kind of row, whatever the number
of departments, goals or levers), then assembles plain dataclasses the templates only display. The rules
themselves stay where they live: scores come from the stored snapshots, reach from departments.reach,
the checklist's evaluation from mandates.evaluation, progress from goals.progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from departments.models import Department
from departments.reach import Reach
from departments.selectors import departments_reaching_cco
from goals.liveness import scoring_health
from goals.models import (
    AlignmentScore,
    CompensationLever,
    Confidence,
    CustomerObjective,
    Goal,
    GoalLink,
    GoalStatus,
    LinkKind,
    Period,
)
from goals.selectors import current_period, goals_with_current_value, objectives_in_strategy, score_history

from .charts import Trend, trend
from .models import DataSource, EmpowermentSnapshot, SourceCategory
from .selectors import ChecklistRow, empowerment_history, mandate_checklist

ATTENTION_CONFIDENCE = (Confidence.AT_RISK, Confidence.OFF_TRACK)


def change_between(latest, previous) -> Decimal | None:
    if latest is None or previous is None:
        return None
    return Decimal(latest) - Decimal(previous)


# --- freshness ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Freshness:
    computed_at: datetime | None  # the newest snapshot, alignment or empowerment
    pending: bool  # a recompute is on its way and something is alive to run it
    warning: str | None = None  # why the scores may be out of date (queue unreachable, no worker, changes owed)


def freshness() -> Freshness:
    """When the scores on screen were computed, whether a recompute is on its way, and whether the scores may be
    out of date (two queries, and two more with a broker: goals.liveness)."""
    moments = [
        AlignmentScore.objects.filter(department__isnull=True)
        .order_by("-computed_at")
        .values_list("computed_at", flat=True)[:1],
        EmpowermentSnapshot.objects.order_by("-computed_at").values_list("computed_at", flat=True)[:1],
    ]
    found = [moment for query in moments for moment in query]
    health = scoring_health()
    warning = health.warning
    return Freshness(computed_at=max(found, default=None), pending=health.pending and not warning, warning=warning)


# --- the dashboard ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentRow:
    department: Department
    reach: Reach
    score: AlignmentScore | None
    previous: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return change_between(self.score.score if self.score else None, self.previous)


@dataclass(frozen=True)
class HeatCell:
    objective: CustomerObjective
    supports: Decimal | None  # strongest supporting link of the department's active goals
    conflicts: Decimal | None

    @property
    def state(self) -> str:
        if self.supports and self.conflicts:
            return "mixed"
        if self.supports:
            return "supports"
        if self.conflicts:
            return "conflicts"
        return "none"

    @property
    def label(self) -> str:
        parts = []
        if self.supports:
            parts.append(f"supports, strength {self.supports:g}")
        if self.conflicts:
            parts.append(f"conflicts, strength {self.conflicts:g}")
        return " and ".join(parts) or "no link"


@dataclass(frozen=True)
class HeatRow:
    department: Department
    cells: list[HeatCell]


@dataclass(frozen=True)
class ObjectiveColumn:
    objective: CustomerObjective
    supporters: int  # customer-facing departments whose goals support it


@dataclass(frozen=True)
class AttentionItem:
    text: str
    url: str = ""


@dataclass(frozen=True)
class AttentionGroup:
    key: str
    title: str
    why: str
    items: list[AttentionItem]


@dataclass(frozen=True)
class Dashboard:
    period: Period | None
    organisation_history: list[AlignmentScore]
    empowerment_history: list[EmpowermentSnapshot]
    departments: list[DepartmentRow]
    columns: list[ObjectiveColumn]
    heatmap: list[HeatRow]
    checklist: list[ChecklistRow]
    attention: list[AttentionGroup]
    freshness: Freshness

    @property
    def organisation(self) -> AlignmentScore | None:
        return self.organisation_history[-1] if self.organisation_history else None

    @property
    def organisation_change(self) -> Decimal | None:
        history = self.organisation_history
        return change_between(history[-1].score, history[-2].score) if len(history) > 1 else None

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
        return sum(len(group.items) for group in self.attention)

    @property
    def granted_items(self) -> int:
        return sum(1 for row in self.checklist if row.effective_status == "granted")


def department_rows(reach: dict[int, Reach]) -> list[DepartmentRow]:
    """Departments with their newest snapshot and the score before it (two queries)."""
    newest = AlignmentScore.objects.filter(department=OuterRef("pk")).order_by("-computed_at", "-pk")
    departments = list(
        Department.objects.annotate(
            latest_score_id=Subquery(newest.values("pk")[:1]),
            previous_score=Subquery(newest.values("score")[1:2]),
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
    rows = GoalLink.objects.filter(goal__period=period, goal__status=GoalStatus.ACTIVE).values(
        "goal_id",
        "goal__title",
        "goal__department_id",
        "goal__department__name",
        "objective_id",
        "objective__title",
        "kind",
        "strength",
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


def _department_url(department_id: int, anchor: str = "") -> str:
    url = reverse("department-detail", args=[department_id])
    return f"{url}#{anchor}" if anchor else url


def _attention(
    *,
    rows: list[DepartmentRow],
    columns: list[ObjectiveColumn],
    links: list[dict],
    period: Period | None,
    now: datetime,
) -> list[AttentionGroup]:
    """What an executive should look at first; each group empty when all is well (queries: three)."""
    groups = [
        AttentionGroup(
            "uncovered",
            "Objectives no customer-facing department supports",
            "A shared objective nobody works toward will not move.",
            [AttentionItem(f"“{c.objective.title}”", reverse("objective-list")) for c in columns if not c.supporters],
        ),
        AttentionGroup(
            "unreached",
            "Customer-facing departments without a line to the CCO",
            "The CCO cannot manage customer-facing work that does not report to the office.",
            [
                AttentionItem(row.department.name, reverse("org-chart"))
                for row in rows
                if row.department.customer_facing and not row.reach.reaches_cco
            ],
        ),
    ]
    customer_linked = {link["goal_id"] for link in links if link["kind"] == LinkKind.SUPPORTS}
    levers = (
        CompensationLever.objects.filter(goal__period=period, goal__status=GoalStatus.ACTIVE)
        .select_related("department", "manager", "goal")
        .order_by("department__name", "manager__username", "pk")
    )
    lever_items = []
    for lever in levers:
        problems = []
        if lever.goal_id not in customer_linked:
            problems.append("not tied to a customer-linked goal")
        if not lever.signed_off:
            problems.append("not signed off by the CCO")
        if problems:
            who = lever.manager.get_full_name() or lever.manager.username
            lever_items.append(
                AttentionItem(
                    f"{lever.department.name}: {who}'s {lever.share.normalize():f}% on “{lever.goal.title}” — "
                    + " and ".join(problems),
                    _department_url(lever.department_id, "levers"),
                )
            )
    groups.append(
        AttentionGroup(
            "levers",
            "Compensation levers to fix",
            "Variable pay that does not ride on customer-linked goals, or that the CCO has not signed off.",
            lever_items,
        )
    )
    groups.append(
        AttentionGroup(
            "conflicts",
            "Goals that conflict with customer objectives",
            "Each takes points off its department's score.",
            [
                AttentionItem(
                    f"{link['goal__department__name']}: “{link['goal__title']}” conflicts with "
                    f"“{link['objective__title']}” "
                    f"(strength {link['strength']:g})",
                    _department_url(link["goal__department_id"], f"goal-{link['goal_id']}"),
                )
                for link in links
                if link["kind"] == LinkKind.CONFLICTS
            ],
        )
    )
    groups.append(_stale_competitor_data(now))
    groups.append(_goals_needing_a_look(period, now))
    return groups


def _stale_competitor_data(now: datetime) -> AttentionGroup:
    limit_days = settings.COMPETITOR_DATA_MAX_AGE_DAYS
    sources = [s for s in DataSource.objects.filter(category=SourceCategory.COMPETITOR) if s.cco_has_access]
    items = []
    if not sources:
        items.append(AttentionItem("The CCO has access to no competitor data source.", reverse("data-source-list")))
    for source in sources:
        if source.last_refreshed_at is None:
            items.append(AttentionItem(f"{source.name} has never been refreshed.", reverse("data-source-list")))
        elif source.last_refreshed_at < now - timedelta(days=limit_days):
            age = (now - source.last_refreshed_at).days
            items.append(
                AttentionItem(
                    f"{source.name} was last refreshed {age} days ago (limit {limit_days}).",
                    reverse("data-source-list"),
                )
            )
    return AttentionGroup(
        "competitor", "Stale competitor data", "Competitor data is only useful while it is timely.", items
    )


def _goals_needing_a_look(period: Period | None, now: datetime) -> AttentionGroup:
    stale_days = settings.CHECK_IN_STALE_DAYS
    goals = goals_with_current_value(Goal.objects.filter(period=period, status=GoalStatus.ACTIVE)).select_related(
        "department"
    )
    items = []
    for goal in goals.order_by("department__name", "title"):
        notes = []
        if goal.current_confidence in ATTENTION_CONFIDENCE:
            notes.append(Confidence(goal.current_confidence).label.lower())
        if goal.last_check_in_at is None:
            notes.append("no check-in yet")
        elif goal.last_check_in_at < now - timedelta(days=stale_days):
            notes.append(f"last check-in {(now - goal.last_check_in_at).days} days ago")
        if notes:
            items.append(
                AttentionItem(
                    f"{goal.department.name}: “{goal.title}” — {', '.join(notes)}",
                    _department_url(goal.department_id, f"goal-{goal.pk}"),
                )
            )
    return AttentionGroup(
        "check-ins",
        "Goals at risk, off track or not checked in",
        f"The latest check-in says at risk or off track, or is older than {stale_days} days.",
        items,
    )


def dashboard() -> Dashboard:
    """Everything the executive dashboard shows, in a constant number of queries."""
    now = timezone.now()
    period = current_period()
    reach = departments_reaching_cco()
    rows = department_rows(reach)
    objectives = list(objectives_in_strategy(period).order_by("category", "title"))
    links = _strategy_links(period, {o.pk for o in objectives})
    columns, heatmap = _heatmap(rows, objectives, links)
    return Dashboard(
        period=period,
        organisation_history=score_history(department=None),
        empowerment_history=empowerment_history(),
        departments=rows,
        columns=columns,
        heatmap=heatmap,
        checklist=mandate_checklist(),
        attention=_attention(rows=rows, columns=columns, links=links, period=period, now=now),
        freshness=freshness(),
    )


def objectives_with_support():
    """Every objective, newest period first, with how many departments' active goals support it (one query)."""
    supporting = Q(
        links__kind=LinkKind.SUPPORTS,
        links__strength__gt=0,
        links__goal__status=GoalStatus.ACTIVE,
        links__goal__period=F("period"),
    )
    return (
        CustomerObjective.objects.select_related("period", "owner")
        .annotate(supporters=Count("links__goal__department", filter=supporting, distinct=True))
        .order_by("-period__start", "-active", "category", "title")
    )


@dataclass(frozen=True)
class ReviewQueue:
    period: Period | None
    levers: list[CompensationLever]  # not signed off
    drafts: list[Goal]  # waiting for approval
    reach: dict[int, Reach]


def review_queue() -> ReviewQueue:
    """What waits for the CCO's decision in the current period, with the authority each line gives."""
    period = current_period()
    levers = CompensationLever.objects.filter(goal__period=period, signed_off=False).select_related(
        "department", "manager", "goal"
    )
    drafts = Goal.objects.filter(period=period, status=GoalStatus.DRAFT).select_related("department")
    return ReviewQueue(period, list(levers), list(drafts), departments_reaching_cco())
