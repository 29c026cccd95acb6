"""goals.LinkTotal kept in step with the links and goals it totals, and the organisation-wide figures read from it.

Every figure here was a grouped join of every counted link to its goal (about 30,000 of each at 2,000 departments,
the slowest part of the dashboard and of a one-edit recompute). A department's totals are rewritten whenever one of
its goals, their links or their latest readings change, inside the writing transaction, so a read never sees them
out of step with what was committed:

- saves and deletes of goals and links, through signals (connected in GoalsConfig.ready);
- latest readings copied onto goals in bulk (goals.models.refresh_latest_readings), whose UPDATE sends no post_save,
  through the signal it sends instead; any other bulk write of goals or links must call `refresh_goals` (demo.synthetic
  rebuilds everything at the end, through refresh_latest_readings).

`manage.py rebuild_link_totals` rewrites every row from the links, should they ever be written around all of this.
A migration that changes the totals' columns rewrites them with this module's `refresh` and turns the earlier
migrations' calls of it into nothing (goals 0014, 0020): they would run today's code against older columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections
from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.db.models.signals import post_delete, post_save

from .models import Goal, GoalLink, GoalStatus, LinkKind, LinkReview, LinkTotal, Period, latest_readings_refreshed

_COLUMNS = (  # in the order _totals_of selects them
    "period_id",
    "department_id",
    "objective_id",
    "supporting",
    "confirmed_supporting",
    "conflicting",
    "reporting",
    "confirmed_strength",
    "claimed_strength",
    "confirmed_progress",
    "claimed_progress",
    "typed_reporting",
    "confirmed_typed_strength",
    "claimed_typed_strength",
    "confirmed_typed_progress",
    "claimed_typed_progress",
)


def _totals_of(links: QuerySet) -> QuerySet:
    """The links' totals per (period, department, objective), one row each with _COLUMNS in order: the counted
    links (stronger than 0, not rejected) of active goals, as goals.selectors.strategy_links counts them."""
    supports, confirmed = Q(kind=LinkKind.SUPPORTS), Q(review=LinkReview.CONFIRMED)
    reporting = supports & Q(goal__current_value__isnull=False)
    typed = reporting & Q(goal__current_reading_fed=False)
    strength = Cast("strength", FloatField())
    progress = ExpressionWrapper(strength * F("goal__current_progress"), output_field=FloatField())

    def total(expression, where: Q) -> Coalesce:
        return Coalesce(Sum(expression, filter=where), Value(0.0), output_field=FloatField())

    return (
        links.filter(strength__gt=0, goal__status=GoalStatus.ACTIVE)
        .exclude(review=LinkReview.REJECTED)
        .values("goal__period_id", "goal__department_id", "objective_id")
        .annotate(
            supporting=Count("pk", filter=supports),
            confirmed_supporting=Count("pk", filter=supports & confirmed),
            conflicting=Count("pk", filter=Q(kind=LinkKind.CONFLICTS)),
            reporting=Count("pk", filter=reporting),
            confirmed_strength=total(strength, reporting & confirmed),
            claimed_strength=total(strength, reporting & ~confirmed),
            confirmed_progress=total(progress, reporting & confirmed),
            claimed_progress=total(progress, reporting & ~confirmed),
            typed_reporting=Count("pk", filter=typed),
            confirmed_typed_strength=total(strength, typed & confirmed),
            claimed_typed_strength=total(strength, typed & ~confirmed),
            confirmed_typed_progress=total(progress, typed & confirmed),
            claimed_typed_progress=total(progress, typed & ~confirmed),
        )
        .values_list("goal__period_id", "goal__department_id", "objective_id", *_COLUMNS[3:])
        .order_by()
    )


def refresh(periods: Iterable[int] | None = None, departments: Iterable[int] | None = None, *, models=None) -> None:
    """Rewrite the totals of these periods' and departments' goals (None: all of them) from their links: a DELETE
    and an INSERT … SELECT, however many departments (every total at 2,000 departments in well under a second).
    `models`: (GoalLink, LinkTotal), historical ones in a migration."""
    link_model, total_model = models or (GoalLink, LinkTotal)
    rows, links = total_model.objects.all(), link_model.objects.all()
    if periods is not None:
        periods = set(periods)
        rows, links = rows.filter(period_id__in=periods), links.filter(goal__period_id__in=periods)
    if departments is not None:
        departments = set(departments)
        rows, links = rows.filter(department_id__in=departments), links.filter(goal__department_id__in=departments)
    if periods == set() or departments == set():
        return
    rows.delete()  # no signal listens to LinkTotal, so this is one DELETE
    select, params = _totals_of(links).query.sql_with_params()
    connection = connections[rows.db]
    table = connection.ops.quote_name(total_model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in _COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)


def refresh_goals(goals: QuerySet[Goal]) -> None:
    """Rewrite the totals of the departments and periods these goals belong to (after a bulk write to them)."""
    _refresh_pairs(set(goals.order_by().values_list("period_id", "department_id").distinct()))


def objective_totals(period: Period | None, objective_ids: Iterable[int]) -> dict[int, dict]:
    """Per objective (those with a counted link of the period's active goals), over every department, in one
    grouped query:

    - departments: how many departments support it, and supporters: how many customer-facing ones;
    - confirmed: how many support it through a link the CCO confirmed, and confirmed_facing: how many
      customer-facing ones do;
    - conflicts: how many links conflict with it;
    - its roll-up, ready for goals.outcomes.rollup_of: rollup_weighted, rollup_total, rollup_reporting,
      rollup_counted and rollup_typed (reporting goals whose reading was typed, not fed), each supporting link
      weighted by its strength times its credit (1 when confirmed, LINK_CLAIM_CREDIT while claimed) times its
      reading's (1 when fed by a data source, TYPED_READING_CREDIT when typed by a person)."""
    objective_ids = set(objective_ids)
    if period is None or not objective_ids:
        return {}
    credit = Value(settings.LINK_CLAIM_CREDIT, output_field=FloatField())
    # What a typed reading's weight loses: strength × (1 − TYPED_READING_CREDIT).
    typed_loss = Value(1.0 - settings.TYPED_READING_CREDIT, output_field=FloatField())

    def weighted(measure: str) -> Sum:
        """Σ over the links of `measure` (strength or progress), confirmed ones in full and claims at their credit,
        each less what its typed readings lose."""

        def kept(review: str):
            return F(f"{review}_{measure}") - typed_loss * F(f"{review}_typed_{measure}")

        return Sum(kept("confirmed") + credit * kept("claimed"), output_field=FloatField())

    supports, facing = Q(supporting__gt=0), Q(department__customer_facing=True)
    rows = (
        LinkTotal.objects.filter(period=period, objective_id__in=objective_ids)
        .values("objective_id")
        .annotate(
            departments=Count("pk", filter=supports),
            supporters=Count("pk", filter=supports & facing),
            confirmed=Count("pk", filter=Q(confirmed_supporting__gt=0)),
            confirmed_facing=Count("pk", filter=Q(confirmed_supporting__gt=0) & facing),
            conflicts=Sum("conflicting"),
            rollup_weighted=weighted("progress"),
            rollup_total=weighted("strength"),
            rollup_reporting=Sum("reporting"),
            rollup_counted=Sum("supporting"),
            rollup_typed=Sum("typed_reporting"),
        )
        .order_by()
    )
    return {row["objective_id"]: row for row in rows}


def supporting_departments(period: Period | None, objective_ids: Iterable[int]) -> set[int]:
    """The departments whose active goals of `period` support any of these objectives (one query)."""
    objective_ids = set(objective_ids)
    if period is None or not objective_ids:
        return set()
    rows = LinkTotal.objects.filter(period=period, objective_id__in=objective_ids, supporting__gt=0)
    return set(rows.values_list("department_id", flat=True).distinct())


def connect() -> None:
    """Rewrite a department's totals whenever one of its goals or links is saved or deleted (GoalsConfig.ready)."""
    post_save.connect(_goal_written, sender=Goal, dispatch_uid="link-totals-goal-saved")
    post_delete.connect(_goal_written, sender=Goal, dispatch_uid="link-totals-goal-deleted")
    post_save.connect(_link_written, sender=GoalLink, dispatch_uid="link-totals-link-saved")
    post_delete.connect(_link_written, sender=GoalLink, dispatch_uid="link-totals-link-deleted")
    latest_readings_refreshed.connect(_readings_refreshed, sender=Goal, dispatch_uid="link-totals-readings")


def _goal_written(sender, instance: Goal, **kwargs) -> None:
    """Its department and period now, and where it was when loaded, should it have moved (Goal.stored_pair)."""
    pairs = {(instance.period_id, instance.department_id), instance.stored_pair}
    instance.stored_pair = (instance.period_id, instance.department_id)
    _refresh_pairs(pairs)


def _link_written(sender, instance: GoalLink, **kwargs) -> None:
    if GoalLink.goal.is_cached(instance):
        pairs = {(instance.goal.period_id, instance.goal.department_id)}
    else:  # a link loaded on its own (a cascade, the API): its goal is still there, deleted after its links
        pairs = set(Goal.objects.filter(pk=instance.goal_id).values_list("period_id", "department_id"))
    _refresh_pairs(pairs)


def _readings_refreshed(sender, goals: QuerySet[Goal], **kwargs) -> None:
    refresh_goals(goals)


@contextmanager
def deferred() -> Iterator[None]:
    """Within it, saves and deletes of goals and links note what they touch, and leaving it rewrites those totals
    once: for a write of thousands of goals and links in one transaction (the roll-over), where rewriting the
    department's totals after each of them cost most of the run. Nothing may read the totals inside it; an error
    leaves them to the transaction's rollback."""
    if _deferred.get() is not None:  # already inside one: the outer one rewrites
        yield
        return
    pending: set[tuple[int, int]] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    _refresh_pairs(pending)


_deferred: ContextVar[set[tuple[int, int]] | None] = ContextVar("link_totals_deferred", default=None)


def _refresh_pairs(pairs: set[tuple[int | None, int | None]]) -> None:
    """Rewrite every period × department of `pairs`: a few more than the pairs when they span several of each, and
    never fewer."""
    pairs = {(period, department) for period, department in pairs if period is not None and department is not None}
    pending = _deferred.get()
    if pending is not None:
        pending |= pairs
        return
    if pairs:
        refresh({period for period, _ in pairs}, {department for _, department in pairs})
