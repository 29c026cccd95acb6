"""Rolling a quarter over: the CCO carries the chosen objectives of one period, and every department's active goals
(their links remapped, their levers following), into the next period in one all-or-nothing, idempotent action.

`roll_over_plan` only reads: it says what `period_roll_over` would create, so the page and the API can show it
first (scoring.rollover previews the organisation score it gives). What is already in the target period is
matched by title and never duplicated: running the roll-over twice creates nothing the second time.

What survives the move, and why (docs/alignment.md, "Rolling a quarter over"):
- a link keeps its review (confirmed or rejected, who, when, why) and whether the CCO asserted it only when it is
  carried to an objective carried unchanged (an objective of the same title that already exists in the target
  period with other numbers, category or status is a change the CCO has not reviewed the link against);
- a lever keeps the CCO's sign-off only when its goal was carried with every link unchanged (none dropped, each
  keeping its review): that is what the sign-off vouched for (goals.services.material_state).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q

from cco.permissions import ensure_can
from cco.recompute import schedule_recompute
from cco.writes import one_change, save_validated
from departments.models import Department

from . import link_totals
from .locks import take_period_whole
from .models import CompensationLever, CustomerObjective, Goal, GoalLink, GoalStatus, LinkReview, Period
from .services import GOAL_FIELDS

# What makes an objective of the same title in the target period "the same objective" for the links' reviews.
OBJECTIVE_MATERIAL = ("category", "metric", "unit", "baseline", "target", "active")
OBJECTIVE_COPIED = ("category", "title", "description", "metric", "unit", "baseline", "target", "owner", "active")


@dataclass(frozen=True)
class ObjectiveCarry:
    source: CustomerObjective
    existing: CustomerObjective | None  # the target period's objective of the same title, reused

    @property
    def unchanged(self) -> bool:
        """Carried as it was: created from the source, or reused with the same material fields."""
        if self.existing is None:
            return True
        return all(getattr(self.existing, name) == getattr(self.source, name) for name in OBJECTIVE_MATERIAL)


@dataclass(frozen=True)
class DepartmentCarry:
    """One department's share of the plan, as counts read grouped by department (never goal by goal): what it
    carries, and what it loses on the way (links, reviews, levers, sign-offs)."""

    id: int
    name: str
    goals: int = 0  # carried
    goals_skipped: int = 0  # titles already in the target period
    links_remapped: int = 0
    links_dropped: int = 0  # to objectives not carried
    reviews_kept: int = 0  # confirmed or rejected links to objectives carried unchanged
    reviews_withdrawn: int = 0  # confirmed or rejected links to objectives changed in the target: claims again
    levers: int = 0  # following their goals
    levers_left: int = 0  # their manager no longer heads the department
    sign_offs_kept: int = 0
    sign_offs_withdrawn: int = 0  # their goal does not arrive with every link and review it had

    @property
    def loses_something(self) -> bool:
        """What the CCO has to look at before running: anything the department has now and will not have after."""
        return bool(self.links_dropped or self.reviews_withdrawn or self.levers_left or self.sign_offs_withdrawn)


@dataclass(frozen=True)
class RollOverPlan:
    source: Period
    target: Period
    objectives: tuple[ObjectiveCarry, ...]  # chosen, in the source's order
    objectives_left_out: tuple[CustomerObjective, ...]  # active in the source, not chosen
    departments: tuple[DepartmentCarry, ...] = field(default=())  # with active goals in the source, by name
    # What the score preview (scoring.rollover) needs beyond the counts, as ids:
    target_departments: frozenset[int] = frozenset()  # departments already holding goals in the target
    skipped_goal_ids: frozenset[int] = frozenset()  # source goals whose title the target already holds
    withdrawn_sign_off_goal_ids: frozenset[int] = frozenset()  # carried goals whose signed-off levers lose it
    claims_again: tuple[tuple[int, int, str, float], ...] = ()  # rejected links (goal, objective, kind, strength)
    # to objectives changed in the target: they arrive as claims

    @property
    def carried_ids(self) -> set[int]:
        return {carry.source.pk for carry in self.objectives}

    @property
    def unchanged_ids(self) -> set[int]:
        """The carried objectives whose links keep their review."""
        return {carry.source.pk for carry in self.objectives if carry.unchanged}

    @property
    def counts(self) -> dict[str, int]:
        totals = {name: sum(getattr(d, name) for d in self.departments) for name in _DEPARTMENT_COUNTS}
        return {
            "objectives_created": sum(o.existing is None for o in self.objectives),
            "objectives_reused": sum(o.existing is not None for o in self.objectives),
            "objectives_left_out": len(self.objectives_left_out),
            "goals_created": totals["goals"],
            "goals_skipped": totals["goals_skipped"],
            "links_remapped": totals["links_remapped"],
            "links_dropped": totals["links_dropped"],
            "reviews_kept": totals["reviews_kept"],
            "reviews_withdrawn": totals["reviews_withdrawn"],
            "levers_created": totals["levers"],
            "levers_left": totals["levers_left"],
            "sign_offs_kept": totals["sign_offs_kept"],
            "sign_offs_withdrawn": totals["sign_offs_withdrawn"],
        }

    @property
    def changes_anything(self) -> bool:
        counts = self.counts
        return bool(counts["objectives_created"] or counts["goals_created"])


_DEPARTMENT_COUNTS = tuple(name for name in DepartmentCarry.__dataclass_fields__ if name not in ("id", "name"))


@dataclass(frozen=True)
class RollOverOutcome:
    plan: RollOverPlan
    objectives: dict[str, CustomerObjective]  # by title, in the target period
    goals: list[Goal]

    @property
    def counts(self) -> dict[str, int]:
        return self.plan.counts


def roll_over_refusal(*, source: Period, target: Period) -> dict[str, str]:
    """Why `source` cannot be rolled over into `target`, by field; empty when it can."""
    if source.pk == target.pk:
        return {"source": f"{target} cannot be rolled over into itself; choose the period before it."}
    if target.start < source.end:
        return {
            "source": f"{target} starts on {target.start:%-d %b %Y}, before {source} ends; roll a period over only "
            "into a later one."
        }
    return {}


def roll_over_check(*, source: Period, target: Period, objective_ids: Iterable[int] | None = None) -> None:
    """Refuse (ValidationError by field) what `roll_over_plan` would refuse, without counting a department: the
    quick check made when a roll-over is queued (the run checks again, with every model's rules)."""
    _checked(source=source, target=target, objective_ids=objective_ids)


def _checked(*, source: Period, target: Period, objective_ids: Iterable[int] | None):
    refusal = roll_over_refusal(source=source, target=target)
    if refusal:
        raise ValidationError(refusal)
    active = list(CustomerObjective.objects.filter(period=source, active=True).order_by("category", "title"))
    chosen_ids = {o.pk for o in active} if objective_ids is None else set(objective_ids)
    unknown = chosen_ids - {o.pk for o in active}
    if unknown:
        raise ValidationError(
            {
                "objectives": f"Only active objectives of {source} can be carried over; "
                f"{_objective_names(unknown)} {'is' if len(unknown) == 1 else 'are'} not one of them."
            }
        )
    existing = {o.title: o for o in CustomerObjective.objects.filter(period=target)}
    archived = [o.title for o in active if o.pk in chosen_ids and o.title in existing and not existing[o.title].active]
    if archived:
        raise ValidationError(
            {
                "objectives": [
                    f"“{title}” is archived in {target}: restore it there, or leave it out of the roll-over (its "
                    "goals' links to it are then dropped)."
                    for title in archived
                ]
            }
        )
    return active, chosen_ids, existing


def roll_over_plan(*, source: Period, target: Period, objective_ids: Iterable[int] | None = None) -> RollOverPlan:
    """What rolling `source` over into `target` would carry (reads only; raises ValidationError by field).

    `objective_ids` are the source's active objectives to carry (default: all of them); others are refused."""
    active, chosen_ids, existing = _checked(source=source, target=target, objective_ids=objective_ids)
    objectives = tuple(ObjectiveCarry(o, existing.get(o.title)) for o in active if o.pk in chosen_ids)
    carried = {carry.source.pk for carry in objectives}
    unchanged = {carry.source.pk for carry in objectives if carry.unchanged}
    goals = Goal.objects.filter(period=source, status=GoalStatus.ACTIVE)
    links = GoalLink.objects.filter(goal__period=source, goal__status=GoalStatus.ACTIVE)
    taken, link_taken = _taken(target, ""), _taken(target, "goal__")
    levers = CompensationLever.objects.filter(goal__period=source, goal__status=GoalStatus.ACTIVE).exclude(link_taken)
    reworked = Exists(GoalLink.objects.filter(goal_id=OuterRef("goal_id")).exclude(objective_id__in=unchanged))
    return RollOverPlan(
        source=source,
        target=target,
        objectives=objectives,
        objectives_left_out=tuple(o for o in active if o.pk not in chosen_ids),
        departments=_departments(goals, links.exclude(link_taken), levers, taken, carried, unchanged, reworked),
        target_departments=frozenset(
            Goal.objects.filter(period=target).order_by().values_list("department_id", flat=True).distinct()
        ),
        skipped_goal_ids=frozenset(goals.filter(taken).values_list("pk", flat=True)),
        withdrawn_sign_off_goal_ids=frozenset(
            levers.filter(reworked, signed_off=True).values_list("goal_id", flat=True)
        ),
        claims_again=tuple(
            (goal_id, objective_id, kind, float(strength))
            for goal_id, objective_id, kind, strength in links.exclude(link_taken)
            .filter(review=LinkReview.REJECTED, objective_id__in=carried - unchanged)
            .order_by("goal_id", "objective_id")
            .values_list("goal_id", "objective_id", "kind", "strength")
        ),
    )


def _taken(target: Period, goal: str) -> Exists:
    """Whether the target already holds a goal of this department and title (`goal`: the path to the goal)."""
    same = Goal.objects.filter(
        period=target, department_id=OuterRef(f"{goal}department_id"), title=OuterRef(f"{goal}title")
    )
    return Exists(same)


def _departments(goals, links, levers, taken, carried: set[int], unchanged: set[int], reworked) -> tuple:
    """Each department's counts, in three grouped queries (goals, links, levers) whatever the organisation's size."""
    reviewed = ~Q(review=LinkReview.CLAIMED)
    heads = Exists(
        Department.heads.through.objects.filter(
            department_id=OuterRef("goal__department_id"), user_id=OuterRef("manager_id")
        )
    )
    rows = {
        row["department_id"]: row
        for row in goals.values("department_id", "department__name")
        .annotate(goals=Count("pk", filter=~taken), goals_skipped=Count("pk", filter=taken))
        .order_by("department__name", "department_id")
    }
    grouped = (
        links.values("goal__department_id").annotate(
            links_remapped=Count("pk", filter=Q(objective_id__in=carried)),
            links_dropped=Count("pk", filter=~Q(objective_id__in=carried)),
            reviews_kept=Count("pk", filter=Q(objective_id__in=unchanged) & reviewed),
            reviews_withdrawn=Count("pk", filter=Q(objective_id__in=carried - unchanged) & reviewed),
        ),
        levers.values("goal__department_id").annotate(
            levers=Count("pk", filter=heads),
            levers_left=Count("pk", filter=~heads),
            sign_offs_kept=Count("pk", filter=heads & Q(signed_off=True) & ~reworked),
            sign_offs_withdrawn=Count("pk", filter=heads & Q(signed_off=True) & reworked),
        ),
    )
    for counts in grouped:
        for row in counts.order_by():
            rows[row.pop("goal__department_id")].update(row)
    return tuple(
        DepartmentCarry(id=row.pop("department_id"), name=row.pop("department__name"), **row) for row in rows.values()
    )


def goal_titles(plan: RollOverPlan) -> dict[int, tuple[list[str], list[str]]]:
    """Each department's goal titles, (carried, already in the target), in the plan's order: for the API, which
    lists them; one query of titles, no goal built."""
    taken = _taken(plan.target, "")
    rows = (
        Goal.objects.filter(period=plan.source, status=GoalStatus.ACTIVE)
        .annotate(taken=taken)
        .order_by("department__name", "department_id", "-weight", "title")
        .values_list("department_id", "title", "taken")
    )
    titles: dict[int, tuple[list[str], list[str]]] = {}
    for department_id, title, skipped in rows:
        titles.setdefault(department_id, ([], []))[skipped].append(title)
    return titles


@transaction.atomic
@one_change()  # each goal copied with its links: one entry of its history (goals.history)
def period_roll_over(
    *,
    actor,
    source: Period,
    target: Period,
    objective_ids: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RollOverOutcome:
    """Carry the chosen objectives of `source` and every department's active goals (links remapped, levers
    following) into `target`; all or nothing, and running it again creates nothing. One recompute after commit.

    `progress(copied, total)` hears how many goals are copied, every PROGRESS_EVERY and at the end: nothing is
    visible to others before the commit, so a job's page learns it this way (scoring.rollover_jobs)."""
    ensure_can(actor, "change_period")
    # Nobody else writes into the target while this runs (its weight and pay budgets are checked against it), and two
    # roll-overs into it queue up; edits of every other period, the source's included, go on (goals.locks).
    target = take_period_whole(target)
    plan = roll_over_plan(source=source, target=target, objective_ids=objective_ids)
    objectives = {
        carry.source.title: carry.existing or _objective_copy(carry.source, target, actor) for carry in plan.objectives
    }
    by_source = {carry.source.pk: objectives[carry.source.title] for carry in plan.objectives}
    to_copy = _goals_to_copy(plan)
    report = progress or (lambda copied, total: None)
    report(0, len(to_copy))
    goals = []
    with link_totals.deferred():  # the target's totals rewritten once, not after each goal and link
        for carry in to_copy:
            goals.append(_goal_copy(carry, target, by_source, plan.unchanged_ids, actor))
            if len(goals) % PROGRESS_EVERY == 0:
                report(len(goals), len(to_copy))
    report(len(goals), len(to_copy))
    if plan.changes_anything:
        schedule_recompute(department_id=None)
    return RollOverOutcome(plan=plan, objectives=objectives, goals=goals)


PROGRESS_EVERY = 250  # goals copied between two reports of a run's progress

# The goal's fields a roll-over copies, as stored (a foreign key by its id).
GOAL_COPIED = tuple(Goal._meta.get_field(name).attname for name in GOAL_FIELDS if name != "period")
LINK_COPIED = ("objective_id", "kind", "strength", "review", "reviewed_by_id", "reviewed_at", "review_reason",
               "asserted_by_cco")  # fmt: skip
LEVER_COPIED = ("manager_id", "share", "signed_off", "signed_off_at", "signed_off_by_id")


@dataclass(frozen=True)
class GoalToCopy:
    """A carried goal as the run reads it: its stored values, every link it has, and the levers that follow it."""

    department: Department
    values: dict
    links: tuple[dict, ...]
    levers: tuple[dict, ...]


def _goals_to_copy(plan: RollOverPlan) -> list[GoalToCopy]:
    """The carried goals in the plan's order (by department, heaviest first), read as values in four queries."""
    goals = Goal.objects.filter(period=plan.source, status=GoalStatus.ACTIVE).exclude(_taken(plan.target, ""))
    ids = goals.order_by().values("pk")
    links: dict[int, list[dict]] = {}
    for link in (
        GoalLink.objects.filter(goal__in=ids).order_by("goal_id", "objective_id").values("goal_id", *LINK_COPIED)
    ):
        links.setdefault(link.pop("goal_id"), []).append(link)
    levers: dict[int, list[dict]] = {}
    heads = Department.heads.through.objects.filter(
        department_id=OuterRef("goal__department_id"), user_id=OuterRef("manager_id")
    )
    for lever in (
        CompensationLever.objects.filter(Exists(heads), goal__in=ids).order_by("pk").values("goal_id", *LEVER_COPIED)
    ):
        levers.setdefault(lever.pop("goal_id"), []).append(lever)
    rows = goals.order_by("department__name", "department_id", "-weight", "title").values(
        "pk", "department_id", *GOAL_COPIED
    )
    copies = []
    for row in rows:
        goal_id, department_id = row.pop("pk"), row.pop("department_id")
        copies.append((department_id, row, tuple(links.get(goal_id, ())), tuple(levers.get(goal_id, ()))))
    departments = Department.objects.in_bulk({department_id for department_id, *_ in copies})
    return [GoalToCopy(departments[department_id], *rest) for department_id, *rest in copies]


def _objective_copy(source: CustomerObjective, target: Period, actor) -> CustomerObjective:
    objective = CustomerObjective(period=target, **{name: getattr(source, name) for name in OBJECTIVE_COPIED})
    with _refusal_names(f"The objective “{source.title}”"):
        save_validated(objective, actor=actor)
    return objective


@contextmanager
def _refusal_names(what: str):
    """A rule refusing one of thousands of copies says which: "Service, the goal “Answer first time”: …", where the
    model's own message names only the rule and the period."""
    try:
        yield
    except ValidationError as refused:
        if hasattr(refused, "error_dict"):  # by field still, for the API's field errors
            named = {field: [f"{what}: {m}" for m in messages] for field, messages in refused.message_dict.items()}
            raise ValidationError(named) from refused
        raise ValidationError([f"{what}: {message}" for message in refused.messages]) from refused


def _goal_copy(
    carry: GoalToCopy, target: Period, objectives: dict[int, CustomerObjective], unchanged: set[int], actor
) -> Goal:
    with _refusal_names(f"{carry.department}, the goal “{carry.values['title']}”"):
        return _goal_copied(carry, target, objectives, unchanged, actor)


def _goal_copied(
    carry: GoalToCopy, target: Period, objectives: dict[int, CustomerObjective], unchanged: set[int], actor
) -> Goal:
    goal = Goal(department=carry.department, period=target, needs_approval=False, **carry.values)
    goal.status = GoalStatus.ACTIVE
    save_validated(goal, actor=actor)
    for link in carry.links:
        if link["objective_id"] not in objectives:
            continue  # its objective is not carried: the link is dropped
        copy = GoalLink(
            goal=goal, objective=objectives[link["objective_id"]], kind=link["kind"], strength=link["strength"]
        )
        if link["objective_id"] in unchanged:
            copy.review, copy.reviewed_by_id, copy.reviewed_at = (
                link["review"],
                link["reviewed_by_id"],
                link["reviewed_at"],
            )
            copy.review_reason, copy.asserted_by_cco = link["review_reason"], link["asserted_by_cco"]
        save_validated(copy, actor=actor)
    keeps_sign_offs = all(link["objective_id"] in unchanged for link in carry.links)
    for lever in carry.levers:
        copy = CompensationLever(
            department=carry.department, manager_id=lever["manager_id"], goal=goal, share=lever["share"]
        )
        if keeps_sign_offs and lever["signed_off"]:
            copy.signed_off, copy.signed_off_at = True, lever["signed_off_at"]
            copy.signed_off_by_id = lever["signed_off_by_id"]
        _lever_save(copy, target, actor=actor)
    return goal


def _lever_save(lever: CompensationLever, target: Period, *, actor) -> None:
    """Validate with every rule of CompensationLever.clean() but one, then save.

    The model refuses to tie pay newly to a goal outside the *current* period (`goal_refusal`), because such pay
    would not count now. A roll-over prepares the *next* period before it becomes current, and the lever is not a
    new choice but the one the department already made, following its goal. So the one refusal tolerated here is
    the current-period one, and only for an active goal of the roll-over's target period; the rest (department,
    the manager heads it, 100% of variable pay per period, field bounds, uniqueness) is the model's as always."""
    tolerated = CompensationLever.goal_refusal(lever.goal)
    try:
        lever.full_clean()
    except ValidationError as error:
        errors = error.message_dict
        in_target = lever.goal.status == GoalStatus.ACTIVE and lever.goal.period_id == target.pk
        if in_target:
            errors["goal"] = [message for message in errors.get("goal", []) if message != tolerated]
        errors = {name: messages for name, messages in errors.items() if messages}
        if errors:
            raise ValidationError(errors) from error
    lever._history_user = actor
    lever.save()


def _objective_names(ids: set[int]) -> str:
    """The objectives' titles for a sentence ("“A”, “B”"); an id that names no objective is said as a number."""
    titles = dict(CustomerObjective.objects.filter(pk__in=ids).values_list("pk", "title"))
    return ", ".join(f"“{titles[pk]}”" if pk in titles else f"objective {pk}" for pk in sorted(ids))
