"""Every write to periods, objectives, goals, links, check-ins and levers, with the rules around it.

Each service checks the actor's permission (cco.permissions), validates with full_clean(), saves inside
one transaction (nothing half-saved), records who changed what (django-simple-history) and, where a
scoring input changed, schedules a recompute that is sent only once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cco.permissions import can, ensure_can
from cco.recompute import schedule_recompute
from cco.versions import ensure_current_version
from cco.wording import counted, number
from cco.writes import assign_fields, delete_recorded, one_change, save_validated
from departments.locks import lock_department
from departments.models import Department

from .links import LinkInput
from .locks import hold_periods
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
    objective_outside_period,
)
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
    "data_source",
    "source_metric",
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
    "data_source",
    "source_metric",
)
LEVER_FIELDS = ("manager", "goal", "share")
CHECK_IN_FIELDS = ("value", "confidence", "comment", "at")


# --- periods and objectives -------------------------------------------------------------------------


def ensure_period_open(period: Period, *, field: str | None = None) -> None:
    """Refuse a write into a closed period (Period.closed): its goals, links, levers, check-ins, objectives and the
    CCO's decisions on them stay as the period ended, which its pages and review show. Making it the current period
    again (the CCO or an admin) reopens it for a correction, visibly."""
    if period is None or not period.closed:
        return
    last, due = period.last_day, CheckIn.reading_window(period)[1].date() - timedelta(days=1)
    message = (
        f"{period} is closed: it ended on {last.day} {last:%b %Y} and its final check-ins were due by {due.day} "
        f"{due:%b %Y}, so what was recorded in it stays as it ended. To correct it, the CCO or an admin makes "
        f"{period} the current period again for the correction."
    )
    raise ValidationError({field: message} if field else message)


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
    hold_periods(period.pk, field=None)  # not while a roll-over is still writing into it
    for previous in Period.objects.select_for_update(no_key=True).filter(is_current=True).exclude(pk=period.pk):
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
    hold_periods(objective.period_id)
    if objective.period_id:
        ensure_period_open(objective.period, field="period")
    save_validated(objective, actor=actor)
    schedule_recompute(department_id=None)
    return objective


@transaction.atomic
def objective_update(*, actor, objective: CustomerObjective, data: Mapping[str, Any]) -> CustomerObjective:
    ensure_can(actor, "change_customerobjective", objective)
    stored = CustomerObjective.objects.get(pk=objective.pk)
    ensure_period_open(Period.objects.get(pk=stored.period_id))
    assign_fields(objective, data, OBJECTIVE_FIELDS)
    hold_periods(stored.period_id, objective.period_id)
    if objective.period_id != stored.period_id:
        ensure_period_open(objective.period, field="period")
        _ensure_objective_movable(objective)
    if save_validated(objective, actor=actor) and objective.scored_state() != stored.scored_state():
        schedule_recompute(department_id=None)  # its description, metric or numbers move no score
    return objective


def _ensure_objective_movable(objective: CustomerObjective) -> None:
    """Goals link their own period's objectives and an objective's readings are of its period: an objective that
    has either stays where it is (the roll-over carries it into the next period as a new objective)."""
    held = counted(
        (objective.links.count(), "goal link", "goal links"),
        (objective.readings.count(), "recorded value", "recorded values"),
    )
    if held:
        raise ValidationError(
            {
                "period": f"“{objective.title}” has {' and '.join(held)} in its period, which belong to that period: "
                "carry it into another period with the quarter's roll-over instead."
            }
        )


def objective_archive(*, actor, objective: CustomerObjective) -> CustomerObjective:
    return objective_update(actor=actor, objective=objective, data={"active": False})


# --- goals and links --------------------------------------------------------------------------------


def _replace_links(goal: Goal, links: list[LinkInput], *, actor) -> bool:
    """Make the goal's links `links`; whether any changed. A link kept exactly as it was keeps its review; a new or
    changed one is a claim again (the CCO reviews it); a conflict the CCO asserted stays whatever the department
    sends."""
    stored = {link.objective_id: link for link in GoalLink.objects.filter(goal=goal).select_related("objective")}
    inactive = [  # a link kept as it was may stay on an objective archived since; none is made or changed to one
        link.objective.title
        for link in links
        if not link.objective.active and not _kept_as_it_was(link, stored.get(link.objective.pk))
    ]
    if inactive:
        raise ValidationError({"links": [f"“{title}” is archived; link an active objective." for title in inactive]})
    # every link written must be to the goal's period's strategy; one kept exactly as it was stays as it is
    elsewhere = [
        problem
        for link in links
        if not _kept_as_it_was(link, stored.get(link.objective.pk))
        and (problem := objective_outside_period(link.objective, goal.period))
    ]
    if elsewhere:
        raise ValidationError({"links": elsewhere})
    _ensure_verdicts_stand(goal, links, stored)
    asserted = {oid: link for oid, link in stored.items() if link.asserted_by_cco}
    overruled = [
        link.objective.title
        for link in links
        if link.objective.pk in asserted
        and (link.kind, link.strength) != (asserted[link.objective.pk].kind, asserted[link.objective.pk].strength)
    ]
    if overruled:
        raise ValidationError(
            {
                "links": [
                    f"The CCO asserted that this goal conflicts with “{title}”; only the CCO can change that link."
                    for title in overruled
                ]
            }
        )
    wanted = {link.objective.pk: link for link in links if link.objective.pk not in asserted}
    changed = False
    for objective_id, old in stored.items():
        new = wanted.get(objective_id)
        if old.asserted_by_cco or (new and _kept_as_it_was(new, old)):
            continue  # kept as it is, review and all
        delete_recorded(old, actor=actor)
        changed = True
    for objective_id, link in wanted.items():
        if _kept_as_it_was(link, stored.get(objective_id)):
            continue
        save_validated(
            GoalLink(goal=goal, objective=link.objective, kind=link.kind, strength=link.strength),
            actor=actor,
        )
        changed = True
    return changed


def _ensure_verdicts_stand(goal: Goal, links: list[LinkInput], stored: dict[int, GoalLink]) -> None:
    """The CCO's verdict on a supporting link caps what the department can claim for it: a link the CCO rejected
    is not claimed again, and one the CCO confirmed (or adjusted) is not raised above that strength, whether the link
    is changed in place, lowered and raised again, or removed and added again (the link's history holds the CCO's
    latest verdict).
    Otherwise a new claim would count for more than the CCO granted. The department asks the CCO to review it again
    (the link's review page takes any link); lowering a link, or changing it to a conflict, stays its own call."""
    written = [
        link
        for link in links
        if link.kind == LinkKind.SUPPORTS and not _kept_as_it_was(link, stored.get(link.objective.pk))
    ]
    if not written:
        return
    reviewed = GoalLink.history.filter(goal_id=goal.pk, objective_id__in=[link.objective.pk for link in written])
    verdicts: dict[int, Any] = {}
    for version in reviewed.exclude(review=LinkReview.CLAIMED).order_by("-history_date", "-history_id"):
        verdicts.setdefault(version.objective_id, version)  # the CCO's latest verdict on each link
    refused = []
    for link in written:
        verdict = verdicts.get(link.objective.pk)
        if verdict is None or verdict.kind != LinkKind.SUPPORTS:
            continue
        granted = Decimal(0) if verdict.review == LinkReview.REJECTED else verdict.strength
        if link.strength <= granted:
            continue
        said = "rejected it" if verdict.review == LinkReview.REJECTED else f"granted it {number(verdict.strength)}"
        on = f" on {verdict.reviewed_at.day} {verdict.reviewed_at:%b %Y}" if verdict.reviewed_at else ""
        refused.append(
            f"The CCO {said}{on} for “{link.objective.title}”; only the CCO can raise it. Ask the CCO to review the "
            "link again."
        )
    if refused:
        raise ValidationError({"links": refused})


def _kept_as_it_was(link: LinkInput, stored: GoalLink | None) -> bool:
    """Whether `link` leaves the stored link as it is: the same kind and strength, or a conflict the CCO asserted."""
    return stored is not None and (
        stored.asserted_by_cco or (link.kind, link.strength) == (stored.kind, stored.strength)
    )


def _ensure_movable(goal: Goal, stored: Goal) -> None:
    """A goal's check-ins are readings of its own period and its levers pay in that period (capped at 100% per
    manager and period): a goal holding either stays where it is, and is copied into another period instead."""
    held = counted((goal.check_ins.count(), "check-in", "check-ins"), (goal.levers.count(), "pay lever", "pay levers"))
    if held:
        raise ValidationError(
            {
                "period": f"This goal has {' and '.join(held)} in {stored.period}, which belong to that period: copy "
                f"the goal into {goal.period} instead (the department page's copy into the next period)."
            }
        )


def _ensure_links_in_period(goal: Goal) -> None:
    """A goal moved to another period keeps no link to its old period's objectives: the person relinks it (or moves
    it back) and nothing is saved meanwhile."""
    stale = GoalLink.objects.filter(goal=goal).exclude(objective__period=goal.period).select_related("objective")
    problems = [objective_outside_period(link.objective, goal.period) for link in stale]
    if problems:
        raise ValidationError({"period": problems})


MATERIAL_FIELDS = ("target", "baseline", "direction", "weight", "status", "unit")
DEFINING_FIELDS = ("title", "metric")


def definition(goal: Goal) -> tuple[str, ...]:
    """What the goal is, as a reviewer read it: its title and metric, letter case and spacing aside."""
    return tuple(" ".join(str(getattr(goal, name) or "").split()).casefold() for name in DEFINING_FIELDS)


def material_state(goal: Goal) -> tuple:
    """What a sign-off on a lever riding on this goal vouched for: what the goal is (title, metric), its numbers,
    unit, status and links (fresh from the database, so a change made earlier in the transaction shows)."""
    links = GoalLink.objects.filter(goal_id=goal.pk).order_by("objective_id")
    return (
        *definition(goal),
        *(getattr(goal, name) for name in MATERIAL_FIELDS),
        tuple(links.values_list("objective_id", "kind", "strength")),
    )


def reviews_reopen_if_redefined(goal: Goal, stored: Goal, *, actor) -> int:
    """Send the goal's confirmed supporting links back to the CCO when someone else renames it or changes its metric:
    the CCO confirmed that *this* goal serves the objective, and a goal rewritten into another would otherwise keep a
    confirmation nobody gave. The CCO's verdict still caps what may be claimed for each link
    (_ensure_verdicts_stand), and the link's history says why it is back. Returns how many were reopened."""
    if definition(goal) == definition(stored) or can(actor, "review_link", goal):
        return 0
    reason = f"Back to the CCO: the goal was “{stored.title}” ({stored.metric or 'no metric'}) when confirmed."
    reopened = 0
    confirmed = GoalLink.objects.filter(
        goal_id=goal.pk, kind=LinkKind.SUPPORTS, review=LinkReview.CONFIRMED, asserted_by_cco=False
    )
    for link in confirmed:
        link.review, link.reviewed_by, link.reviewed_at = LinkReview.CLAIMED, None, None
        link.review_reason = reason[: GoalLink._meta.get_field("review_reason").max_length]
        link._history_user = actor
        link.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_reason"])
        reopened += 1
    return reopened


def sign_offs_withdraw_if_changed(goal: Goal, before: tuple, *, actor) -> int:
    """Withdraw the CCO's sign-off from every lever on `goal` when the goal materially changed since `before`
    (title or metric, target, baseline, direction, weight, status, unit or links); returns how many were
    withdrawn."""
    if material_state(goal) == before:
        return 0
    withdrawn = 0
    for lever in CompensationLever.objects.filter(goal_id=goal.pk, signed_off=True):
        lever.signed_off, lever.signed_off_at, lever.signed_off_by = False, None, None
        lever._history_user = actor
        lever.save(update_fields=["signed_off", "signed_off_at", "signed_off_by"])
        withdrawn += 1
    return withdrawn


@transaction.atomic
@one_change()  # the goal and its links: one entry of its history (goals.history)
def goal_create(
    *, actor, department: Department, data: Mapping[str, Any], links: list[LinkInput] | None = None
) -> Goal:
    """Create a department goal (and its objective links); the department is rescored after commit."""
    ensure_can(actor, "add_goal", department)
    goal = Goal(department=department)
    assign_fields(goal, data, GOAL_FIELDS)
    hold_periods(goal.period_id)
    lock_department(department.pk)
    if goal.period_id:
        ensure_period_open(goal.period, field="period")
    save_validated(goal, actor=actor)
    if links:
        _replace_links(goal, links, actor=actor)
    schedule_recompute(department_id=department.pk)
    return goal


@transaction.atomic
@one_change()  # the goal, its links and reviews reopened: one entry of its history (goals.history)
def goal_update(
    *, actor, goal: Goal, data: Mapping[str, Any], links: list[LinkInput] | None = None, version: str | None = None
) -> Goal:
    """Change a goal; `links`, when given, replaces all its links. Rescored after commit.

    A material change (title or metric, numbers, status, links) withdraws the CCO's sign-off of the levers riding on
    the goal; a new title or metric, made by anyone but the CCO, also sends its confirmed links back to the CCO
    (reviews_reopen_if_redefined); a goal the CCO vetoed stays a draft until the CCO approves it (Goal.clean).

    With `version` (the one the person's page was read at), a goal saved since is refused, saying what changed.
    A change of its links alone is saved as a change of the goal (a new version, so a page read before it is
    stale; the goal's history lists the links' changes in it: goals.history); nothing changed at all writes nothing:
    no history entry, the same version, no recompute.
    """
    ensure_can(actor, "change_goal", goal)
    lock_department(goal.department_id)
    if version is not None:
        ensure_current_version(goal, version)
    stored = Goal.objects.select_related("period").get(pk=goal.pk)
    ensure_period_open(stored.period)
    before, scored = material_state(stored), stored.scored_state()
    assign_fields(goal, data, GOAL_FIELDS)
    hold_periods(stored.period_id, goal.period_id)
    if goal.period_id != stored.period_id:
        ensure_period_open(goal.period, field="period")
    _ensure_asserted_conflicts_stand(goal, stored, actor=actor)
    _ensure_binding_kept(goal, stored, actor=actor)
    saved = save_validated(goal, actor=actor)
    links_changed = links is not None and _replace_links(goal, links, actor=actor)
    if links_changed and not saved:
        saved = save_validated(goal, actor=actor, always=True)
    if not saved:
        return goal
    if goal.period_id != stored.period_id:
        _ensure_movable(goal, stored)
        _ensure_links_in_period(goal)
    reopened = reviews_reopen_if_redefined(goal, stored, actor=actor)
    withdrawn = sign_offs_withdraw_if_changed(goal, before, actor=actor)
    if links_changed or reopened or withdrawn or goal.scored_state() != scored:
        schedule_recompute(department_id=goal.department_id)  # not for its description, metric or numbers alone
    return goal


def goal_archive(*, actor, goal: Goal) -> Goal:
    """Archive a goal: it stops counting toward weights and scores but keeps its history."""
    return goal_update(actor=actor, goal=goal, data={"status": GoalStatus.ARCHIVED})


def _ensure_asserted_conflicts_stand(goal: Goal, stored: Goal, *, actor) -> None:
    """A conflict the CCO asserted counts until the CCO lifts it: only the CCO may take its goal out of the count
    (archive it, make it a draft again, move it to another period) or lower its weight, which would lower the
    conflict's weight. The department asks the CCO, who can also lift the conflict itself."""
    if can(actor, "review_link", goal):
        return
    asserted = list(
        GoalLink.objects.filter(goal_id=goal.pk, asserted_by_cco=True)
        .exclude(review=LinkReview.REJECTED)
        .values_list("objective__title", flat=True)
    )
    if not asserted:
        return
    titles = " and ".join(f"“{title}”" for title in asserted)
    problems = {}
    if stored.status == GoalStatus.ACTIVE and goal.status != GoalStatus.ACTIVE:
        problems["status"] = "archive it or make it a draft"
    if goal.weight is not None and stored.weight is not None and goal.weight < stored.weight:
        problems["weight"] = "lower its weight"
    if goal.period_id != stored.period_id:
        problems["period"] = "move it to another period"
    if problems:
        raise ValidationError(
            {
                field: f"The CCO asserted that this goal works against {titles}; only the CCO can {what} while "
                "that stands. Ask the CCO to review the conflict."
                for field, what in problems.items()
            }
        )


BINDING = (("data_source", "data_source_id"), ("source_metric", "source_metric"))


def _ensure_binding_kept(goal: Goal, stored: Goal, *, actor) -> None:
    """A fed goal's values come from its data source, so its heads do not choose what measures them: unbinding it,
    or binding it to another source or metric, is for the CCO or an admin it does not measure (`rebind_goal`)."""
    if not stored.is_fed or can(actor, "rebind_goal", goal):
        return
    changed = [
        field for field, attname in BINDING if getattr(goal, attname) != getattr(stored, attname)
    ]  # fmt: skip
    if changed:
        raise ValidationError({changed[0]: binding_kept_message(stored)})


def binding_kept_message(goal: Goal) -> str:
    return (
        f"This goal's values arrive from {goal.data_source}: {goal.source_metric}, and it measures this department, "
        "so only the CCO or an admin who is not paid by it can unbind it or bind it to another metric. Ask them."
    )


def goal_delete_refusal(goal: Goal) -> str | None:
    """Why `goal` cannot be deleted, or None. A goal holding what others recorded (check-ins, the CCO's reviews and
    decisions, a signed-off lever) is archived instead: a delete would erase records nobody may remove one by one."""
    on_record = counted(
        (goal.check_ins.count(), "check-in", "check-ins"),
        (goal.links.exclude(review=LinkReview.CLAIMED).count(), "link the CCO reviewed", "links the CCO reviewed"),
        (goal.levers.filter(signed_off=True).count(), "signed-off lever", "signed-off levers"),
        (goal.decisions.count(), "decision in the CCO's log", "decisions in the CCO's log"),
    )
    if not on_record:
        return None
    return (
        f"“{goal}” has {', '.join(on_record)} on record: archive it instead (it stops counting and keeps its history)."
    )


@transaction.atomic
def goal_delete(*, actor, goal: Goal) -> None:
    """Delete a goal that holds nothing others recorded (`goal_delete_refusal`); otherwise it is archived."""
    ensure_can(actor, "delete_goal", goal)
    hold_periods(goal.period_id, field=None)
    ensure_period_open(goal.period)
    refusal = goal_delete_refusal(goal)
    if refusal:
        raise ValidationError(refusal)
    department_id = goal.department_id
    delete_recorded(goal, actor=actor)
    schedule_recompute(department_id=department_id)


@dataclass(frozen=True)
class CopiedGoals:
    goals: list[Goal]  # the copies, in the next period
    links_left_out: int  # links to objectives the CCO did not carry over into the next period
    held_back: tuple[str, ...] = ()  # goals not copied: a conflict the CCO asserted would be lost (titles)


@transaction.atomic
@one_change()
def goals_copy_to_next_period(*, actor, department: Department, period: Period) -> CopiedGoals:
    """Copy the department's non-archived goals of `period` (with links, without check-ins) into the next one.

    Links are claims again in the new period (the CCO reviews them against the new strategy), except the conflicts
    the CCO asserted; a goal the CCO vetoed stays waiting for the CCO's approval.

    Goals whose title already exists in the next period are skipped, so copying twice copies nothing new.
    Links follow an objective of the same title in the next period when the CCO has carried it over; a link to an
    objective that was not carried over is left out (a goal links only its own period's strategy). A goal holding a
    conflict the CCO asserted with an objective not carried over yet is held back instead: the copy would shed the
    CCO's verdict, and the roll-over would then skip the goal because its title is taken. It is copied once the CCO
    has carried the objective over (or by the roll-over itself).
    """
    ensure_can(actor, "add_goal", department)
    target = next_period(period)
    if target is None:
        raise ValidationError({"period": f"There is no period after {period}; create it first."})
    hold_periods(target.pk)
    lock_department(department.pk)
    existing = set(Goal.objects.filter(department=department, period=target).values_list("title", flat=True))
    carried = {o.title: o for o in CustomerObjective.objects.filter(period=target, active=True)}
    sources = (
        Goal.objects.filter(department=department, period=period)
        .exclude(status=GoalStatus.ARCHIVED)
        .prefetch_related("links__objective")
    )
    copies, left_out, held_back = [], 0, []
    for source in sources:
        if source.title in existing:
            continue
        if any(
            link.asserted_by_cco and link.review != LinkReview.REJECTED and link.objective.title not in carried
            for link in source.links.all()
        ):
            held_back.append(source.title)
            continue
        copy = Goal(department=department, period=target, needs_approval=source.needs_approval)
        for name in GOAL_FIELDS:
            if name != "period":
                setattr(copy, name, getattr(source, name))
        save_validated(copy, actor=actor)
        for link in source.links.all():  # claims again in the new period, except the CCO's asserted conflicts
            objective = carried.get(link.objective.title)
            if objective is None:
                left_out += 1
                continue
            copied = GoalLink(goal=copy, objective=objective, kind=link.kind, strength=link.strength)
            if link.asserted_by_cco:
                copied.asserted_by_cco, copied.review = True, link.review
            save_validated(copied, actor=actor)
        copies.append(copy)
    if copies:
        schedule_recompute(department_id=department.pk)
    return CopiedGoals(copies, left_out, tuple(held_back))


# --- check-ins --------------------------------------------------------------------------------------


ALREADY_RECORDED_CODE = "already_recorded"


@transaction.atomic
def check_in_create(
    *, actor, goal: Goal, value, confidence: str, comment: str = "", at=None, submission: UUID | None = None
) -> CheckIn:
    """Record a goal's new value; it becomes the goal's current value. Readings are not a scoring input, so no
    recompute is asked for.

    `submission` is the check-in form's one-time token, drawn afresh each time the form is shown: a form submitted
    again (Back, then submit; a double click) carries the token of the reading it already recorded and is refused
    (code ALREADY_RECORDED_CODE) with nothing saved, while a form opened again records a new reading, even an
    identical one. A token, because "the same value as the latest reading" is a legitimate reading too; kept with the
    browser's history entry (static/js/app.js), because a browser may load the page again on Back and would draw a
    new one; stored on the reading with a unique index, so two submissions racing each other record once."""
    ensure_can(actor, "add_checkin", goal)
    if goal.status == GoalStatus.ARCHIVED:
        raise ValidationError({"goal": "This goal is archived; check-ins are closed."})
    ensure_period_open(goal.period, field="at")  # too late to record a reading of that period
    if submission is not None:
        _ensure_not_recorded(submission)
    check_in = CheckIn(
        goal=goal,
        value=value,
        confidence=confidence,
        comment=comment,
        by=actor,
        at=at or timezone.now(),
        submission=submission,
    )
    try:
        with transaction.atomic():
            # Not the model's own check of the token ("Check in with this Submission already exists."): a submission
            # committed after _ensure_not_recorded is refused by the unique index, and answered below.
            save_validated(check_in, actor=actor, exclude=["submission"])
    except IntegrityError:
        if submission is not None:
            _ensure_not_recorded(submission)  # the same form's other submission committed first
        raise
    return check_in


def _ensure_not_recorded(submission: UUID) -> None:
    recorded = CheckIn.objects.filter(submission=submission).first()
    if recorded is None:
        return
    when = timezone.localtime(recorded.at)
    raise ValidationError(
        f"This form was already submitted: the check-in it recorded ({number(recorded.value, 4)}, read "
        f"{when.day} {when:%b %Y %H:%M}) is kept, and nothing was recorded twice. To record another reading, open the "
        "check-in form again.",
        code=ALREADY_RECORDED_CODE,
    )


def _ensure_check_ins_open(goal: Goal) -> None:
    if goal.status == GoalStatus.ARCHIVED:
        raise ValidationError({"goal": "This goal is archived; its check-ins can no longer be changed."})
    ensure_period_open(goal.period)


@transaction.atomic
def check_in_update(*, actor, check_in: CheckIn, data: Mapping[str, Any], version: str | None = None) -> CheckIn:
    """Correct a reading (value, confidence, comment, time); it stays on its goal. Only the head who recorded it may,
    while they head the goal's department; the history keeps what it said before. `version` as for goal_update.
    The goal's current value is its latest reading, so a corrected time can change which one that is."""
    ensure_can(actor, "change_checkin", check_in)
    _ensure_check_ins_open(check_in.goal)
    if version is not None:
        ensure_current_version(check_in, version)
    assign_fields(check_in, data, CHECK_IN_FIELDS)
    save_validated(check_in, actor=actor)
    return check_in


@transaction.atomic
def check_in_delete(*, actor, check_in: CheckIn) -> None:
    """Delete a reading recorded by mistake (the head who recorded it only); its history stays, with who deleted it."""
    ensure_can(actor, "delete_checkin", check_in)
    _ensure_check_ins_open(check_in.goal)
    delete_recorded(check_in, actor=actor)


# --- compensation levers ----------------------------------------------------------------------------


@transaction.atomic
def lever_create(*, actor, department: Department, data: Mapping[str, Any]) -> CompensationLever:
    ensure_can(actor, "add_compensationlever", department)
    lever = CompensationLever(department=department)
    assign_fields(lever, data, LEVER_FIELDS)
    _hold_pay(lever)
    save_validated(lever, actor=actor)
    schedule_recompute(department_id=department.pk)
    return lever


@transaction.atomic
def lever_update(
    *, actor, lever: CompensationLever, data: Mapping[str, Any], version: str | None = None
) -> CompensationLever:
    """Change a lever; a change to its share or goal voids the CCO's sign-off. `version` as for goal_update."""
    ensure_can(actor, "change_compensationlever", lever)
    ensure_period_open(lever.goal.period)
    if version is not None:
        ensure_current_version(lever, version)
    before = (lever.goal_id, lever.share, lever.manager_id)
    assign_fields(lever, data, LEVER_FIELDS)
    _hold_pay(lever, was=before)
    if lever.signed_off and (lever.goal_id, lever.share, lever.manager_id) != before:
        lever.signed_off, lever.signed_off_at, lever.signed_off_by = False, None, None
    if save_validated(lever, actor=actor):  # unchanged: nothing to record or rescore
        schedule_recompute(department_id=lever.department_id)
    return lever


def _hold_pay(lever: CompensationLever, *, was: tuple | None = None) -> None:
    """Before a lever is written: its goals' periods held against a roll-over into them (goals.locks), and its
    manager's levers written one writer at a time, so two saves at once cannot both pass the 100% rule."""
    goal_ids = {lever.goal_id, was[0] if was else None} - {None}
    hold_periods(*Goal.objects.filter(pk__in=goal_ids).values_list("period_id", flat=True), field="goal")
    managers = sorted({lever.manager_id, was[2] if was else None} - {None})
    list(
        get_user_model().objects.select_for_update(no_key=True).filter(pk__in=managers).order_by("pk").values_list("pk")
    )


@transaction.atomic
def lever_delete(*, actor, lever: CompensationLever) -> None:
    ensure_can(actor, "delete_compensationlever", lever)
    hold_periods(lever.goal.period_id, field=None)
    ensure_period_open(lever.goal.period)
    department_id = lever.department_id
    delete_recorded(lever, actor=actor)
    schedule_recompute(department_id=department_id)
