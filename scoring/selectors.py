"""Reads for scoring: the engine's inputs as plain data, and the stored snapshots; each in constant queries."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from departments.models import Department
from departments.selectors import departments_reaching_cco
from goals.models import CompensationLever, Goal, GoalLink, GoalStatus, LinkReview, Period
from goals.selectors import current_period, objectives_in_strategy

from .inputs import POWERS, DepartmentIn, GoalIn, LeverIn, LinkIn, ObjectiveIn, OrgInputs, Weights
from .models import AlignmentScore


def alignment_weights() -> Weights:
    """The engine's weights from settings (read here so the engine itself never touches settings)."""
    return Weights(
        **settings.ALIGNMENT_WEIGHTS, **settings.ORGANISATION_WEIGHTS, claim_credit=settings.LINK_CLAIM_CREDIT
    )


def scoring_inputs(*, period: Period | None = None, weights: Weights | None = None) -> OrgInputs:
    """Everything the engine needs, as plain data, in seven queries whatever the organisation's size.

    Counted goals are the period's active ones; goals the CCO vetoed come along (as `vetoed`) only so the reasons
    can say what the veto changed. Rejected links are left out; claimed ones are marked unconfirmed."""
    period = period or current_period()
    reach = departments_reaching_cco()
    objectives = tuple(
        ObjectiveIn(o["id"], o["title"], o["category"])
        for o in objectives_in_strategy(period).values("id", "title", "category")
    )
    goal_rows = list(
        Goal.objects.filter(period=period)
        .filter(Q(status=GoalStatus.ACTIVE) | Q(needs_approval=True))
        .values("id", "department_id", "title", "weight", "status")
    )
    goal_ids = [g["id"] for g in goal_rows]
    links: dict[int, list[LinkIn]] = {}
    link_rows = (
        GoalLink.objects.filter(goal_id__in=goal_ids)
        .exclude(review=LinkReview.REJECTED)
        .values("goal_id", "objective_id", "kind", "strength", "review")
    )
    for row in link_rows:
        confirmed = row["review"] == LinkReview.CONFIRMED
        links.setdefault(row["goal_id"], []).append(
            LinkIn(row["objective_id"], row["kind"], float(row["strength"]), confirmed)
        )
    goals: dict[int, list[GoalIn]] = {}
    vetoed: dict[int, list[GoalIn]] = {}
    for row in goal_rows:
        counted = goals if row["status"] == GoalStatus.ACTIVE else vetoed
        counted.setdefault(row["department_id"], []).append(
            GoalIn(row["id"], row["title"], float(row["weight"]), tuple(links.get(row["id"], ())))
        )
    levers: dict[int, list[LeverIn]] = {}
    lever_rows = CompensationLever.objects.filter(
        goal__in=[g["id"] for g in goal_rows if g["status"] == "active"]
    ).values("department_id", "manager__username", "goal_id", "share", "signed_off")
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
            powers=tuple(power for power in POWERS if getattr(reach[d["id"]], power)),
            vetoed=tuple(vetoed.get(d["id"], ())),
        )
        for d in Department.objects.order_by("pk").values("id", "name", "customer_facing")
    )
    return OrgInputs(departments=departments, objectives=objectives, weights=weights or alignment_weights())


def newest_first(department=None, *, period: Period | None = None) -> QuerySet[AlignmentScore]:
    """Snapshots newest first: of `department` (a Department, an OuterRef to one, or None for the organisation).
    Every "newest score" in the product is the first row of this ordering. With `period`, only that period's."""
    rows = (
        AlignmentScore.objects.filter(department__isnull=True)
        if department is None
        else AlignmentScore.objects.filter(department=department)
    )
    if period is not None:
        rows = rows.filter(period=period)
    return rows.order_by("-computed_at", "-pk")


def oldest_first(department=None, *, period: Period | None = None) -> QuerySet[AlignmentScore]:
    """The same snapshots as newest_first, oldest first: the first row is where a period began."""
    return newest_first(department, period=period).order_by("computed_at", "pk")


def latest_scores(period: Period | None = None) -> dict[int | None, AlignmentScore]:
    """The newest snapshot per department and for the organisation (key None), in one query; with `period`, the
    newest of that period (how a past quarter ended)."""
    newest = newest_first(OuterRef("department"), period=period).values("pk")[:1]
    newest_org = newest_first(period=period).values("pk")[:1]
    rows = AlignmentScore.objects.filter(pk__in=Subquery(newest)) | AlignmentScore.objects.filter(
        pk__in=Subquery(newest_org)
    )
    return {row.department_id: row for row in rows}


# A trend reads at most this many snapshots back to find one per day (a busy day can have hundreds).
HISTORY_SCAN_LIMIT = 5000


def score_history(
    *, department: Department | None, limit: int = 30, period: Period | None = None, daily: bool = False
) -> list[AlignmentScore]:
    """The latest `limit` snapshots of one department (or the organisation), oldest first, for a trend.

    With `daily`, one reading a day: the last snapshot of each day (in the project's time zone), for the
    `limit` most recent days; with `period`, only that period's snapshots."""
    rows = newest_first(department or None, period=period)
    if not daily:
        return list(reversed(rows[:limit]))
    days: dict = {}
    for row in rows[:HISTORY_SCAN_LIMIT]:
        day = timezone.localdate(row.computed_at)
        if day not in days:
            if len(days) == limit:
                break
            days[day] = row  # newest first, so the first seen is the day's last snapshot
    return list(reversed(days.values()))


def closing_scores(*, department: Department | None = None, limit: int = 8) -> list[tuple[Period, object]]:
    """The score each of the latest `limit` periods closed at (its newest snapshot; the current one: so far), oldest
    first, in one query: the trend across quarters."""
    closing = newest_first(department, period=OuterRef("pk")).values("score")[:1]
    begun = Period.objects.filter(Q(start__lte=timezone.localdate()) | Q(is_current=True))
    periods = begun.annotate(closing=Subquery(closing)).order_by("-start")[:limit]
    # a subquery's decimal comes back unquantized on SQLite: scores have one decimal
    rows = [(p, Decimal(p.closing).quantize(Decimal("0.1"))) for p in periods if p.closing is not None]
    return list(reversed(rows))


def snapshots_between(*, start=None, end=None):
    """Every snapshot stored from `start` to `end` (dates in the project's time zone, both included), oldest
    first, streamed so a long range does not load at once."""
    rows = AlignmentScore.objects.order_by("computed_at", "pk")
    if start:
        rows = rows.filter(computed_at__date__gte=start)
    if end:
        rows = rows.filter(computed_at__date__lte=end)
    return rows.iterator(chunk_size=2000)


def departments_with_latest_score(queryset: QuerySet[Department] | None = None) -> QuerySet[Department]:
    """Departments annotated with their newest snapshot's `alignment_score` and `score_computed_at` (None before
    the first computation), as subqueries of the one department query."""
    newest = newest_first(OuterRef("pk"))
    queryset = queryset if queryset is not None else Department.objects.all()
    return queryset.annotate(
        alignment_score=Subquery(newest.values("score")[:1]),
        score_computed_at=Subquery(newest.values("computed_at")[:1]),
    )
