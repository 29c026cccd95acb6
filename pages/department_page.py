"""Reads for the department page, in a bounded number of queries: goals with progress and links, levers,
the score's history and breakdown, the line to the CCO, and the changes that would raise the score most.

Any period other than the current one reads as it ended, read-only: its goals (every status) with their final
readings, its levers, its scores and the decisions logged while it ran; no suggestions, nothing to edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page
from django.db.models import Prefetch

from cco.charts import Trend, trend
from departments.models import Department, ReportingLine
from departments.reach import Reach
from departments.selectors import department_reach, departments_reaching_cco
from goals.models import CompensationLever, Goal, GoalLink, GoalStatus, LinkReview, Period
from goals.progress import check_in_is_stale, goal_progress
from goals.selectors import current_period
from mandates.models import Decision, DecisionAction
from mandates.selectors import decisions
from mandates.services import DecisionOffer, decision_offer
from scoring.improvements import Suggestion, suggest_improvements
from scoring.measures import customer_linked_goal_ids
from scoring.models import AlignmentScore
from scoring.selectors import kept_organisation_support, oldest_first, score_history
from scoring.selectors import scoring_inputs as engine_inputs

from .attention import ATTENTION_CONFIDENCE
from .ranking import page_picker, ranked_departments, rows_for
from .rows import DepartmentRow, change_between


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

    @property
    def check_in_stale(self) -> bool:
        return check_in_is_stale(self.goal.last_check_in_at)


@dataclass(frozen=True)
class DepartmentOverview:
    department: Department
    period: Period | None
    goals: list[GoalRow]
    levers: list[CompensationLever]
    history: list[AlignmentScore]
    opening: Decimal | None  # the score the period began with
    reach: Reach
    path_names: list[str]
    lines: list[ReportingLine]
    suggestions: list[Suggestion]
    decisions: list[Decision]
    periods: list[Period]  # every period, newest first, for the picker
    offers: dict[str, DecisionOffer]  # what the line lets the CCO decide: "goal", "vetoed goal", "lever"
    read_only: bool = False  # a period other than the current one: shown as it ended, nothing to change

    @property
    def score(self) -> AlignmentScore | None:
        return self.history[-1] if self.history else None

    @property
    def change(self) -> Decimal | None:
        """Since the period began (its first snapshot)."""
        return change_between(self.history[-1].score, self.opening) if self.history else None

    @property
    def trend(self) -> Trend:
        return trend([(s.computed_at, s.score) for s in self.history])

    @property
    def customer_linked_goal_ids(self) -> set[int]:
        """Goals supporting an objective of the current strategy (the ones a lever should ride on)."""
        in_strategy = (
            (row.goal.pk, link.kind, link.strength)
            for row in self.goals
            for link in row.links
            if link.review != LinkReview.REJECTED
            and link.objective.active
            and self.period is not None
            and link.objective.period_id == self.period.pk
        )
        return customer_linked_goal_ids(in_strategy)

    @property
    def active_weight(self) -> Decimal:
        return sum((row.goal.weight for row in self.goals if row.goal.status == GoalStatus.ACTIVE), Decimal(0))


def department_overview(department: Department, period: Period | None = None) -> DepartmentOverview:
    """The department page: goals with progress and links, levers, score, trend and suggestions.

    With `period` other than the current one, that period as it ended (read-only): every goal it had with its
    final reading, its levers, scores and the decisions logged between its start and end; no suggestions."""
    periods = list(Period.objects.order_by("-start"))
    current = next((p for p in periods if p.is_current), None)  # current_period(), without a second query
    period = period or current
    read_only = period is not None and (current is None or period.pk != current.pk)
    goals = Goal.objects.filter(department=department, period=period)
    if not read_only:
        goals = goals.exclude(status=GoalStatus.ARCHIVED)
    links = Prefetch("links", queryset=GoalLink.objects.select_related("objective"))
    goals = goals.select_related("period").prefetch_related(links).order_by("status", "-weight", "title")
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
    reach = department_reach(department.pk)
    names = dict(Department.objects.filter(pk__in=[pk for pk in reach.path if pk]).values_list("pk", "name"))
    suggestions = [] if read_only else _suggestions(department)
    logged = decisions(department=department)
    if read_only:
        logged = logged.filter(at__gte=period.begins_at, at__lt=period.ends_at)
    return DepartmentOverview(
        department=department,
        period=period,
        goals=rows,
        levers=levers,
        history=score_history(department=department, period=period, daily=True),
        opening=oldest_first(department, period=period).values_list("score", flat=True).first(),
        reach=reach,
        path_names=[names.get(pk, "CCO's office") if pk else "CCO's office" for pk in reach.path],
        lines=list(ReportingLine.objects.filter(department=department).select_related("target")),
        suggestions=suggestions,
        decisions=list(logged[:10]),
        periods=periods,
        offers=_offers(department, reach),
        read_only=read_only,
    )


def _offers(department: Department, reach: Reach) -> dict[str, DecisionOffer]:
    """The decisions the line allows on its goals (a vetoed one needs the veto power to approve) and levers (one on a
    goal that does not count is not signed off), as the Sign-offs page and the services decide them
    (mandates.services.decision_offer)."""
    goal, vetoed = Goal(needs_approval=False), Goal(needs_approval=True)
    idle = CompensationLever(goal=Goal(status=GoalStatus.ARCHIVED))
    goal_actions, lever_actions = (
        [DecisionAction.APPROVE, DecisionAction.VETO],
        [DecisionAction.SIGN_OFF, DecisionAction.VETO],
    )
    return {
        "goal": decision_offer(department.name, reach, goal_actions, goal=goal),
        "vetoed goal": decision_offer(department.name, reach, goal_actions, goal=vetoed),
        "lever": decision_offer(department.name, reach, lever_actions),
        "idle_lever": decision_offer(department.name, reach, lever_actions, lever=idle),  # its goal does not count
    }


def _suggestions(department: Department) -> list[Suggestion]:
    period = current_period()
    inputs = engine_inputs(period=period, departments={department.pk}, support=kept_organisation_support(period))
    return suggest_improvements(inputs, department.pk) if inputs.departments else []


# The department list is a directory people look themselves up in: alphabetical, searchable, this many a page.
DIRECTORY_PER_PAGE = 50


def departments_directory(*, query: str = "", page_number=None) -> tuple[Page, list[DepartmentRow]]:
    """One page of the department list: departments by name (those whose name contains `query`), each with its
    reach, newest score and change since the period began; a constant number of queries at any size."""
    ranked = ranked_departments(current_period(), query=query).order_by("name", "pk")
    page = page_picker(page_number, DIRECTORY_PER_PAGE)(ranked)
    departments = list(page.object_list)
    return page, rows_for(departments, departments_reaching_cco([d.pk for d in departments]))
