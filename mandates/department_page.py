"""Reads for the department page, in a bounded number of queries: goals with progress and links, levers,
the score's history and breakdown, the line to the CCO, and the changes that would raise the score most."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from departments.models import Department, ReportingLine
from departments.reach import Reach
from departments.selectors import departments_reaching_cco
from goals.improvements import Suggestion, suggest_improvements
from goals.models import AlignmentScore, CompensationLever, Goal, GoalLink, GoalStatus, LinkKind, Period
from goals.progress import goal_progress
from goals.selectors import current_period, goals_with_current_value, score_history
from goals.selectors import scoring_inputs as engine_inputs

from .charts import Trend, trend
from .dashboard import ATTENTION_CONFIDENCE, DepartmentRow, change_between, department_rows
from .models import Decision
from .selectors import decisions


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    progress: float | None

    @property
    def links(self) -> list[GoalLink]:
        return list(self.goal.links.all())

    @property
    def needs_attention(self) -> bool:
        return self.goal.current_confidence in ATTENTION_CONFIDENCE


@dataclass(frozen=True)
class DepartmentOverview:
    department: Department
    period: Period | None
    goals: list[GoalRow]
    levers: list[CompensationLever]
    history: list[AlignmentScore]
    reach: Reach
    path_names: list[str]
    lines: list[ReportingLine]
    suggestions: list[Suggestion]
    decisions: list[Decision]
    stale_before: datetime = field(default_factory=timezone.now)

    @property
    def score(self) -> AlignmentScore | None:
        return self.history[-1] if self.history else None

    @property
    def change(self) -> Decimal | None:
        return change_between(self.history[-1].score, self.history[-2].score) if len(self.history) > 1 else None

    @property
    def trend(self) -> Trend:
        return trend([(s.computed_at, s.score) for s in self.history])

    @property
    def customer_linked_goal_ids(self) -> set[int]:
        """Goals supporting an objective of the current strategy (the ones a lever should ride on)."""
        return {
            row.goal.pk
            for row in self.goals
            for link in row.links
            if link.kind == LinkKind.SUPPORTS
            and link.strength > 0
            and link.objective.active
            and self.period is not None
            and link.objective.period_id == self.period.pk
        }

    @property
    def active_weight(self) -> Decimal:
        return sum((row.goal.weight for row in self.goals if row.goal.status == GoalStatus.ACTIVE), Decimal(0))


def department_overview(department: Department) -> DepartmentOverview:
    """The department page: goals with progress and links, levers, score, trend and suggestions."""
    period = current_period()
    goals = goals_with_current_value(
        Goal.objects.filter(department=department, period=period)
        .exclude(status=GoalStatus.ARCHIVED)
        .prefetch_related(Prefetch("links", queryset=GoalLink.objects.select_related("objective")))
    ).order_by("status", "-weight", "title")
    rows = [
        GoalRow(
            goal,
            goal_progress(
                baseline=goal.baseline, target=goal.target, current=goal.current_value, direction=goal.direction
            ),
        )
        for goal in goals
    ]
    levers = list(
        CompensationLever.objects.filter(department=department, goal__period=period)
        .select_related("manager", "goal", "signed_off_by")
        .order_by("manager__username", "pk")
    )
    reach = departments_reaching_cco()[department.pk]
    names = dict(Department.objects.filter(pk__in=[pk for pk in reach.path if pk]).values_list("pk", "name"))
    inputs = engine_inputs()
    suggestions = (
        suggest_improvements(inputs, department.pk) if any(d.id == department.pk for d in inputs.departments) else []
    )
    return DepartmentOverview(
        department=department,
        period=period,
        goals=rows,
        levers=levers,
        history=score_history(department=department),
        reach=reach,
        path_names=[names.get(pk, "CCO's office") if pk else "CCO's office" for pk in reach.path],
        lines=list(ReportingLine.objects.filter(department=department).select_related("target")),
        suggestions=suggestions,
        decisions=list(decisions(department=department)[:10]),
        stale_before=timezone.now() - timedelta(days=settings.CHECK_IN_STALE_DAYS),
    )


def departments_overview() -> list[DepartmentRow]:
    """The department list: every department with its reach and newest score (four queries)."""
    return department_rows(departments_reaching_cco())
