"""The dashboard's "what needs attention" list: each group says what to look at and why, empty when all is well."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse

from goals.models import CompensationLever, Confidence, Goal, GoalStatus, LinkKind, Period
from goals.progress import check_in_is_stale
from goals.selectors import goals_with_current_value
from mandates.models import DataSource, SourceCategory
from scoring.measures import customer_linked_goal_ids

from .rows import DepartmentRow, ObjectiveColumn

ATTENTION_CONFIDENCE = (Confidence.AT_RISK, Confidence.OFF_TRACK)


@dataclass(frozen=True)
class AttentionItem:
    text: str
    url: str = ""
    rule: str = "view_dashboard"  # who may follow the link (cco.permissions); others see the text only


@dataclass(frozen=True)
class AttentionGroup:
    key: str
    title: str
    why: str
    items: list[AttentionItem]
    count: int | None = None  # when one item stands for many (claims awaiting review): how many

    @property
    def size(self) -> int:
        return len(self.items) if self.count is None else self.count


def _department_url(department_id: int, anchor: str = "") -> str:
    url = reverse("department-detail", args=[department_id])
    return f"{url}#{anchor}" if anchor else url


def attention(
    *,
    rows: list[DepartmentRow],
    columns: list[ObjectiveColumn],
    links: list[dict],
    period: Period | None,
    now: datetime,
    claims: int,
) -> list[AttentionGroup]:
    """What an executive should look at first; each group empty when all is well (queries: three; `claims`, counted
    by the caller, is one item however many there are)."""
    groups = [
        AttentionGroup(
            "uncovered",
            "Objectives no customer-facing department supports",
            "A shared objective nobody works toward will not move.",
            [AttentionItem(f"“{c.objective.title}”", reverse("objective-list")) for c in columns if not c.supporters],
        ),
        AttentionGroup(
            "unreached",
            "Customer-facing departments without a line to the CCO",
            "The CCO cannot manage customer-facing work that does not report to the office.",
            [
                AttentionItem(row.department.name, reverse("org-chart"))
                for row in rows
                if row.department.customer_facing and not row.reach.reaches_cco
            ],
        ),
    ]
    customer_linked = customer_linked_goal_ids((link["goal_id"], link["kind"], link["strength"]) for link in links)
    levers = (
        CompensationLever.objects.filter(goal__period=period, goal__status=GoalStatus.ACTIVE)
        .select_related("department", "manager", "goal")
        .order_by("department__name", "manager__username", "pk")
    )
    lever_items = []
    for lever in levers:
        problems = []
        if lever.goal_id not in customer_linked:
            problems.append("not tied to a customer-linked goal")
        if not lever.signed_off:
            problems.append("not signed off by the CCO")
        if problems:
            who = lever.manager.get_full_name() or lever.manager.username
            lever_items.append(
                AttentionItem(
                    f"{lever.department.name}: {who}'s {lever.share.normalize():f}% on “{lever.goal.title}” — "
                    + " and ".join(problems),
                    _department_url(lever.department_id, "levers"),
                )
            )
    groups.append(
        AttentionGroup(
            "levers",
            "Compensation levers to fix",
            "Variable pay that does not ride on customer-linked goals, or that the CCO has not signed off.",
            lever_items,
        )
    )
    groups.append(
        AttentionGroup(
            "conflicts",
            "Goals that conflict with customer objectives",
            "Each takes points off its department's score.",
            [
                AttentionItem(
                    f"{link['goal__department__name']}: “{link['goal__title']}” conflicts with "
                    f"“{link['objective__title']}” "
                    f"(strength {link['strength']:g})",
                    _department_url(link["goal__department_id"], f"goal-{link['goal_id']}"),
                )
                for link in links
                if link["kind"] == LinkKind.CONFLICTS
            ],
        )
    )
    waiting = f"{claims} link{'' if claims == 1 else 's'} claimed by departments, waiting for the CCO's review"
    why = "A link a department claims counts at reduced credit until the CCO confirms or rejects it."
    queue = [AttentionItem(waiting, f"{reverse('review-list')}#claims-heading", rule="review_link")] if claims else []
    groups.append(AttentionGroup("claims", "Links awaiting the CCO's review", why, queue, count=claims))
    groups.append(_stale_competitor_data(now))
    groups.append(_goals_needing_a_look(period, now))
    return groups


def _stale_competitor_data(now: datetime) -> AttentionGroup:
    limit_days = settings.COMPETITOR_DATA_MAX_AGE_DAYS
    sources = [s for s in DataSource.objects.filter(category=SourceCategory.COMPETITOR) if s.cco_has_access]
    items = []
    if not sources:
        items.append(AttentionItem("The CCO has access to no competitor data source.", reverse("data-source-list")))
    for source in sources:
        if source.last_refreshed_at is None:
            items.append(AttentionItem(f"{source.name} has never been refreshed.", reverse("data-source-list")))
        elif source.last_refreshed_at < now - timedelta(days=limit_days):
            age = (now - source.last_refreshed_at).days
            items.append(
                AttentionItem(
                    f"{source.name} was last refreshed {age} days ago (limit {limit_days}).",
                    reverse("data-source-list"),
                )
            )
    return AttentionGroup(
        "competitor", "Stale competitor data", "Competitor data is only useful while it is timely.", items
    )


def _goals_needing_a_look(period: Period | None, now: datetime) -> AttentionGroup:
    stale_days = settings.CHECK_IN_STALE_DAYS
    goals = goals_with_current_value(Goal.objects.filter(period=period, status=GoalStatus.ACTIVE)).select_related(
        "department"
    )
    items = []
    for goal in goals.order_by("department__name", "title"):
        notes = []
        if goal.current_confidence in ATTENTION_CONFIDENCE:
            notes.append(Confidence(goal.current_confidence).label.lower())
        if goal.last_check_in_at is None:
            notes.append("no check-in yet")
        elif check_in_is_stale(goal.last_check_in_at, now=now):
            notes.append(f"last check-in {(now - goal.last_check_in_at).days} days ago")
        if notes:
            items.append(
                AttentionItem(
                    f"{goal.department.name}: “{goal.title}” — {', '.join(notes)}",
                    _department_url(goal.department_id, f"goal-{goal.pk}"),
                )
            )
    return AttentionGroup(
        "check-ins",
        "Goals at risk, off track or not checked in",
        f"The latest check-in says at risk or off track, or is older than {stale_days} days.",
        items,
    )
