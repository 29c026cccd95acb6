"""Reads for periods, objectives, goals, check-ins and levers; each in a constant number of queries."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.text import Truncator

from cco.error_pages import ExplainedNotFound
from cco.ids import plain_id
from departments.models import Department

from .models import (
    CheckIn,
    CompensationLever,
    CustomerObjective,
    Goal,
    GoalLink,
    GoalStatus,
    LinkKind,
    LinkReview,
    Period,
)


def current_period() -> Period | None:
    return Period.objects.filter(is_current=True).first()


def period_asked(value: str | None) -> Period | None:
    """The period a page or the API was asked for with ?period=<id>: None when not asked; for a non-number or an id
    that does not exist, a 404 that says so and lists the periods there are."""
    if not value:
        return None
    period_id = plain_id(value)
    period = Period.objects.filter(pk=period_id).first() if period_id is not None else None
    if period is None:
        raise _no_such_period(f"No period has the id “{Truncator(value.replace(chr(0), '')).chars(30)}”.")
    return period


def period_named(name: str | None) -> Period | None:
    """The period an export was asked for with ?period=<name> (as its files are named): None when not asked; for a
    name no period has, a 404 whose page names it and lists the periods there are."""
    if not name:
        return None
    if "\x00" not in name:  # no period is named so, and PostgreSQL refuses NUL in a query
        try:
            return Period.objects.get(name=name)
        except Period.DoesNotExist:
            pass
    raise _no_such_period(f"No period is named “{Truncator(name.replace(chr(0), '')).chars(60)}”.")


def _no_such_period(what: str) -> ExplainedNotFound:
    known = newest_period_names(13)
    if not known:
        offer = "There are no periods yet."
    else:
        offer = f"The periods are {', '.join(known[:12])}" + (" and older ones." if len(known) > 12 else ".")
    return ExplainedNotFound(f"{what} {offer}")


def newest_period_names(limit: int) -> list[str]:
    return list(Period.objects.order_by("-start").values_list("name", flat=True)[:limit])


def next_period(period: Period) -> Period | None:
    return Period.objects.filter(start__gte=period.end).order_by("start").first()


def objectives_in_strategy(period: Period | None) -> QuerySet[CustomerObjective]:
    """Active objectives of the given period: the strategy departments are scored against."""
    if period is None:
        return CustomerObjective.objects.none()
    return CustomerObjective.objects.filter(period=period, active=True)


def goal_for_page(pk: int) -> Goal:
    """One goal with its current value, department, period, links and levers loaded (raises Goal.DoesNotExist)."""
    queryset = Goal.objects.select_related("department", "period", "data_source").prefetch_related(
        Prefetch("links", queryset=GoalLink.objects.select_related("objective")),
        Prefetch("levers", queryset=CompensationLever.objects.select_related("manager", "signed_off_by")),
    )
    return queryset.get(pk=pk)


def goal_check_ins(goal: Goal) -> list[CheckIn]:
    """A goal's check-ins, oldest first (the sparkline's order), with who recorded each."""
    return list(goal.check_ins.select_related("by").order_by("at", "pk"))


EXPORTED_GOAL_FIELDS = (
    "department__name", "period__name", "title", "description", "metric", "unit", "baseline", "target", "direction",
    "weight", "status", "current_value", "current_confidence", "last_check_in_at",
)  # fmt: skip


def goals_for_export(*, period: Period | None, department: Department | None = None) -> list[dict]:
    """The goals of `period` (of every department, or of `department`) with current values and links, for the goals
    CSV: plain rows (EXPORTED_GOAL_FIELDS, and `links`: (objective title, kind, strength) by the objectives'
    category, then title), in two queries and no model instance per goal or link (30,000 goals and twice as many links
    at 2,000 departments: 12 s became 1 s)."""
    goals = Goal.objects.filter(period=period)
    if department is not None:
        goals = goals.filter(department=department)
    rows = list(goals.order_by("department__name", "-weight", "title").values("pk", *EXPORTED_GOAL_FIELDS))
    links: dict[int, list[tuple]] = {}
    for goal_id, *link in (
        GoalLink.objects.filter(goal__in=goals.values("pk"))
        .order_by("goal_id", "objective__category", "objective__title")  # the page's order, ties by title
        .values_list("goal_id", "objective__title", "kind", "strength")
    ):
        links.setdefault(goal_id, []).append(tuple(link))
    for row in rows:
        row["links"] = links.get(row["pk"], [])
    return rows


def objectives_with_support():
    """Every objective, newest period first, with how many departments' active goals support it (one query)."""
    supporting = Q(
        links__kind=LinkKind.SUPPORTS,
        links__strength__gt=0,
        links__goal__status=GoalStatus.ACTIVE,
        links__goal__period=F("period"),
    ) & ~Q(links__review=LinkReview.REJECTED)
    return (
        CustomerObjective.objects.select_related("period", "owner")
        .annotate(supporters=Count("links__goal__department", filter=supporting, distinct=True))
        .order_by("-period__start", "-active", "category", "title")
    )


def counted_links(objectives) -> QuerySet[GoalLink]:
    """Links to `objectives` (objects or ids) that count toward a score: stronger than 0 and not rejected, as the
    engine reads them (scoring.selectors leaves rejected links out, scoring.measures counts strength above 0); of
    any goal, for a subquery whose outer query has already chosen the goals."""
    return GoalLink.objects.filter(objective__in=objectives, strength__gt=0).exclude(review=LinkReview.REJECTED)


def strategy_links(period: Period | None, objectives) -> QuerySet[GoalLink]:
    """Links of the period's active goals to the strategy's objectives that count (not rejected, stronger than 0)."""
    if period is None or not objectives:
        return GoalLink.objects.none()
    return counted_links(objectives).filter(goal__period=period, goal__status=GoalStatus.ACTIVE).order_by()
