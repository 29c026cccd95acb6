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

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch

from cco.permissions import ensure_can
from cco.recompute import schedule_recompute
from cco.writes import one_change, save_validated
from departments.locks import lock_all_departments
from departments.models import Department

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
class LinkCarry:
    link: GoalLink
    objective: ObjectiveCarry

    @property
    def keeps_review(self) -> bool:
        return self.objective.unchanged


@dataclass(frozen=True)
class GoalCarry:
    goal: Goal
    links: tuple[LinkCarry, ...]  # remapped to the carried objective of the same title
    links_dropped: tuple[GoalLink, ...]  # to objectives not carried
    levers: tuple[CompensationLever, ...]  # following the goal
    levers_left: tuple[CompensationLever, ...]  # their manager no longer heads the department

    @property
    def unchanged(self) -> bool:
        """The goal arrives with every link it had, each keeping its review: levers keep their sign-off."""
        return not self.links_dropped and all(carry.keeps_review for carry in self.links)

    @property
    def sign_offs_kept(self) -> int:
        return sum(lever.signed_off for lever in self.levers) if self.unchanged else 0


@dataclass(frozen=True)
class DepartmentCarry:
    department: Department
    goals: tuple[GoalCarry, ...]
    goals_skipped: tuple[str, ...]  # titles already in the target period

    @property
    def links_remapped(self) -> int:
        return sum(len(g.links) for g in self.goals)

    @property
    def links_dropped(self) -> int:
        return sum(len(g.links_dropped) for g in self.goals)

    @property
    def levers(self) -> int:
        return sum(len(g.levers) for g in self.goals)


@dataclass(frozen=True)
class RollOverPlan:
    source: Period
    target: Period
    objectives: tuple[ObjectiveCarry, ...]  # chosen, in the source's order
    objectives_left_out: tuple[CustomerObjective, ...]  # active in the source, not chosen
    departments: tuple[DepartmentCarry, ...] = field(default=())

    @property
    def goals(self) -> list[GoalCarry]:
        return [g for d in self.departments for g in d.goals]

    @property
    def counts(self) -> dict[str, int]:
        goals = self.goals
        return {
            "objectives_created": sum(o.existing is None for o in self.objectives),
            "objectives_reused": sum(o.existing is not None for o in self.objectives),
            "objectives_left_out": len(self.objectives_left_out),
            "goals_created": len(goals),
            "goals_skipped": sum(len(d.goals_skipped) for d in self.departments),
            "links_remapped": sum(len(g.links) for g in goals),
            "links_dropped": sum(len(g.links_dropped) for g in goals),
            "reviews_kept": sum(
                1 for g in goals for c in g.links if c.keeps_review and c.link.review != LinkReview.CLAIMED
            ),
            "levers_created": sum(len(g.levers) for g in goals),
            "levers_left": sum(len(g.levers_left) for g in goals),
            "sign_offs_kept": sum(g.sign_offs_kept for g in goals),
        }

    @property
    def changes_anything(self) -> bool:
        counts = self.counts
        return bool(counts["objectives_created"] or counts["goals_created"])


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


