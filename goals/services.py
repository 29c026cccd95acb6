"""Every write to periods, objectives, goals, links, check-ins and levers, with the rules around it.

Each service checks the actor's permission (cco.permissions), validates with full_clean(), saves inside
one transaction (nothing half-saved), records who changed what (django-simple-history) and, where a
scoring input changed, schedules a recompute that is sent only once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cco.permissions import ensure_can
from cco.versions import ensure_current_version
from cco.writes import assign_fields, delete_recorded, save_validated
from departments.models import Department

from .models import (
    MAX_LINKS_PER_GOAL,
    CheckIn,
    CompensationLever,
    CustomerObjective,
    Goal,
    GoalLink,
    GoalStatus,
    LinkKind,
    Period,
)
from .recompute import schedule_recompute
from .selectors import next_period

GOAL_FIELDS = (
    "title",
    "description",
    "metric",
    "unit",
    "baseline",
    "target",
    "direction",
    "period",
    "weight",
    "status",
)
OBJECTIVE_FIELDS = (
    "category",
    "title",
    "description",
    "metric",
    "unit",
    "baseline",
    "target",
    "period",
    "owner",
    "active",
)
LEVER_FIELDS = ("manager", "goal", "share")


@dataclass(frozen=True)
class LinkInput:
    objective: CustomerObjective
    kind: str = LinkKind.SUPPORTS
    strength: Decimal = Decimal(1)


def _lock_department(department_id: int) -> None:
    """Serialise writers of one department so two saves cannot both pass the weight rule."""
    Department.objects.select_for_update().filter(pk=department_id).first()


# --- periods and objectives -------------------------------------------------------------------------


@transaction.atomic
def period_create(*, actor, name: str, start, end, is_current: bool = False) -> Period:
    ensure_can(actor, "add_period")
    period = Period(name=name, start=start, end=end, is_current=False)
    save_validated(period, actor=actor)
    if is_current:
        period_make_current(actor=actor, period=period)
    return period


@transaction.atomic
def period_make_current(*, actor, period: Period) -> Period:
    """Make `period` the one current period; scores move to its goals and objectives."""
    ensure_can(actor, "change_period")
    for previous in Period.objects.select_for_update().filter(is_current=True).exclude(pk=period.pk):
        previous.is_current = False
        save_validated(previous, actor=actor)
    period.is_current = True
    save_validated(period, actor=actor)
    schedule_recompute(department_id=None)
    return period


@transaction.atomic
def objective_create(*, actor, data: Mapping[str, Any]) -> CustomerObjective:
    ensure_can(actor, "add_customerobjective")
    objective = CustomerObjective(owner=actor)
    assign_fields(objective, data, OBJECTIVE_FIELDS)
    save_validated(objective, actor=actor)
    schedule_recompute(department_id=None)
    return objective


@transaction.atomic
def objective_update(*, actor, objective: CustomerObjective, data: Mapping[str, Any]) -> CustomerObjective:
    ensure_can(actor, "change_customerobjective", objective)
    assign_fields(objective, data, OBJECTIVE_FIELDS)
    save_validated(objective, actor=actor)
    schedule_recompute(department_id=None)
    return objective


def objective_archive(*, actor, objective: CustomerObjective) -> CustomerObjective:
    return objective_update(actor=actor, objective=objective, data={"active": False})


# --- goals and links --------------------------------------------------------------------------------


def parse_links(rows: Iterable[Mapping[str, Any]]) -> list[LinkInput]:
    """Turn raw rows {objective, kind, strength} into LinkInputs, naming the row of any mistake.

    More than MAX_LINKS_PER_GOAL rows are refused before any of them is looked at.
    """
    rows = list(islice(rows, MAX_LINKS_PER_GOAL + 1))
    if len(rows) > MAX_LINKS_PER_GOAL:
        raise ValidationError({"links": [f"A goal can link at most {MAX_LINKS_PER_GOAL} customer objectives."]})
    links: list[LinkInput] = []
    errors: list[str] = []
    seen: set[int] = set()
    for number, row in enumerate(rows, start=1):
        objective = row.get("objective")
        if isinstance(objective, int | str) and str(objective).isdigit():
            objective = CustomerObjective.objects.filter(pk=int(objective)).first()
        if not isinstance(objective, CustomerObjective):
            errors.append(f"Link {number}: choose a customer objective.")
            continue
        kind = row.get("kind") or LinkKind.SUPPORTS
        if kind not in LinkKind.values:
            errors.append(f"Link {number}: kind must be “supports” or “conflicts”.")
            continue
        try:
            strength = Decimal(str(row.get("strength", 1)))
        except (InvalidOperation, ValueError):
            errors.append(f"Link {number}: strength must be a number between 0 and 1.")
            continue
        if not strength.is_finite() or not Decimal(0) <= strength <= Decimal(1):
            errors.append(f"Link {number}: strength must be between 0 and 1.")
            continue
        if objective.pk in seen:
            errors.append(f"Link {number}: “{objective}” is linked twice.")
            continue
        seen.add(objective.pk)
        links.append(LinkInput(objective, kind, strength.quantize(Decimal("0.01"))))
    if errors:
        raise ValidationError({"links": errors})
    return links


def _replace_links(goal: Goal, links: list[LinkInput], *, actor) -> None:
    inactive = [link.objective.title for link in links if not link.objective.active]
    if inactive:
        raise ValidationError({"links": [f"“{title}” is archived; link an active objective." for title in inactive]})
    for old in goal.links.all():
        delete_recorded(old, actor=actor)
    for link in links:
        save_validated(
            GoalLink(goal=goal, objective=link.objective, kind=link.kind, strength=link.strength),
            actor=actor,
        )


@transaction.atomic
def goal_create(
    *, actor, department: Department, data: Mapping[str, Any], links: list[LinkInput] | None = None
) -> Goal:
    """Create a department goal (and its objective links); the department is rescored after commit."""
    ensure_can(actor, "add_goal", department)
    _lock_department(department.pk)
    goal = Goal(department=department)
    assign_fields(goal, data, GOAL_FIELDS)
    save_validated(goal, actor=actor)
    if links:
        _replace_links(goal, links, actor=actor)
    schedule_recompute(department_id=department.pk)
    return goal


@transaction.atomic
def goal_update(
    *, actor, goal: Goal, data: Mapping[str, Any], links: list[LinkInput] | None = None, version: str | None = None
) -> Goal:
    """Change a goal; `links`, when given, replaces all its links. Rescored after commit.

    With `version` (the one the person's page was read at), a goal saved since is refused, saying what changed.
    """
    ensure_can(actor, "change_goal", goal)
    _lock_department(goal.department_id)
    if version is not None:
        ensure_current_version(goal, version)
    assign_fields(goal, data, GOAL_FIELDS)
    save_validated(goal, actor=actor)
    if links is not None:
        _replace_links(goal, links, actor=actor)
    schedule_recompute(department_id=goal.department_id)
    return goal


def goal_archive(*, actor, goal: Goal) -> Goal:
    """Archive a goal: it stops counting toward weights and scores but keeps its history."""
    return goal_update(actor=actor, goal=goal, data={"status": GoalStatus.ARCHIVED})


@transaction.atomic
def goal_delete(*, actor, goal: Goal) -> None:
    ensure_can(actor, "delete_goal", goal)
    department_id = goal.department_id
    delete_recorded(goal, actor=actor)
    schedule_recompute(department_id=department_id)


@transaction.atomic
def goals_copy_to_next_period(*, actor, department: Department, period: Period) -> list[Goal]:
    """Copy the department's non-archived goals of `period` (with links, without check-ins) into the next one.

    Goals whose title already exists in the next period are skipped, so copying twice copies nothing new.
    Links follow an objective of the same title in the next period when the CCO has carried it over.
    """
    ensure_can(actor, "add_goal", department)
    target = next_period(period)
    if target is None:
        raise ValidationError({"period": f"There is no period after {period}; create it first."})
    _lock_department(department.pk)
    existing = set(Goal.objects.filter(department=department, period=target).values_list("title", flat=True))
    carried = {o.title: o for o in CustomerObjective.objects.filter(period=target, active=True)}
    sources = (
        Goal.objects.filter(department=department, period=period)
        .exclude(status=GoalStatus.ARCHIVED)
        .prefetch_related("links__objective")
    )
    copies = []
    for source in sources:
        if source.title in existing:
            continue
        copy = Goal(department=department, period=target)
        for name in GOAL_FIELDS:
            if name != "period":
                setattr(copy, name, getattr(source, name))
        save_validated(copy, actor=actor)
        for link in source.links.all():
            objective = carried.get(link.objective.title, link.objective)
            save_validated(
                GoalLink(goal=copy, objective=objective, kind=link.kind, strength=link.strength), actor=actor
            )
        copies.append(copy)
    if copies:
        schedule_recompute(department_id=department.pk)
    return copies


# --- check-ins --------------------------------------------------------------------------------------


@transaction.atomic
def check_in_create(*, actor, goal: Goal, value, confidence: str, comment: str = "", at=None) -> CheckIn:
    """Record a goal's new value; it becomes the goal's current value."""
    ensure_can(actor, "add_checkin", goal)
    if goal.status == GoalStatus.ARCHIVED:
        raise ValidationError({"goal": "This goal is archived; check-ins are closed."})
    check_in = CheckIn(
        goal=goal, value=value, confidence=confidence, comment=comment, by=actor, at=at or timezone.now()
    )
    save_validated(check_in, actor=actor)
    schedule_recompute(department_id=goal.department_id)
    return check_in


# --- compensation levers ----------------------------------------------------------------------------


@transaction.atomic
def lever_create(*, actor, department: Department, data: Mapping[str, Any]) -> CompensationLever:
    ensure_can(actor, "add_compensationlever", department)
    lever = CompensationLever(department=department)
    assign_fields(lever, data, LEVER_FIELDS)
    save_validated(lever, actor=actor)
    schedule_recompute(department_id=department.pk)
    return lever


@transaction.atomic
def lever_update(
    *, actor, lever: CompensationLever, data: Mapping[str, Any], version: str | None = None
) -> CompensationLever:
    """Change a lever; a change to its share or goal voids the CCO's sign-off. `version` as for goal_update."""
    ensure_can(actor, "change_compensationlever", lever)
    if version is not None:
        ensure_current_version(lever, version)
    before = (lever.goal_id, lever.share, lever.manager_id)
    assign_fields(lever, data, LEVER_FIELDS)
    if lever.signed_off and (lever.goal_id, lever.share, lever.manager_id) != before:
        lever.signed_off, lever.signed_off_at, lever.signed_off_by = False, None, None
    save_validated(lever, actor=actor)
    schedule_recompute(department_id=lever.department_id)
    return lever


@transaction.atomic
def lever_delete(*, actor, lever: CompensationLever) -> None:
    ensure_can(actor, "delete_compensationlever", lever)
    department_id = lever.department_id
    delete_recorded(lever, actor=actor)
    schedule_recompute(department_id=department_id)


# --- importing goals --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did; when `errors` is not empty nothing was saved."""

    created: int = 0
    updated: int = 0
    errors: tuple = ()  # goals.csv_io.RowError: (row, field, message)


class _ImportRejected(Exception):
    """Raised inside the import's transaction to roll every row back."""


def goals_import(*, actor, department: Department, rows: Iterable) -> ImportOutcome:
    """Create or update the department's goals from rows read by goals.csv_io, all or nothing.

    A row whose title already exists in its period updates that goal (its links replaced by the row's);
    any other row creates a goal. Rows land in file order through goal_create/goal_update, so every rule
    (weight total, target vs. baseline, links) applies as it does in the form. When any row is invalid
    nothing is saved and the outcome lists every row's problems.
    """
    from .csv_io import RowError  # csv_io reads rows with this module's parse_links

    ensure_can(actor, "add_goal", department)
    rows = list(rows)
    errors = [error for row in rows for error in row.errors]
    created = updated = 0
    try:
        with transaction.atomic():
            _lock_department(department.pk)
            for row in rows:
                if row.errors:
                    continue
                existing = Goal.objects.filter(
                    department=department, period=row.data["period"], title=row.data["title"]
                ).first()
                try:
                    with transaction.atomic():
                        if existing:
                            goal_update(actor=actor, goal=existing, data=row.data, links=row.links)
                            updated += 1
                        else:
                            goal_create(actor=actor, department=department, data=row.data, links=row.links)
                            created += 1
                except ValidationError as exc:
                    by_field = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                    for field, messages in by_field.items():
                        errors.extend(RowError(row.number, field.replace("__all__", ""), m) for m in messages)
            if errors:
                raise _ImportRejected
    except _ImportRejected:
        return ImportOutcome(errors=tuple(errors))
    return ImportOutcome(created=created, updated=updated)
