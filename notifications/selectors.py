"""Reads for the emails: who is owed a reminder or an escalation about which goals, and who receives the digest.

Every read is a constant number of queries whatever the organisation's size. A goal's latest reading is the goal's
own `last_check_in_at`; check-ins themselves are never scanned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from cco import roles
from departments.models import Department
from goals.bindings import TYPED_BY_HAND
from goals.models import Goal, GoalStatus, Period

from .models import Notice, NoticeKind

User = get_user_model()

# The preference field that lets a person receive each kind of email.
PREFERENCE_OF = {
    NoticeKind.REMINDER: "check_in_reminders",
    NoticeKind.ESCALATION: "escalations",
    NoticeKind.DIGEST: "weekly_digest",
}


def unchecked_since(goal: Goal, period: Period) -> datetime:
    """Since when a goal has gone without a reading: its latest check-in; with none, its creation or the period's
    start, whichever is later (a goal carried into a new quarter is not overdue on the quarter's first day)."""
    return goal.last_check_in_at or max(goal.created_at, period.begins_at)


def goals_unchecked_for(period: Period | None, *, days: int, now: datetime) -> QuerySet[Goal]:
    """The period's active goals without a check-in for at least `days` days (see unchecked_since), longest
    unchecked first, with their department."""
    if period is None:
        return Goal.objects.none()
    cutoff = now - timedelta(days=days)
    overdue = Q(last_check_in_at__lte=cutoff)
    if period.begins_at <= cutoff:
        overdue |= Q(last_check_in_at__isnull=True, created_at__lte=cutoff)
    return (
        Goal.objects.filter(overdue, TYPED_BY_HAND, period=period, status=GoalStatus.ACTIVE)  # fed goals: their source
        .select_related("department")
        .order_by(Coalesce("last_check_in_at", "created_at"), "department__name", "title", "pk")
    )


def reachable_users(kind: str) -> QuerySet:
    """Active users with an email address who have not turned `kind` off (no preference row: the defaults, on)."""
    opted_out = {f"notification_preference__{PREFERENCE_OF[kind]}": False}
    return User.objects.filter(is_active=True).exclude(email="").exclude(**opted_out)


def told_recently(kind: str, *, since: datetime, goals: QuerySet[Goal]) -> set[tuple[int, int]]:
    """(user id, goal id) pairs of the `kind` emails sent after `since` about any of `goals`."""
    rows = Notice.objects.filter(kind=kind, sent_at__gt=since, goal__in=goals.values("pk"))
    return set(rows.values_list("user_id", "goal_id"))


@dataclass(frozen=True)
class Owed:
    """One email owed to one person about these goals (longest unchecked first)."""

    user: object
    goals: list[Goal]


def reminders_owed(period: Period | None, *, days: int, now: datetime) -> list[Owed]:
    """Each department head with active goals unchecked for `days` days that they were not reminded of in the
    last `days` days, with those goals; heads who turned reminders off or have no email address are left out."""
    overdue = goals_unchecked_for(period, days=days, now=now)
    goals = list(overdue)
    if not goals:
        return []
    goals_of: dict[int, list[tuple[int, Goal]]] = {}  # by department, each goal with its place in `goals`
    for place, goal in enumerate(goals):
        goals_of.setdefault(goal.department_id, []).append((place, goal))
    headships = Department.heads.through.objects.filter(department_id__in=goals_of.keys())
    headed: dict[int, list[int]] = {}
    for department_id, user_id in headships.values_list("department_id", "user_id"):
        headed.setdefault(user_id, []).append(department_id)
    users = reachable_users(NoticeKind.REMINDER).filter(pk__in=headed.keys())
    recent = told_recently(NoticeKind.REMINDER, since=now - timedelta(days=days), goals=overdue)
    owed = []
    for user in users.order_by("last_name", "first_name", "username"):
        # Only the head's own departments' goals are looked at (every overdue goal per head was quadratic: 17 s for
        # 2,000 heads), in the order of `goals` across the departments they head.
        mine = sorted(entry for department_id in headed[user.pk] for entry in goals_of[department_id])
        due = [goal for _place, goal in mine if (user.pk, goal.pk) not in recent]
        if due:
            owed.append(Owed(user, due))
    return owed


def escalations_owed(period: Period | None, *, days: int, repeat_days: int, now: datetime) -> list[Owed]:
    """Each CCO (a user in the CCO group) with the active goals unchecked for `days` days that they were not told
    about in the last `repeat_days` days, with their departments' heads loaded."""
    overdue = goals_unchecked_for(period, days=days, now=now)
    users = list(reachable_users(NoticeKind.ESCALATION).filter(groups__name=roles.CCO).distinct().order_by("pk"))
    if not users:
        return []
    goals = list(overdue.prefetch_related("department__heads"))
    recent = told_recently(NoticeKind.ESCALATION, since=now - timedelta(days=repeat_days), goals=overdue)
    owed = []
    for user in users:
        due = [g for g in goals if (user.pk, g.pk) not in recent]
        if due:
            owed.append(Owed(user, due))
    return owed


def digest_recipients(*, since: datetime) -> list:
    """The CCO and the executives who want the weekly digest and have not had one since `since`."""
    had_one = Notice.objects.filter(kind=NoticeKind.DIGEST, sent_at__gt=since).values("user_id")
    return list(
        reachable_users(NoticeKind.DIGEST)
        .filter(groups__name__in=[roles.CCO, roles.EXECUTIVE])
        .exclude(pk__in=had_one)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
