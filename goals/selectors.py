"""Reads for goals, objectives, levers and scores; each in a constant number of queries."""

from __future__ import annotations

from django.conf import settings
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from departments.models import Department
from departments.selectors import departments_reaching_cco

from .alignment import DepartmentIn, GoalIn, LeverIn, LinkIn, ObjectiveIn, OrgInputs, Weights
from .models import AlignmentScore, CheckIn, CompensationLever, CustomerObjective, Goal, GoalLink, GoalStatus, Period


def current_period() -> Period | None:
    return Period.objects.filter(is_current=True).first()


def next_period(period: Period) -> Period | None:
    return Period.objects.filter(start__gte=period.end).order_by("start").first()


def alignment_weights() -> Weights:
    """The engine's weights from settings (read here so the engine itself never touches settings)."""
    return Weights(**settings.ALIGNMENT_WEIGHTS, **settings.ORGANISATION_WEIGHTS)


def objectives_in_strategy(period: Period | None) -> QuerySet[CustomerObjective]:
    """Active objectives of the given period: the strategy departments are scored against."""
    if period is None:
        return CustomerObjective.objects.none()
    return CustomerObjective.objects.filter(period=period, active=True)


def scoring_inputs(*, period: Period | None = None, weights: Weights | None = None) -> OrgInputs:
    """Everything the engine needs, as plain data, in seven queries whatever the organisation's size."""
    period = period or current_period()
    reach = departments_reaching_cco()
    objectives = tuple(
        ObjectiveIn(o["id"], o["title"], o["category"])
        for o in objectives_in_strategy(period).values("id", "title", "category")
    )
    goal_rows = list(
        Goal.objects.filter(period=period, status=GoalStatus.ACTIVE).values("id", "department_id", "title", "weight")
    )
    goal_ids = [g["id"] for g in goal_rows]
    links: dict[int, list[LinkIn]] = {}
    for row in GoalLink.objects.filter(goal_id__in=goal_ids).values("goal_id", "objective_id", "kind", "strength"):
        links.setdefault(row["goal_id"], []).append(LinkIn(row["objective_id"], row["kind"], float(row["strength"])))
    goals: dict[int, list[GoalIn]] = {}
    for row in goal_rows:
        goals.setdefault(row["department_id"], []).append(
            GoalIn(row["id"], row["title"], float(row["weight"]), tuple(links.get(row["id"], ())))
        )
    levers: dict[int, list[LeverIn]] = {}
    lever_rows = CompensationLever.objects.filter(goal_id__in=goal_ids).values(
        "department_id", "manager__username", "goal_id", "share", "signed_off"
    )
    for row in lever_rows:
        levers.setdefault(row["department_id"], []).append(
            LeverIn(row["manager__username"], row["goal_id"], float(row["share"]), row["signed_off"])
        )
    departments = tuple(
        DepartmentIn(
            id=d["id"],
            name=d["name"],
            customer_facing=d["customer_facing"],
            reach=reach[d["id"]].status,
            goals=tuple(goals.get(d["id"], ())),
            levers=tuple(levers.get(d["id"], ())),
        )
        for d in Department.objects.order_by("pk").values("id", "name", "customer_facing")
    )
    return OrgInputs(departments=departments, objectives=objectives, weights=weights or alignment_weights())


def latest_scores() -> dict[int | None, AlignmentScore]:
    """The newest snapshot per department and for the organisation (key None), in one query."""
    newest = AlignmentScore.objects.filter(department=OuterRef("department")).order_by("-computed_at", "-pk")
    newest_org = AlignmentScore.objects.filter(department__isnull=True).order_by("-computed_at", "-pk")
    rows = AlignmentScore.objects.filter(pk__in=Subquery(newest.values("pk")[:1])) | AlignmentScore.objects.filter(
        pk__in=Subquery(newest_org.values("pk")[:1])
    )
    return {row.department_id: row for row in rows}


def score_history(*, department: Department | None, limit: int = 30) -> list[AlignmentScore]:
    """The latest `limit` snapshots of one department (or the organisation), oldest first, for a trend."""
    rows = (
        AlignmentScore.objects.filter(department=department)
        if department
        else AlignmentScore.objects.filter(department__isnull=True)
    )
    return list(reversed(rows.order_by("-computed_at", "-pk")[:limit]))


def goals_with_current_value(queryset: QuerySet[Goal] | None = None) -> QuerySet[Goal]:
    """Goals annotated with their latest check-in's value, confidence and time (the goal's current value)."""
    latest = CheckIn.objects.filter(goal=OuterRef("pk")).order_by("-at", "-pk")
    queryset = queryset if queryset is not None else Goal.objects.all()
    return queryset.annotate(
        current_value=Subquery(latest.values("value")[:1]),
        current_confidence=Subquery(latest.values("confidence")[:1]),
        last_check_in_at=Subquery(latest.values("at")[:1]),
    )


def goal_for_page(pk: int) -> Goal:
    """One goal with its current value, department, period, links and levers loaded (raises Goal.DoesNotExist)."""
    queryset = Goal.objects.select_related("department", "period").prefetch_related(
        Prefetch("links", queryset=GoalLink.objects.select_related("objective")),
        Prefetch("levers", queryset=CompensationLever.objects.select_related("manager", "signed_off_by")),
    )
    return goals_with_current_value(queryset).get(pk=pk)


def goal_check_ins(goal: Goal) -> list[CheckIn]:
    """A goal's check-ins, oldest first (the sparkline's order), with who recorded each."""
    return list(goal.check_ins.select_related("by").order_by("at", "pk"))


def goals_for_export(*, period: Period | None) -> QuerySet[Goal]:
    """Every department's goals of `period` with current values and links, for the goals CSV."""
    queryset = (
        Goal.objects.filter(period=period)
        .select_related("department", "period")
        .prefetch_related(Prefetch("links", queryset=GoalLink.objects.select_related("objective")))
        .order_by("department__name", "-weight", "title")
    )
    return goals_with_current_value(queryset)


def departments_with_latest_score(queryset: QuerySet[Department] | None = None) -> QuerySet[Department]:
    """Departments annotated with their newest snapshot's `alignment_score` and `score_computed_at` (None before
    the first computation), as subqueries of the one department query."""
    newest = AlignmentScore.objects.filter(department=OuterRef("pk")).order_by("-computed_at", "-pk")
    queryset = queryset if queryset is not None else Department.objects.all()
    return queryset.annotate(
        alignment_score=Subquery(newest.values("score")[:1]),
        score_computed_at=Subquery(newest.values("computed_at")[:1]),
    )
