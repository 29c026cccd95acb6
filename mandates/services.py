"""Writes to the mandate: checklist items, data sources, the CCO's decisions, and the empowerment snapshot."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cco import roles
from cco.fingerprints import fingerprint_of
from cco.permissions import ensure_can
from cco.recompute import schedule_recompute
from cco.versions import ensure_current_version
from cco.wording import counted, number
from cco.writes import assign_fields, delete_recorded, save_validated
from departments.models import Department
from departments.reach import Reach
from departments.selectors import department_reach
from goals.models import CompensationLever, CustomerObjective, Goal, GoalLink, GoalStatus, LinkKind, LinkReview
from goals.services import ensure_period_open, material_state, sign_offs_withdraw_if_changed

from .evaluation import empowerment_score, self_assessed
from .models import DataSource, Decision, DecisionAction, EmpowermentSnapshot, ItemStatus, MandateItem
from .selectors import latest_empowerment, mandate_checklist

DATA_SOURCE_FIELDS = ("name", "category", "cco_has_access", "last_refreshed_at", "description")
AUTHORITY_WORDS = {
    "sets_goals": "set or approve its goals",
    "signs_off_compensation": "sign off its compensation",
    "can_veto": "veto its goals or levers",
}


@transaction.atomic
def mandate_item_update(
    *, actor, item: MandateItem, status: str, evidence: str, version: str | None = None
) -> MandateItem:
    """The CCO records a checklist item's status and the evidence for it; the empowerment score follows.
    With `version`, an item saved since that version was read is refused, saying what changed."""
    ensure_can(actor, "change_mandateitem", item)
    if version is not None:
        ensure_current_version(item, version)
    if (status, evidence) != (item.status, item.evidence):  # a confirmation was of what the CCO said before
        item.confirmed_by, item.confirmed_at = None, None
    item.status, item.evidence, item.updated_by = status, evidence, actor
    save_validated(item, actor=actor)
    empowerment_refresh()  # the checklist reads these; department scores do not
    return item


@transaction.atomic
def mandate_item_confirm(*, actor, item: MandateItem, confirmed: bool = True, version: str | None = None):
    """Someone other than the CCO (an executive or an admin) confirms the CCO's status of an item the data cannot
    evaluate, or withdraws that confirmation. The item measures the CCO's own powers, so until it is confirmed it
    counts at a reduced credit (mandates.evaluation.UNCONFIRMED_CREDIT); the CCO changing it later withdraws the
    confirmation. With `version`, an item the CCO changed since it was read is refused: one confirms what one saw."""
    ensure_can(actor, "confirm_mandateitem", item)
    if version is not None:
        ensure_current_version(item, version)
    item = MandateItem.objects.select_for_update().get(pk=item.pk)  # what is confirmed is the item as it stands
    if not self_assessed(item.key):
        raise ValidationError(
            f"“{item}” is evaluated from the data, which counts in full without anyone's confirmation."
        )
    if confirmed and item.status == ItemStatus.NOT_GRANTED:
        raise ValidationError(f"The CCO records “{item}” as not granted: there is nothing to confirm.")
    item.confirmed_by, item.confirmed_at = (actor, timezone.now()) if confirmed else (None, None)
    item._history_user = actor
    item.save(update_fields=["confirmed_by", "confirmed_at"])  # not updated_at: "updated by" stays the CCO's
    empowerment_refresh()
    return item


def _ensure_not_self_graded(actor, source: DataSource, *, had_access: bool, refreshed_before) -> None:
    """The mandate checklist reads whether the CCO has access to a source and how fresh the competitor data is:
    evidence of the CCO's own powers, so the CCO does not record it (an admin does, or a feed's readings date it).
    The CCO may still say access was lost."""
    if roles.CCO not in roles.role_names(actor):
        return
    errors = {}
    if source.cco_has_access and not had_access:
        errors["cco_has_access"] = (
            "An admin records that the CCO has access to a source: the mandate checklist counts it as one of the "
            "CCO's powers, and nobody records their own."
        )

    def minute(moment):
        return moment and moment.replace(second=0, microsecond=0)

    typed = source.last_refreshed_at is not None and minute(source.last_refreshed_at) != minute(refreshed_before)
    if typed and not (source.pk and source.newest_reading_at()):  # a fed source's date is its readings' (clean())
        errors["last_refreshed_at"] = (
            "An admin records when a source was last refreshed (or its feed's readings do): the mandate checklist "
            "counts fresh competitor data toward the CCO's own powers."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def data_source_create(*, actor, data: Mapping[str, Any]) -> DataSource:
    ensure_can(actor, "add_datasource")
    source = DataSource()
    assign_fields(source, data, DATA_SOURCE_FIELDS)
    _ensure_not_self_graded(actor, source, had_access=False, refreshed_before=None)
    save_validated(source, actor=actor)
    empowerment_refresh()  # the checklist reads these; department scores do not
    return source


@transaction.atomic
def data_source_update(*, actor, source: DataSource, data: Mapping[str, Any]) -> DataSource:
    ensure_can(actor, "change_datasource", source)
    had_access, refreshed_before = source.cco_has_access, source.last_refreshed_at
    assign_fields(source, data, DATA_SOURCE_FIELDS)
    _ensure_not_self_graded(actor, source, had_access=had_access, refreshed_before=refreshed_before)
    save_validated(source, actor=actor)
    empowerment_refresh()  # the checklist reads these; department scores do not
    return source


def data_source_delete_refusal(source: DataSource) -> str | None:
    """Why `source` cannot be deleted, or None: goals and customer objectives it feeds take their values from it
    alone, so they are bound to another source or unbound (by whoever may edit them) first."""
    fed = counted(
        (Goal.objects.filter(data_source=source).count(), "goal", "goals"),
        (CustomerObjective.objects.filter(data_source=source).count(), "customer objective", "customer objectives"),
    )
    if not fed:
        return None
    return (
        f"“{source}” feeds {' and '.join(fed)}, whose values come from it: bind them to another data source or "
        "unbind them on their edit pages first."
    )


@transaction.atomic
def data_source_delete(*, actor, source: DataSource) -> None:
    """Delete a data source that feeds nothing (`data_source_delete_refusal`)."""
    ensure_can(actor, "delete_datasource", source)
    refusal = data_source_delete_refusal(source)
    if refusal:
        raise ValidationError(refusal)
    delete_recorded(source, actor=actor)
    empowerment_refresh()  # the checklist reads these; department scores do not


# --- the CCO's decisions ------------------------------------------------------------------------------


def authority_refusal(department_name: str, reach: Reach, powers: Iterable[str]) -> str:
    """The one sentence saying which of `powers` (ReportingLine authority flags) the department's line does not
    give the CCO; "" when it gives them all. The services refuse with it and the pages explain with it."""
    missing = [power for power in dict.fromkeys(powers) if not (reach.reaches_cco and getattr(reach, power))]
    if not missing:
        return ""
    words = " or ".join(AUTHORITY_WORDS[power] for power in missing)
    if not reach.reaches_cco:
        return f"{department_name} has no reporting line to the CCO, so the CCO cannot {words}."
    return f"{department_name}'s line to the CCO does not let the CCO {words}."


def ensure_cco_authority(department: Department, *, power: str) -> None:
    """Refuse unless the department's line to the CCO carries `power` (a ReportingLine authority flag)."""
    refusal = authority_refusal(department.name, department_reach(department.pk), [power])
    if refusal:
        raise ValidationError(refusal)


