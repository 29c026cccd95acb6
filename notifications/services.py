"""Writes: a person's choices and email address, and the runs that send reminders, escalations and digests.

A run is safe to repeat (a cron job and beat both running, a task delivered twice): what was sent is remembered
(Notice), and nobody is told again about the same goal within CHECK_IN_REMINDER_DAYS, or sent a second digest
within DIGEST_REPEAT_DAYS."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from cco import roles
from goals.selectors import current_period

from .digest import weekly_digest
from .emails import Outgoing, SendReport, absolute_url, person_name, send_each
from .models import Notice, NoticeKind, NotificationPreference
from .selectors import Owed, digest_recipients, escalations_owed, reminders_owed, unchecked_since

User = get_user_model()

# A digest sent less than this long ago is not sent again (a manual run the day after beat's).
DIGEST_REPEAT_DAYS = 6
# An escalation lists this many goals (longest unchecked first) and counts the rest.
ESCALATION_GOALS_SHOWN = 20
# What was sent is remembered this long (at least twice the reminder period); older rows are pruned by each run.
NOTICE_KEEP_DAYS = 90


# --- choices and the profile ----------------------------------------------------------------------------


def preference_for(user) -> NotificationPreference:
    """The person's choices, made with the defaults the first time they are asked for."""
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    return preference


def relevant_choices(user) -> list[str]:
    """The preference fields that mean something for the person's roles: reminders for department heads,
    escalations for the CCO, the digest for the CCO and executives."""
    names = roles.role_names(user)
    choices = []
    if roles.HEAD in names or roles.headed_department_ids(user):
        choices.append("check_in_reminders")
    if roles.CCO in names:
        choices.append("escalations")
    if roles.CCO in names or roles.EXECUTIVE in names:
        choices.append("weekly_digest")
    return choices


@transaction.atomic
def profile_update(*, actor, user, email: str, choices: dict[str, bool]) -> NotificationPreference:
    """Change a person's email address and their choices among those relevant to their roles (others are kept).
    Only the person themselves may; an invalid address, or one another account uses, is refused on `email`."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied("You can only change your own profile.")
    email = BaseUserManager.normalize_email((email or "").strip())
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise ValidationError({"email": error.messages}) from error
        changed = email.lower() != (user.email or "").lower()
        if changed and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise ValidationError({"email": "Another account uses this email address."})
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    preference = preference_for(user)
    allowed = relevant_choices(user)
    for name in allowed:
        if name in choices:
            setattr(preference, name, bool(choices[name]))
    preference.full_clean()
    preference.save()
    return preference


# --- reminders and escalations --------------------------------------------------------------------------


def _goal_rows(goals, period, now: datetime, *, with_heads: bool = False) -> list[dict]:
    rows = []
    for goal in goals:
        days = (now - unchecked_since(goal, period)).days
        row = {
            "title": goal.title,
            "department": goal.department.name,
            "days": days,
            "never_checked_in": goal.last_check_in_at is None,
            "goal_url": absolute_url("goal-detail", goal.pk),
            "check_in_url": absolute_url("check-in-create", goal.pk),
        }
        if with_heads:
            row["heads"] = ", ".join(person_name(head) for head in goal.department.heads.all()) or "no head"
        rows.append(row)
    return rows


def _reminder(owed: Owed, period, now: datetime, days: int) -> Outgoing:
    count = len(owed.goals)
    noun = "goal has" if count == 1 else "goals have"
    return Outgoing(
        kind=NoticeKind.REMINDER,
        user=owed.user,
        subject=f"Check-in reminder: {count} {noun} had no check-in for {days} days",
        template="reminder",
        context={"goals": _goal_rows(owed.goals, period, now), "days": days},
        goal_ids=[goal.pk for goal in owed.goals],
    )


def _escalation(owed: Owed, period, now: datetime, days: int) -> Outgoing:
    count = len(owed.goals)
    noun = "goal has" if count == 1 else "goals have"
    shown = owed.goals[:ESCALATION_GOALS_SHOWN]
    return Outgoing(
        kind=NoticeKind.ESCALATION,
        user=owed.user,
        subject=f"Escalation: {count} {noun} had no check-in for {days} days",
        template="escalation",
        context={
            "goals": _goal_rows(shown, period, now, with_heads=True),
            "more": count - len(shown),
            "days": days,
            "reminder_days": days // 2,
        },
        goal_ids=[goal.pk for goal in owed.goals],
    )


def _remember(email: Outgoing, *, sent_at: datetime) -> None:
    if email.goal_ids:
        Notice.objects.bulk_create(
            Notice(user=email.user, kind=email.kind, goal_id=goal_id, sent_at=sent_at) for goal_id in email.goal_ids
        )
    else:
        Notice.objects.create(user=email.user, kind=email.kind, sent_at=sent_at)


def reminders_send(*, now: datetime | None = None, dry_run: bool = False) -> SendReport:
    """Email each department head the current period's active goals of theirs that have had no check-in for
    CHECK_IN_REMINDER_DAYS days (N), and each CCO the goals that have had none for 2N days. A goal is mentioned
    to the same person again only after another N days. With `dry_run`, nothing is sent or remembered."""
    now = now or timezone.now()
    days = settings.CHECK_IN_REMINDER_DAYS
    period = current_period()
    emails = [_reminder(owed, period, now, days) for owed in reminders_owed(period, days=days, now=now)]
    emails += [
        _escalation(owed, period, now, 2 * days)
        for owed in escalations_owed(period, days=2 * days, repeat_days=days, now=now)
    ]
    report = send_each(emails, on_sent=partial(_remember, sent_at=now), dry_run=dry_run)
    if not dry_run:
        notices_prune(now=now)
    return report


def notices_prune(*, now: datetime) -> int:
    """Forget what was sent more than NOTICE_KEEP_DAYS (or twice the reminder period, if longer) ago."""
    keep = max(NOTICE_KEEP_DAYS, 2 * settings.CHECK_IN_REMINDER_DAYS)
    deleted, _ = Notice.objects.filter(sent_at__lt=now - timedelta(days=keep)).delete()
    return deleted


# --- the weekly digest ----------------------------------------------------------------------------------


def digests_send(*, now: datetime | None = None, dry_run: bool = False) -> SendReport:
    """Email the week's digest to the CCO and the executives who want it and have not had one in the last
    DIGEST_REPEAT_DAYS days. With `dry_run`, nothing is sent or remembered."""
    now = now or timezone.now()
    recipients = digest_recipients(since=now - timedelta(days=DIGEST_REPEAT_DAYS))
    if not recipients:
        return SendReport()
    digest = weekly_digest(current_period(), now=now)
    since, until = timezone.localtime(digest.since), timezone.localtime(digest.until)
    subject = f"Weekly digest, {since.day} {since:%b} to {until.day} {until:%b %Y}"
    if digest.organisation is not None:
        subject += f": organisation score {digest.organisation.after}"
    context = {
        "digest": digest,
        "reviews_url": absolute_url("review-list"),
        "sources_url": absolute_url("data-source-list"),
        "decisions_url": absolute_url("decision-list"),
    }
    emails = [
        Outgoing(kind=NoticeKind.DIGEST, user=user, subject=subject, template="digest", context=context)
        for user in recipients
    ]
    return send_each(emails, on_sent=partial(_remember, sent_at=now), dry_run=dry_run)
