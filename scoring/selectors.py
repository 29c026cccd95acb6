"""Reads for scoring: the engine's inputs as plain data, and the stored snapshots; each in constant queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cco.shared_reads import kept
from departments.models import Department
from departments.selectors import departments_reaching_cco
from goals.link_totals import objective_totals, supporting_departments
from goals.models import CompensationLever, Goal, GoalLink, GoalStatus, LinkReview, Period
from goals.selectors import current_period, objectives_in_strategy

from .inputs import POWERS, DepartmentIn, GoalIn, LeverIn, LinkIn, ObjectiveIn, OrgInputs, Support, Weights
from .models import AlignmentScore


def alignment_weights() -> Weights:
    """The engine's weights from settings (read here so the engine itself never touches settings)."""
    return Weights(
        **settings.ALIGNMENT_WEIGHTS, **settings.ORGANISATION_WEIGHTS, claim_credit=settings.LINK_CLAIM_CREDIT
    )


def scoring_inputs(
    *,
    period: Period | None = None,
    weights: Weights | None = None,
    departments: Iterable[int] | None = None,
    support: dict[int, Support] | None = None,
) -> OrgInputs:
    """Everything the engine needs, as plain data, in a constant number of queries whatever the organisation's size.

    Counted goals are the period's active ones; goals the CCO vetoed come along (as `vetoed`) only so the reasons
    can say what the veto changed. Rejected links are left out; claimed ones are marked unconfirmed. Every read is
    in primary-key order, so the same data always gives the same inputs (and fingerprints).

    With `departments`, only those departments' inputs are read, and `support` carries what the rest of the
    organisation contributes (see organisation_support_read; pass `support` when it was just read): what a
    recompute of a few departments needs."""
    period = period or current_period()
    scope = set(departments) if departments is not None else None
    objectives = tuple(
        ObjectiveIn(o["id"], o["title"], o["category"])
        for o in objectives_in_strategy(period).order_by("pk").values("id", "title", "category")
    )
    counted = Q(status=GoalStatus.ACTIVE) | Q(needs_approval=True)
    goal_rows = Goal.objects.filter(counted, period=period)
    link_rows = GoalLink.objects.filter(goal__in=Goal.objects.filter(counted, period=period).values("pk"))
    lever_rows = CompensationLever.objects.filter(goal__period=period, goal__status=GoalStatus.ACTIVE)
    department_rows = Department.objects.order_by("pk")
    if scope is not None:  # filtered by department in SQL, never by a list of thousands of goal ids
        goal_rows = goal_rows.filter(department_id__in=scope)
        link_rows = link_rows.filter(goal__department_id__in=scope)
        lever_rows = lever_rows.filter(department_id__in=scope)
        department_rows = department_rows.filter(pk__in=scope)
    links: dict[int, list[LinkIn]] = {}
    link_rows = (
        link_rows.exclude(review=LinkReview.REJECTED)
        .order_by("goal_id", "objective_id", "kind", "pk")
        .values_list("goal_id", "objective_id", "kind", "strength", "review")
    )
    for goal_id, objective_id, kind, strength, review in link_rows:
        links.setdefault(goal_id, []).append(
            LinkIn(objective_id, kind, float(strength), review == LinkReview.CONFIRMED)
        )
    goals: dict[int, list[GoalIn]] = {}
    vetoed: dict[int, list[GoalIn]] = {}
    goal_rows = goal_rows.order_by("pk").values_list("id", "department_id", "title", "weight", "status")
    for goal_id, department_id, title, weight, status in goal_rows:
        into = goals if status == GoalStatus.ACTIVE else vetoed
        into.setdefault(department_id, []).append(GoalIn(goal_id, title, float(weight), tuple(links.get(goal_id, ()))))
    levers: dict[int, list[LeverIn]] = {}
    lever_rows = lever_rows.order_by("pk").values_list(
        "department_id", "manager__username", "goal_id", "share", "signed_off"
    )
    for department_id, manager, goal_id, share, signed_off in lever_rows:
        levers.setdefault(department_id, []).append(LeverIn(manager, goal_id, float(share), signed_off))
    heads: dict[int, list[str]] = {}
    named: dict[int, dict] = {}
    for row in department_rows.order_by("pk", "heads__username").values(
        "id", "name", "customer_facing", "heads__username"
    ):
        named.setdefault(row["id"], row)  # one row per head (or one without): the same join, no query more
        if row["heads__username"] is not None:
            heads.setdefault(row["id"], []).append(row["heads__username"])
    department_rows = list(named.values())
    reach = departments_reaching_cco([d["id"] for d in department_rows])
    departments_in = tuple(
        DepartmentIn(
            id=d["id"],
            name=d["name"],
            customer_facing=d["customer_facing"],
            reach=reach[d["id"]].status,
            goals=tuple(goals.get(d["id"], ())),
            levers=tuple(levers.get(d["id"], ())),
            powers=tuple(power for power in POWERS if getattr(reach[d["id"]], power)),
            vetoed=tuple(vetoed.get(d["id"], ())),
            heads=tuple(heads.get(d["id"], ())),
        )
        for d in department_rows
    )
    return OrgInputs(
        departments=departments_in,
        objectives=objectives,
        weights=weights or alignment_weights(),
        support=None if scope is None else _support_of(period, objectives, support),
    )


