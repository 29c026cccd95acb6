"""The dashboard's "what needs attention" list: each group says what to look at and why, empty when all is well.

At two thousand departments a group can hold thousands of things; nobody reads them on a dashboard. Each group
shows its first ATTENTION_SHOWN items and the true count, counted in the database; only the shown items are
loaded and only their links are built.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from cco.wording import number, percent, person_named
from departments.selectors import OrganisationOutline
from goals.models import CompensationLever, Confidence, CustomerObjective, Goal, GoalStatus, LinkKind, Period
from goals.progress import check_in_is_stale, stale_before
from goals.selectors import counted_links, strategy_links
from mandates.models import DataSource, SourceCategory

from .rows import ObjectiveColumn

ATTENTION_CONFIDENCE = (Confidence.AT_RISK, Confidence.OFF_TRACK)
ATTENTION_SHOWN = 5


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
    items: list[AttentionItem]  # the first few (at most ATTENTION_SHOWN)
    count: int | None = None  # how many need a look, when more than the items shown (or one item stands for all)
    more_url: str = ""  # a page listing all of them, when there is one
    summarised: bool = False  # one item says how many (claims awaiting review)

    @property
    def size(self) -> int:
        return len(self.items) if self.count is None else self.count

    @property
    def more(self) -> int:
        """How many are not shown ("and N more")."""
        return 0 if self.summarised else self.size - len(self.items)


def _department_url(department_id: int, anchor: str = "") -> str:
    url = reverse("department-detail", args=[department_id])
    return f"{url}#{anchor}" if anchor else url


def attention(
    *,
    outline: OrganisationOutline,
    columns: list[ObjectiveColumn],
    period: Period | None,
    now: datetime,
    claims: int,
) -> list[AttentionGroup]:
    """What an executive should look at first; each group empty when all is well, capped at ATTENTION_SHOWN items
    with the true count (queries: fifteen; `claims`, counted by the caller, is one item however many there are)."""
    objectives = [column.objective for column in columns]
    uncovered = [column for column in columns if not column.supporters]
    objectives_url = reverse("objective-list")
    unreached = [d for d in outline.departments if d.customer_facing and not outline.reach[d.pk].reaches_cco]
    org_chart_url = reverse("org-chart")
    waiting = f"{claims} link{'' if claims == 1 else 's'} claimed by departments, waiting for the CCO's review"
    queue = [AttentionItem(waiting, f"{reverse('review-list')}#claims-heading", rule="review_link")] if claims else []
    return [
        AttentionGroup(
            "uncovered",
            "Objectives no customer-facing department supports",
            "A shared objective nobody works toward will not move.",
            [AttentionItem(f"“{c.objective.title}”", objectives_url) for c in uncovered[:ATTENTION_SHOWN]],
            len(uncovered),
            objectives_url,
        ),
        AttentionGroup(
            "unreached",
            "Customer-facing departments without a line to the CCO",
            "The CCO cannot manage customer-facing work that does not report to the office.",
            [AttentionItem(d.name, f"{org_chart_url}?{urlencode({'q': d.name})}") for d in unreached[:ATTENTION_SHOWN]],
            len(unreached),
            f"{org_chart_url}?reach=none#departments-heading",
        ),
        _levers_to_fix(period, objectives),
        _conflicts(period, columns),
        AttentionGroup(
            "claims",
            "Links awaiting the CCO's review",
            "A link a department claims counts at reduced credit until the CCO confirms or rejects it.",
            queue,
            claims,
            summarised=True,
        ),
        _stale_competitor_data(now),
        _goals_needing_a_look(period, now),
    ]


def _levers_to_fix(period: Period | None, objectives: list[CustomerObjective]) -> AttentionGroup:
    """Levers on goals that are not customer-linked, or not signed off (four small queries: the first few, which of
    their goals are customer-linked, and the count in two parts).

    "Customer-linked" is scoring.measures.customer_linked_goal_ids' rule (a supporting link stronger than 0 to an
    objective of the strategy), asked here of the database so that no lever or link is loaded to count them. Asked
    as a filter alone, it is a probe of the links' goal index per lever, and the first few come in a millisecond;
    as a column of every lever (which a single query for the rows, the flag and the count needs), PostgreSQL
    hashes every supporting link of the strategy twice, 35 ms at 2,000 departments. The count is split the same
    way: the levers not signed off, plus the signed-off ones whose goal is not customer-linked (20 ms)."""
    supporting = counted_links(objectives).filter(kind=LinkKind.SUPPORTS)
    linked = Exists(supporting.filter(goal=OuterRef("goal")))
    levers = CompensationLever.objects.filter(goal__period=period, goal__status=GoalStatus.ACTIVE)
    shown = list(
        levers.filter(~linked | Q(signed_off=False))
        .order_by("department__name", "manager__username", "pk")
        .values(
            "department_id", "department__name", "manager__username", "manager__first_name", "manager__last_name",
            "share", "goal_id", "goal__title", "signed_off",
        )[:ATTENTION_SHOWN]
    )  # fmt: skip
    linked_goals = set(
        supporting.filter(goal__in=[lever["goal_id"] for lever in shown]).values_list("goal_id", flat=True)
    )
    count = levers.filter(signed_off=False).count() + levers.filter(~linked, signed_off=True).count()
    items = []
    for lever in shown:
        problems = []
        if lever["goal_id"] not in linked_goals:
            problems.append("not tied to a customer-linked goal")
        if not lever["signed_off"]:
            problems.append("not signed off by the CCO")
        who = person_named(lever["manager__username"], lever["manager__first_name"], lever["manager__last_name"])
        items.append(
            AttentionItem(
                f"{lever['department__name']}: {who}'s {percent(lever['share'], 2)} on “{lever['goal__title']}” — "
                + " and ".join(problems),
                _department_url(lever["department_id"], "levers"),
            )
        )
    return AttentionGroup(
        "levers",
        "Compensation levers to fix",
        "Variable pay that does not ride on customer-linked goals, or that the CCO has not signed off.",
        items,
        count,
    )


def _conflicts(period: Period | None, columns: list[ObjectiveColumn]) -> AttentionGroup:
    """Links that conflict with the strategy (one query for the first few; the count comes with the columns)."""
    conflicts = (
        strategy_links(period, [column.objective for column in columns])
        .filter(kind=LinkKind.CONFLICTS)
        .select_related("goal__department", "objective")
        .order_by("goal__department__name", "goal__title", "pk")
    )
    shown = list(conflicts[:ATTENTION_SHOWN])
    count = sum(column.conflicts for column in columns)
    return AttentionGroup(
        "conflicts",
        "Goals that conflict with customer objectives",
        "Each takes points off its department's score.",
        [
            AttentionItem(
                f"{link.goal.department.name}: “{link.goal.title}” conflicts with “{link.objective.title}” "
                f"(strength {number(link.strength)})",
                _department_url(link.goal.department_id, f"goal-{link.goal_id}"),
            )
            for link in shown
        ],
        count,
    )


def _stale_competitor_data(now: datetime) -> AttentionGroup:
    """The competitor data sources the CCO lacks or that are out of date (one query: there are a handful)."""
    limit_days = settings.COMPETITOR_DATA_MAX_AGE_DAYS
    sources_url = reverse("data-source-list")
    sources = [
        s for s in DataSource.objects.filter(category=SourceCategory.COMPETITOR).order_by("name") if s.cco_has_access
    ]
    items = []
    if not sources:
        items.append(AttentionItem("The CCO has access to no competitor data source.", sources_url))
    for source in sources:
        if source.last_refreshed_at is None:
            items.append(AttentionItem(f"{source.name} has never been refreshed.", sources_url))
        elif source.last_refreshed_at < now - timedelta(days=limit_days):
            age = (now - source.last_refreshed_at).days
            items.append(
                AttentionItem(f"{source.name} was last refreshed {age} days ago (limit {limit_days}).", sources_url)
            )
    return AttentionGroup(
        "competitor",
        "Stale competitor data",
        "Competitor data is only useful while it is timely.",
        items[:ATTENTION_SHOWN],
        len(items),
        sources_url,
    )


def _goals_needing_a_look(period: Period | None, now: datetime) -> AttentionGroup:
    """Active goals whose latest reading is off track, at risk or stale, or that have none, worst first (five small
    queries: the count, and the first few of each kind of trouble; the latest reading is kept on the goal).
    Staleness is goals.progress.check_in_is_stale's rule asked of the database (stale_before); the notes shown are
    worded by the rule itself.

    At 2,000 departments over half the goals can need a look. Sorting all of them worst first with a count riding on
    the rows took 25 ms; the count alone reads the goals' period index, and each kind's first few come in order from
    the department names' index (13 ms in all)."""
    stale_days = settings.CHECK_IN_STALE_DAYS
    goals = Goal.objects.filter(period=period, status=GoalStatus.ACTIVE)
    kinds = _worst_first(now)
    count = goals.filter(reduce(operator.or_, kinds)).count()
    fields = ("pk", "title", "department_id", "department__name", "current_confidence", "last_check_in_at")
    needing = [
        goal
        for kind in kinds  # one query each, so that the number of queries does not depend on the data
        for goal in goals.filter(kind).order_by("department__name", "title", "pk").values(*fields)[:ATTENTION_SHOWN]
    ][:ATTENTION_SHOWN]
    items = []
    for goal in needing:
        notes = []
        if goal["last_check_in_at"] is None:
            notes.append("no check-in yet")
        else:
            if goal["current_confidence"] in ATTENTION_CONFIDENCE:
                notes.append(Confidence(goal["current_confidence"]).label.lower())
            if check_in_is_stale(goal["last_check_in_at"], now=now):
                notes.append(f"last check-in {(now - goal['last_check_in_at']).days} days ago")
        items.append(
            AttentionItem(
                f"{goal['department__name']}: “{goal['title']}” — {', '.join(notes)}",
                _department_url(goal["department_id"], f"goal-{goal['pk']}"),
            )
        )
    return AttentionGroup(
        "check-ins",
        "Goals at risk, off track or not checked in",
        f"The latest check-in says at risk or off track, or is older than {stale_days} days.",
        items,
        count,
    )


def _worst_first(now: datetime) -> list[Q]:
    """The kinds of trouble, worst first and each goal in one only: off track, at risk, no check-in at all, then a
    reading that is only old."""
    calm = ~Q(current_confidence__in=ATTENTION_CONFIDENCE)  # includes no confidence at all
    return [
        Q(current_confidence=Confidence.OFF_TRACK),
        Q(current_confidence=Confidence.AT_RISK),
        calm & Q(last_check_in_at__isnull=True),
        calm & Q(last_check_in_at__lt=stale_before(now)),
    ]