def decision_power(action: str, *, goal: Goal | None = None) -> str | None:
    """The authority flag the CCO's decision `action` needs: on `goal`, or on a lever when no goal is given."""
    if goal is not None:
        approve = "can_veto" if goal.needs_approval else "sets_goals"
        return {DecisionAction.APPROVE: approve, DecisionAction.VETO: "can_veto"}.get(action)
    return {DecisionAction.SIGN_OFF: "signs_off_compensation", DecisionAction.VETO: "can_veto"}.get(action)


DECISION_WORDS = {DecisionAction.APPROVE: "approve", DecisionAction.SIGN_OFF: "sign off", DecisionAction.VETO: "veto"}


@dataclass(frozen=True)
class DecisionOffer:
    """Which of the decisions on one goal or lever the department's line lets the CCO take, and, in one sentence,
    why not the others ("" when every one is allowed)."""

    actions: tuple[str, ...]
    refusal: str
    not_signable: str = ""  # why a lever's goal leaves nothing to sign off (lever_sign_off_refusal), or ""

    @property
    def label(self) -> str:
        """The words of a link to the decision: "Approve or veto", "Sign off", … ("" when nothing is allowed)."""
        return " or ".join(DECISION_WORDS[action] for action in self.actions).capitalize()


def decision_offer(
    department_name: str,
    reach: Reach,
    actions: Iterable[str],
    *,
    goal: Goal | None = None,
    lever: CompensationLever | None = None,
) -> DecisionOffer:
    """What the pages offer: `actions` the line allows on `goal` (or on `lever`, when its goal counts for a
    sign-off), as the services will decide."""
    powers = {action: decision_power(action, goal=goal) for action in actions}
    allowed = tuple(a for a, power in powers.items() if power and reach.reaches_cco and getattr(reach, power))
    refused = [power for action, power in powers.items() if power and action not in allowed]
    not_signable = lever_sign_off_refusal(lever) if lever is not None and DecisionAction.SIGN_OFF in powers else ""
    if not_signable:
        allowed = tuple(action for action in allowed if action != DecisionAction.SIGN_OFF)
    return DecisionOffer(allowed, authority_refusal(department_name, reach, refused), not_signable)


