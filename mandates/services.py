"""Writes to the mandate: checklist items, data sources, the CCO's decisions, and the empowerment snapshot."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cco.permissions import ensure_can
from cco.versions import ensure_current_version
from cco.writes import assign_fields, delete_recorded, save_validated
from departments.models import Department
from departments.selectors import departments_reaching_cco
from goals.alignment import fingerprint_of
from goals.models import CompensationLever, Goal, GoalStatus
from goals.recompute import schedule_recompute

from .evaluation import empowerment_score
from .models import DataSource, Decision, DecisionAction, EmpowermentSnapshot, MandateItem
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
    item.status, item.evidence, item.updated_by = status, evidence, actor
    save_validated(item, actor=actor)
    schedule_recompute(department_id=None)
    return item


@transaction.atomic
def data_source_create(*, actor, data: Mapping[str, Any]) -> DataSource:
    ensure_can(actor, "add_datasource")
    source = DataSource()
    assign_fields(source, data, DATA_SOURCE_FIELDS)
    save_validated(source, actor=actor)
    schedule_recompute(department_id=None)
    return source


@transaction.atomic
def data_source_update(*, actor, source: DataSource, data: Mapping[str, Any]) -> DataSource:
    ensure_can(actor, "change_datasource", source)
    assign_fields(source, data, DATA_SOURCE_FIELDS)
    save_validated(source, actor=actor)
    schedule_recompute(department_id=None)
    return source


@transaction.atomic
def data_source_delete(*, actor, source: DataSource) -> None:
    ensure_can(actor, "delete_datasource", source)
    delete_recorded(source, actor=actor)
    schedule_recompute(department_id=None)


# --- the CCO's decisions ------------------------------------------------------------------------------


def ensure_cco_authority(department: Department, *, power: str) -> None:
    """Refuse unless the department's line to the CCO carries `power` (a ReportingLine authority flag)."""
    reach = departments_reaching_cco()[department.pk]
    if not reach.reaches_cco:
        raise ValidationError(
            f"{department} has no reporting line to the CCO, so the CCO cannot {AUTHORITY_WORDS[power]}."
        )
    if not getattr(reach, power):
        raise ValidationError(
            f"{department}'s line to the CCO does not give the CCO the authority to {AUTHORITY_WORDS[power]}."
        )


def _log(*, actor, department_id: int, action: str, reason: str, goal=None, lever=None) -> Decision:
    decision = Decision(
        department_id=department_id,
        goal=goal,
        lever=lever,
        action=action,
        reason=reason,
        by=actor,
        subject=str(goal or lever),
    )
    save_validated(decision, actor=actor)
    return decision


@transaction.atomic
def goal_approve(*, actor, goal: Goal, reason: str) -> Decision:
    """The CCO approves a goal (a draft becomes active); needs goal authority through the department's line."""
    ensure_can(actor, "review_goal", goal)
    ensure_cco_authority(goal.department, power="sets_goals")
    decision = _log(
        actor=actor, department_id=goal.department_id, action=DecisionAction.APPROVE, reason=reason, goal=goal
    )
    if goal.status == GoalStatus.DRAFT:
        goal.status = GoalStatus.ACTIVE
        save_validated(goal, actor=actor)
        schedule_recompute(department_id=goal.department_id)
    return decision


@transaction.atomic
def goal_veto(*, actor, goal: Goal, reason: str) -> Decision:
    """The CCO vetoes a goal: it goes back to draft and stops counting; needs veto authority."""
    ensure_can(actor, "review_goal", goal)
    ensure_cco_authority(goal.department, power="can_veto")
    decision = _log(actor=actor, department_id=goal.department_id, action=DecisionAction.VETO, reason=reason, goal=goal)
    goal.status = GoalStatus.DRAFT
    save_validated(goal, actor=actor)
    schedule_recompute(department_id=goal.department_id)
    return decision


@transaction.atomic
def lever_sign_off(*, actor, lever: CompensationLever, reason: str) -> Decision:
    """The CCO signs a lever off; only where the department's line gives the CCO a say over pay."""
    ensure_can(actor, "sign_off_lever", lever)
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
        }
        for row in rows
    ]
    fingerprint = fingerprint_of(items)
    with transaction.atomic():
        latest = latest_empowerment()
        if latest and (latest.fingerprint == fingerprint or latest.computed_at >= computed_at):
            return None
        return EmpowermentSnapshot.objects.create(
            score=empowerment_score([row.effective_status for row in rows]),
            items=items,
            fingerprint=fingerprint,
            computed_at=computed_at,
        )


def decision_record(
    *, actor, action: str, reason: str, goal: Goal | None = None, lever: CompensationLever | None = None
):
    """The CCO's decision on one goal (approve, veto) or one lever (sign off, veto); web and API both call this."""
    if (goal is None) == (lever is None):
        raise ValidationError("A decision is about exactly one goal or one lever.")
    if goal is not None:
        decide = {DecisionAction.APPROVE: goal_approve, DecisionAction.VETO: goal_veto}.get(action)
        subject = {"goal": goal}
    else:
        decide = {DecisionAction.SIGN_OFF: lever_sign_off, DecisionAction.VETO: lever_veto}.get(action)
        subject = {"lever": lever}
    if decide is None:
        raise ValidationError({"action": f"“{action}” is not a decision that can be taken on a {next(iter(subject))}."})
    return decide(actor=actor, reason=reason, **subject)