def _support_of(period: Period | None, objectives: tuple[ObjectiveIn, ...], support: dict[int, Support] | None):
    """The support a scoped read carries: as given (just read by the caller, possibly empty), or read now."""
    return support if support is not None else organisation_support_read(period, {o.id for o in objectives})


def organisation_support_read(period: Period | None, objective_ids: set[int]) -> dict[int, Support]:
    """How the whole organisation supports each objective, read from the departments' link totals in one grouped
    query (goals.link_totals): the same figures measures.organisation_support counts from every department's
    inputs."""
    return {
        objective_id: Support(row["departments"], row["supporters"] > 0, row["confirmed_facing"] > 0, row["confirmed"])
        for objective_id, row in objective_totals(period, objective_ids).items()
    }


def kept_organisation_support(period: Period | None) -> dict[int, Support]:
    """The organisation's support of every objective of the strategy, as the pages' one-department previews and
    suggestions rescore against: kept until the data changes (cco.shared_reads). A recompute reads it afresh."""

    def compute() -> dict[int, Support]:
        return organisation_support_read(period, set(objectives_in_strategy(period).values_list("pk", flat=True)))

    return kept("organisation-support-2", period.pk if period else None, compute=compute)  # 2: with `confirmed`


def departments_to_rescore(period: Period | None, changed: set[int]) -> tuple[set[int], dict[int, Support]]:
    """The departments whose score a change in `changed` can move: those, plus the supporters of every objective
    supported by at most 1 + len(changed) departments, or confirmed by at most that many. A supporter's
    shared-objectives component moves only when the others supporting an objective go from none to some or back,
    or the others confirmed in it do (sharing through claims alone earns the claim credit); k changed departments
    move either count by at most k, so an objective with more than 1 + k of each leaves every supporter as it was.
    Returns them with the organisation's support, read on the way. Three queries."""
    objective_ids = set(objectives_in_strategy(period).values_list("pk", flat=True))
    support = organisation_support_read(period, objective_ids)
    reach = 1 + len(changed)
    thin = {oid for oid, s in support.items() if s.departments <= reach or s.confirmed <= reach}
    return set(changed) | supporting_departments(period, thin), support


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


def _newest_of(period: Period | None, department_ids: Iterable[int] | None) -> Q:
    """Filter for the newest snapshot of each department (of `department_ids`, or every one) and of the
    organisation. Driven by the departments, so its cost follows their number, not the snapshots' history."""
    departments = Department.objects.all()
    if department_ids is not None:
        departments = departments.filter(pk__in=list(department_ids))
    newest = departments.annotate(newest=Subquery(newest_first(OuterRef("pk"), period=period).values("pk")[:1]))
    return Q(pk__in=newest.values("newest")) | Q(pk__in=Subquery(newest_first(period=period).values("pk")[:1]))


def latest_scores(
    period: Period | None = None, *, department_ids: Iterable[int] | None = None
) -> dict[int | None, AlignmentScore]:
    """The newest snapshot per department (of `department_ids`, or every one) and for the organisation (key None),
    in one query; with `period`, the newest of that period (how a past quarter ended)."""
    rows = AlignmentScore.objects.filter(_newest_of(period, department_ids))
    return {row.department_id: row for row in rows}


@dataclass(frozen=True)
class Stamp:
    """What a store compares a new result with: the newest snapshot's fingerprint, period and time."""

    fingerprint: str
    period_id: int | None
    computed_at: datetime


def latest_stamps(department_ids: Iterable[int] | None = None) -> dict[int | None, Stamp]:
    """latest_scores' stamps only (one query), without loading the snapshots' components and reasons."""
    rows = AlignmentScore.objects.filter(_newest_of(None, department_ids)).values_list(
        "department_id", "fingerprint", "period_id", "computed_at"
    )
    return {department_id: Stamp(*stamp) for department_id, *stamp in rows}


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


def snapshots_between(*, start=None, end=None, period: Period | None = None):
    """Every snapshot stored from `start` to `end` (dates in the project's time zone, both included), oldest
    first, streamed so a long range does not load at once; with `period`, only that period's."""
    rows = AlignmentScore.objects.order_by("computed_at", "pk")
    if period is not None:
        rows = rows.filter(period=period)
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