def _log(*, actor, department_id: int, action: str, reason: str, goal=None, lever=None, subject="") -> Decision:
    decision = Decision(
        department_id=department_id,
        goal=goal,
        lever=lever,
        action=action,
        reason=reason,
        by=actor,
        subject=subject or str(goal or lever),
    )
    save_validated(decision, actor=actor)
    return decision


@transaction.atomic
def goal_approve(*, actor, goal: Goal, reason: str) -> Decision:
    """The CCO approves a goal (a draft becomes active). Needs the line's goal authority, or, for a goal the CCO
    vetoed, the veto authority that put it on hold."""
    ensure_can(actor, "review_goal", goal)
    ensure_period_open(goal.period)
    ensure_cco_authority(goal.department, power=decision_power(DecisionAction.APPROVE, goal=goal))
    decision = _log(
        actor=actor, department_id=goal.department_id, action=DecisionAction.APPROVE, reason=reason, goal=goal
    )
    if goal.status == GoalStatus.DRAFT:
        _goal_decided(goal, actor=actor, status=GoalStatus.ACTIVE, needs_approval=False)
    return decision


@transaction.atomic
def goal_veto(*, actor, goal: Goal, reason: str) -> Decision:
    """The CCO vetoes a goal: it goes back to draft and stops counting, and its department cannot make it active
    again: it may revise it, and it becomes active when the CCO approves it. Needs veto authority."""
    ensure_can(actor, "review_goal", goal)
    ensure_period_open(goal.period)
    ensure_cco_authority(goal.department, power="can_veto")
    decision = _log(actor=actor, department_id=goal.department_id, action=DecisionAction.VETO, reason=reason, goal=goal)
    _goal_decided(goal, actor=actor, status=GoalStatus.DRAFT, needs_approval=True)
    return decision


def _goal_decided(goal: Goal, *, actor, status: str, needs_approval: bool) -> None:
    """Apply the CCO's decision to the goal; a status change withdraws the sign-offs of levers riding on it."""
    before = material_state(goal)
    goal.status, goal.needs_approval = status, needs_approval
    save_validated(goal, actor=actor)
    sign_offs_withdraw_if_changed(goal, before, actor=actor)
    schedule_recompute(department_id=goal.department_id)


# --- the CCO's review of links ------------------------------------------------------------------------

LINK_REVIEWS = {
    DecisionAction.CONFIRM_LINK: LinkReview.CONFIRMED,
    DecisionAction.ADJUST_LINK: LinkReview.CONFIRMED,
    DecisionAction.REJECT_LINK: LinkReview.REJECTED,
}


def link_review_refusal(link: GoalLink) -> str:
    """Why the CCO cannot review `link`, or "". A conflict a department declares about its own goal is not a claim:
    it counts in full without a review (while its goal is active) and never enters the queue, so a verdict on it could
    only shed the department's own conflict penalty. A conflict the CCO asserted is the CCO's to adjust or lift."""
    if link.kind != LinkKind.CONFLICTS or link.asserted_by_cco:
        return ""
    return (
        f"“{link.goal}” conflicts with “{link.objective}” by its department's own declaration: it "
        f"{link.declared_conflict_counts} and is not a claim to review. Its department removes it by editing the goal; "
        "to judge the conflict yourself, assert a conflict on the goal (from its department's page)."
    )