def roll_over_plan(*, source: Period, target: Period, objective_ids: Iterable[int] | None = None) -> RollOverPlan:
    """What rolling `source` over into `target` would carry (reads only; raises ValidationError by field).

    `objective_ids` are the source's active objectives to carry (default: all of them); others are refused."""
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
    objectives = tuple(ObjectiveCarry(o, existing.get(o.title)) for o in active if o.pk in chosen_ids)
    carried = {carry.source.pk: carry for carry in objectives}
    taken = set(Goal.objects.filter(period=target).values_list("department_id", "title"))
    goals = (
        Goal.objects.filter(period=source, status=GoalStatus.ACTIVE)
        .select_related("department")
        .prefetch_related(
            Prefetch("links", queryset=GoalLink.objects.select_related("objective").order_by("objective_id")),
            Prefetch("levers", queryset=CompensationLever.objects.select_related("manager").order_by("pk")),
            "department__heads",
        )
        .order_by("department__name", "department_id", "-weight", "title")
    )
    by_department: dict[int, tuple[Department, list[GoalCarry], list[str]]] = {}
    for goal in goals:
        department = goal.department
        _, carries, skipped = by_department.setdefault(department.pk, (department, [], []))
        if (department.pk, goal.title) in taken:
            skipped.append(goal.title)
            continue
        heads = {head.pk for head in department.heads.all()}
        links = goal.links.all()
        levers = goal.levers.all()
        carries.append(
            GoalCarry(
                goal=goal,
                links=tuple(
                    LinkCarry(link, carried[link.objective_id]) for link in links if link.objective_id in carried
                ),
                links_dropped=tuple(link for link in links if link.objective_id not in carried),
                levers=tuple(lever for lever in levers if lever.manager_id in heads),
                levers_left=tuple(lever for lever in levers if lever.manager_id not in heads),
            )
        )
    return RollOverPlan(
        source=source,
        target=target,
        objectives=objectives,
        objectives_left_out=tuple(o for o in active if o.pk not in chosen_ids),
        departments=tuple(
            DepartmentCarry(department, tuple(carries), tuple(skipped))
            for department, carries, skipped in by_department.values()
        ),
    )


@transaction.atomic
@one_change()  # each goal copied with its links: one entry of its history (goals.history)
def period_roll_over(
    *, actor, source: Period, target: Period, objective_ids: Iterable[int] | None = None
) -> RollOverOutcome:
    """Carry the chosen objectives of `source` and every department's active goals (links remapped, levers
    following) into `target`; all or nothing, and running it again creates nothing. One recompute after commit."""
    ensure_can(actor, "change_period")
    source = Period.objects.select_for_update().get(pk=source.pk)  # two roll-overs of one period queue up
    lock_all_departments()  # the weight and pay budgets are checked against periods no one else is changing
    plan = roll_over_plan(source=source, target=target, objective_ids=objective_ids)
    objectives = {
        carry.source.title: carry.existing or _objective_copy(carry.source, target, actor) for carry in plan.objectives
    }
    goals = [_goal_copy(carry, target, objectives, actor) for carry in plan.goals]
    if plan.changes_anything:
        schedule_recompute(department_id=None)
    return RollOverOutcome(plan=plan, objectives=objectives, goals=goals)


def _objective_copy(source: CustomerObjective, target: Period, actor) -> CustomerObjective:
    objective = CustomerObjective(period=target, **{name: getattr(source, name) for name in OBJECTIVE_COPIED})
    save_validated(objective, actor=actor)
    return objective


def _goal_copy(carry: GoalCarry, target: Period, objectives: dict[str, CustomerObjective], actor) -> Goal:
    source = carry.goal
    goal = Goal(department=source.department, period=target, needs_approval=False)
    for name in GOAL_FIELDS:
        if name != "period":
            setattr(goal, name, getattr(source, name))
    goal.status = GoalStatus.ACTIVE
    save_validated(goal, actor=actor)
    for link_carry in carry.links:
        link = link_carry.link
        copy = GoalLink(goal=goal, objective=objectives[link.objective.title], kind=link.kind, strength=link.strength)
        if link_carry.keeps_review:
            copy.review, copy.reviewed_by_id, copy.reviewed_at = link.review, link.reviewed_by_id, link.reviewed_at
            copy.review_reason, copy.asserted_by_cco = link.review_reason, link.asserted_by_cco
        save_validated(copy, actor=actor)
    for lever in carry.levers:
        copy = CompensationLever(department=source.department, manager=lever.manager, goal=goal, share=lever.share)
        if carry.unchanged and lever.signed_off:
            copy.signed_off, copy.signed_off_at = True, lever.signed_off_at
            copy.signed_off_by_id = lever.signed_off_by_id
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