@transaction.atomic
def link_review(*, actor, link: GoalLink, action: str, reason: str, strength=None) -> Decision:
    """The CCO confirms a link a goal claims (it then counts in full), adjusts its strength (and confirms it), or
    rejects it (it then counts nothing); a conflict the department declares is refused (link_review_refusal).
    Logged in the decision log; no line authority is needed."""
    ensure_can(actor, "review_link", link)
    if action not in LINK_REVIEWS:
        raise ValidationError({"action": f"“{action}” is not a review of a link: confirm, adjust or reject."})
    if action == DecisionAction.ADJUST_LINK and strength is None:
        raise ValidationError({"strength": "Give the strength the link really has, from 0 to 1."})
    link = GoalLink.objects.select_for_update().select_related("goal__period", "objective").get(pk=link.pk)
    refusal = link_review_refusal(link)
    if refusal:
        raise ValidationError(refusal)
    ensure_period_open(link.goal.period)
    before = material_state(link.goal)
    if action == DecisionAction.ADJUST_LINK:
        link.strength = strength
    link.review, link.reviewed_by, link.reviewed_at, link.review_reason = (
        LINK_REVIEWS[action],
        actor,
        timezone.now(),
        reason,
    )
    decision = _log(
        actor=actor, department_id=link.goal.department_id, action=action, reason=reason, goal=link.goal,
        subject=f"{link.goal} → {link.objective} ({link.get_kind_display().lower()}, {number(link.strength)})",
    )  # fmt: skip
    save_validated(link, actor=actor)
    sign_offs_withdraw_if_changed(link.goal, before, actor=actor)
    schedule_recompute(department_id=link.goal.department_id)
    return decision


@transaction.atomic
def conflict_assert(*, actor, goal: Goal, objective: CustomerObjective, strength, reason: str) -> Decision:
    """The CCO records that a customer-facing department's goal works against a customer objective. The link
    counts in full and the department can neither change nor remove it. Logged in the decision log."""
    ensure_can(actor, "review_link", goal)
    ensure_period_open(goal.period)
    if not goal.department.customer_facing:
        raise ValidationError({"goal": f"{goal.department} is not customer-facing; its goals are not reviewed."})
    if not objective.active or objective.period_id != goal.period_id:
        raise ValidationError({"objective": "Choose an active objective of the goal's period."})
    before = material_state(goal)
    link = GoalLink.objects.filter(goal=goal, objective=objective).first() or GoalLink(goal=goal, objective=objective)
    link.kind, link.strength, link.asserted_by_cco = LinkKind.CONFLICTS, strength, True
    link.review, link.reviewed_by, link.reviewed_at, link.review_reason = (
        LinkReview.CONFIRMED,
        actor,
        timezone.now(),
        reason,
    )
    decision = _log(
        actor=actor, department_id=goal.department_id, action=DecisionAction.ASSERT_CONFLICT, reason=reason,
        goal=goal, subject=f"{goal} → {objective} (conflicts, {number(strength)})",
    )  # fmt: skip
    save_validated(link, actor=actor)
    sign_offs_withdraw_if_changed(goal, before, actor=actor)
    schedule_recompute(department_id=goal.department_id)
    return decision


def lever_sign_off_refusal(lever: CompensationLever) -> str:
    """Why the CCO cannot sign `lever` off, or "": its goal does not count (vetoed, archived or a draft), so the pay
    earns nothing, and a sign-off would be withdrawn as soon as the goal became active (its status is material)."""
    goal = lever.goal
    if goal.status == GoalStatus.ACTIVE:
        return ""
    change = "Its department changes the lever to another goal or deletes it."
    if goal.status == GoalStatus.ARCHIVED:
        return f"“{goal}” is archived: pay tied to it counts for nothing, so there is nothing to sign off. {change}"
    if goal.needs_approval:
        return (
            f"The CCO vetoed “{goal}”: pay tied to it counts for nothing until the goal is approved again, so there is "
            f"nothing to sign off. {change}"
        )
    return (
        f"“{goal}” is a draft: pay tied to it counts for nothing until the goal is active, and making it active would "
        "withdraw a sign-off. Sign the lever off once the goal is active."
    )


@transaction.atomic
def lever_sign_off(*, actor, lever: CompensationLever, reason: str) -> Decision:
    """The CCO signs a lever off; only on an active goal (lever_sign_off_refusal) and where the department's line
    gives the CCO a say over pay."""
    ensure_can(actor, "sign_off_lever", lever)
    ensure_period_open(lever.goal.period)
    refusal = lever_sign_off_refusal(lever)
    if refusal:
        raise ValidationError(refusal)
    ensure_cco_authority(lever.department, power="signs_off_compensation")
    decision = _log(
        actor=actor, department_id=lever.department_id, action=DecisionAction.SIGN_OFF, reason=reason, lever=lever
    )
    lever.signed_off, lever.signed_off_at, lever.signed_off_by = True, timezone.now(), actor
    save_validated(lever, actor=actor)
    schedule_recompute(department_id=lever.department_id)
    return decision


@transaction.atomic
def lever_veto(*, actor, lever: CompensationLever, reason: str) -> Decision:
    """The CCO vetoes a lever: any sign-off is withdrawn; needs veto authority."""
    ensure_can(actor, "sign_off_lever", lever)
    ensure_period_open(lever.goal.period)
    ensure_cco_authority(lever.department, power="can_veto")
    decision = _log(
        actor=actor, department_id=lever.department_id, action=DecisionAction.VETO, reason=reason, lever=lever
    )
    lever.signed_off, lever.signed_off_at, lever.signed_off_by = False, None, None
    save_validated(lever, actor=actor)
    schedule_recompute(department_id=lever.department_id)
    return decision


# --- empowerment snapshot -----------------------------------------------------------------------------


def empowerment_refresh() -> EmpowermentSnapshot | None:
    """Store a new empowerment snapshot when the checklist's effective state changed; returns it or None."""
    computed_at = timezone.now()
    rows = mandate_checklist()
    items = [
        {
            "key": row.item.key,
            "title": row.item.title,
            "kind": row.item.kind,
            "status": row.item.status,
            "evaluated": row.evaluation.status if row.evaluation else None,
            "reason": row.evaluation.reason if row.evaluation else "",
            "effective": row.effective_status,
            "awaits_confirmation": row.awaits_confirmation,
        }
        for row in rows
    ]
    fingerprint = fingerprint_of(items)
    with transaction.atomic():
        latest = latest_empowerment()
        if latest and (latest.fingerprint == fingerprint or latest.computed_at >= computed_at):
            return None
        return EmpowermentSnapshot.objects.create(
            score=empowerment_score([row.credit for row in rows]),
            items=items,
            fingerprint=fingerprint,
            computed_at=computed_at,
        )


@transaction.atomic
def decision_record(
    *,
    actor,
    action: str,
    reason: str,
    goal: Goal | None = None,
    lever: CompensationLever | None = None,
    version: str | None = None,
):
    """The CCO's decision on one goal (approve, veto) or one lever (sign off, veto); web and API both call this.

    With `version` (the one the CCO's page was read at), a goal or lever changed since is refused, saying what
    changed: a sign-off is of the pay the CCO saw, not of whatever the head saved meanwhile."""
    if (goal is None) == (lever is None):
        raise ValidationError("Name exactly one goal or one lever.")
    if version is not None:
        ensure_current_version(goal or lever, version)
    if action in LINK_REVIEWS or action == DecisionAction.ASSERT_CONFLICT:
        raise ValidationError({"action": "Links are reviewed at /api/v1/links/ (or on the review page)."})
    if goal is not None:
        decide = {DecisionAction.APPROVE: goal_approve, DecisionAction.VETO: goal_veto}.get(action)
        subject = {"goal": goal}
    else:
        decide = {DecisionAction.SIGN_OFF: lever_sign_off, DecisionAction.VETO: lever_veto}.get(action)
        subject = {"lever": lever}
    if decide is None:
        raise ValidationError({"action": f"“{action}” is not a decision that can be taken on a {next(iter(subject))}."})
    return decide(actor=actor, reason=reason, **subject)
