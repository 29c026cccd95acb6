"""What needs the signed-in user: the CCO's reviews waiting, and a head's goals to check in or to revise.

Unlike pages.attention (what anyone should look at across the organisation), this is personal: it is empty for
executives and admins. The navigation shows the counts on every page, so they cost one query per role held (the
CCO's, a head's), whatever the size of the organisation; the dashboard adds one query per group it lists, for its
first NEEDS_SHOWN items only. A head's goals are found through their departments' ids, never one department at a
time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Func, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from cco import roles
from cco.shared_reads import kept
from cco.wording import percent, person
from goals.bindings import TYPED_BY_HAND
from goals.models import CompensationLever, Goal, GoalLink, GoalStatus, Period
from goals.progress import stale_before
from mandates.models import Decision, DecisionAction
from mandates.selectors import (
    AWAITING_REVIEW,
    AWAITING_SIGN_OFF,
    judged_by,
    review_queue,
    waiting_in_other_open_periods,
)

NEEDS_SHOWN = 5

# A goal the CCO vetoed and its department has to revise (mandates.services.goal_veto): back to draft and on hold
# until the CCO approves it again (goal_approve clears the flag; Goal.clean keeps it from becoming active).
VETOED = Q(needs_approval=True, status=GoalStatus.DRAFT)


def to_check_in(now: datetime) -> Q:
    """An active goal whose latest reading is missing or stale (goals.progress.check_in_is_stale's rule, asked of
    the column the goal keeps its latest reading in), in a period that has started: no reading can be dated before
    a period's first day, so a quarter made current ahead of time asks for none yet."""
    stale = Q(last_check_in_at__isnull=True) | Q(last_check_in_at__lt=stale_before(now))
    started = Q(period__start__lte=timezone.localdate(now))
    return Q(status=GoalStatus.ACTIVE) & TYPED_BY_HAND & stale & started  # a fed goal's readings come from its source


@dataclass(frozen=True)
class DepartmentNeeds:
    """One of the head's departments: how many of its current goals need them."""

    department_id: int
    name: str
    to_check_in: int
    vetoed: int

    @property
    def total(self) -> int:
        return self.to_check_in + self.vetoed


@dataclass(frozen=True)
class NeedCounts:
    """The counts the navigation shows. Zero for a role the user does not hold."""

    is_cco: bool = False
    is_head: bool = False
    claims: int = 0  # links departments claim, awaiting the CCO's review
    drafts: int = 0  # draft goals waiting for the CCO's approval
    levers: int = 0  # compensation levers on active goals not signed off
    departments: tuple[DepartmentNeeds, ...] = ()  # the head's departments with something to do, by name

    @property
    def applies(self) -> bool:
        """Whether the user has anything personal to do at all (the CCO or a head)."""
        return self.is_cco or self.is_head

    @property
    def reviews(self) -> int:
        return self.claims + self.drafts + self.levers

    @property
    def to_check_in(self) -> int:
        return sum(d.to_check_in for d in self.departments)

    @property
    def vetoed(self) -> int:
        return sum(d.vetoed for d in self.departments)

    @property
    def total(self) -> int:
        return self.reviews + self.to_check_in + self.vetoed

    @property
    def by_department(self) -> dict[int, int]:
        """Department id → how many of its goals need the head (for the navigation's "My department" links)."""
        return {d.department_id: d.total for d in self.departments}


@dataclass(frozen=True)
class NeedItem:
    text: str
    url: str  # where the user acts on it


@dataclass(frozen=True)
class NeedLink:
    text: str
    url: str


@dataclass(frozen=True)
class NeedGroup:
    key: str
    title: str
    why: str
    items: list[NeedItem]  # the first NEEDS_SHOWN
    count: int  # how many in all
    full_lists: list[NeedLink] = field(default_factory=list)  # where all of them are listed

    @property
    def more(self) -> int:
        """How many are not shown ("and N more")."""
        return self.count - len(self.items)


@dataclass(frozen=True)
class Needs:
    counts: NeedCounts
    groups: list[NeedGroup]  # only the groups with something in them

    @property
    def applies(self) -> bool:
        return self.counts.applies


def need_counts(user, *, now: datetime | None = None) -> NeedCounts:
    """What waits for `user`, counted in the database: one query if they are the CCO, one if they head departments
    (the roles and headed departments are read once per request by cco.roles). Kept until the data changes
    (cco.shared_reads), unless asked as of another moment than now."""
    if now is None:
        return kept("need-counts", user.pk, compute=lambda: _need_counts(user, timezone.now()))
    return _need_counts(user, now)


def _need_counts(user, now: datetime) -> NeedCounts:
    is_cco = roles.CCO in roles.role_names(user)
    headed = roles.headed_department_ids(user)
    reviews = cco_review_counts(user) if is_cco else {}
    departments = _department_counts(headed, now) if headed else ()
    return NeedCounts(is_cco=is_cco, is_head=bool(headed), departments=departments, **reviews)


def what_needs_me(user, *, now: datetime | None = None) -> Needs:
    """The counts and, for each group with something in it, its first NEEDS_SHOWN items with a link to where the
    user acts on each (queries: the counts', plus one per group shown, plus the current period for the CCO's). Kept
    like need_counts()."""
    if now is None:
        return kept("needs", user.pk, compute=lambda: _what_needs_me(user, timezone.now()))
    return _what_needs_me(user, now)


def _what_needs_me(user, now: datetime) -> Needs:
    counts = _need_counts(user, now)
    groups: list[NeedGroup] = []
    if counts.reviews:
        groups += cco_review_groups(user, counts)
    if counts.is_cco:
        groups += _elsewhere_group(user)
    if counts.to_check_in:
        groups.append(_check_in_group(counts, now))
    if counts.vetoed:
        groups.append(_vetoed_group(counts))
    return Needs(counts, groups)


# --- the CCO -----------------------------------------------------------------------------------------------


def _count_of(rows: QuerySet) -> Subquery:
    """A subquery counting `rows` (COUNT without GROUP BY: one row whatever matches)."""
    return Subquery(rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


def cco_review_counts(viewer) -> dict[str, int]:
    """What waits for `viewer`'s review as the CCO. Kept per CCO: a CCO who heads a department leaves its claims,
    goals and levers (and their own pay) to another reviewer (mandates.selectors.judged_by)."""
    return kept("cco-review-counts", viewer.pk, compute=lambda: _review_counts(viewer))


def cco_review_groups(viewer, counts: NeedCounts | None = None) -> list[NeedGroup]:
    """The first few of each, kept per CCO like the counts (`counts` when the caller has them)."""

    def compute() -> list[NeedGroup]:
        return _review_groups(counts or NeedCounts(is_cco=True, **cco_review_counts(viewer)), viewer)

    return kept("cco-review-groups", viewer.pk, compute=compute)


def _elsewhere_group(viewer) -> list[NeedGroup]:
    """What waits for the CCO in the quarters still open besides the current one (mandates.selectors), one item per
    quarter: the last one's decisions are frozen once its grace days are over."""
    waiting = waiting_in_other_open_periods(viewer)
    if not waiting:
        return []
    reviews = reverse("review-list")
    items = [
        NeedItem(
            f"{entry.period}: {entry.summary}"
            + (f", to decide by {entry.decide_by:%-d %b %Y}" if entry.decide_by else ", set up ahead"),
            f"{reviews}?period={entry.period.pk}",
        )
        for entry in waiting
    ]
    why = "Decisions in a quarter that has ended can be made until its final check-ins are due; then it closes."
    where = [NeedLink("Sign-offs, other quarters", f"{reviews}#elsewhere-heading")]
    return [NeedGroup("elsewhere", "Quarters with decisions waiting besides this one", why, items, len(items), where)]


def warm_cco_reviews() -> None:
    """What waits for each active CCO, computed ahead after a change (pages.dashboard.warm_organisation_wide): there
    is one CCO, or a few."""
    for cco in get_user_model().objects.filter(groups__name=roles.CCO, is_active=True).order_by("pk"):
        cco_review_groups(cco)


def _review_counts(viewer) -> dict[str, int]:
    """What the Sign-offs page lists for `viewer` (mandates.selectors.review_queue), counted in one query on the
    current period."""
    current, judged = OuterRef("pk"), judged_by(viewer)
    row = (
        Period.objects.filter(is_current=True)
        .values(
            claims=_count_of(GoalLink.objects.filter(AWAITING_REVIEW, judged.claims, goal__period=current)),
            drafts=_count_of(Goal.objects.filter(judged.drafts, period=current, status=GoalStatus.DRAFT)),
            levers=_count_of(CompensationLever.objects.filter(AWAITING_SIGN_OFF, judged.levers, goal__period=current)),
        )
        .first()
    )
    return row or {}


def _review_groups(counts: NeedCounts, viewer) -> list[NeedGroup]:
    """The first few of each list on the Sign-offs page, in its order, each linked to its review form."""
    queue = review_queue(viewer)
    reviews = reverse("review-list")
    groups = []
    if counts.claims:
        groups.append(
            NeedGroup(
                "claims",
                "Claims to review",
                "A link a department claims counts at reduced credit until you confirm or reject it.",
                [
                    NeedItem(
                        f"{link.goal.department.name}: “{link.goal.title}” supports “{link.objective.title}”",
                        reverse("link-review", args=[link.pk]),
                    )
                    for link in queue.claims[:NEEDS_SHOWN]
                ],
                counts.claims,
                [NeedLink("Sign-offs, claims", f"{reviews}#claims-heading")],
            )
        )
    if counts.drafts:
        groups.append(
            NeedGroup(
                "drafts",
                "Goals waiting for your approval",
                "A draft goal does not count toward its department's score until you approve it.",
                [
                    NeedItem(
                        f"{goal.department.name}: “{goal.title}”"
                        + (" (you vetoed it: approve it once it is revised)" if goal.needs_approval else ""),
                        reverse("goal-review", args=[goal.pk]),
                    )
                    for goal in queue.drafts[:NEEDS_SHOWN]
                ],
                counts.drafts,
                [NeedLink("Sign-offs, draft goals", f"{reviews}#drafts-heading")],
            )
        )
    if counts.levers:
        groups.append(
            NeedGroup(
                "levers",
                "Levers awaiting your sign-off",
                "Variable pay rides on these goals without your sign-off.",
                [
                    NeedItem(
                        f"{lever.department.name}: {person(lever.manager)}'s "
                        f"{percent(lever.share, 2)} on “{lever.goal.title}”",
                        reverse("lever-review", args=[lever.pk]),
                    )
                    for lever in queue.levers[:NEEDS_SHOWN]
                ],
                counts.levers,
                [NeedLink("Sign-offs, levers", f"{reviews}#levers-heading")],
            )
        )
    return groups


# --- a department head -------------------------------------------------------------------------------------


def _department_counts(headed: frozenset[int], now: datetime) -> tuple[DepartmentNeeds, ...]:
    """Per headed department, its current goals to check in and to revise (one grouped query over those
    departments' goals only)."""
    due, vetoed = to_check_in(now), VETOED
    rows = (
        Goal.objects.filter(department_id__in=headed, period__is_current=True)
        .filter(due | vetoed)
        .values("department_id", "department__name")
        .annotate(to_check_in=Count("pk", filter=due), vetoed=Count("pk", filter=vetoed))
        .order_by("department__name", "department_id")
    )
    return tuple(
        DepartmentNeeds(row["department_id"], row["department__name"], row["to_check_in"], row["vetoed"])
        for row in rows
    )


def _headed_goals(counts: NeedCounts) -> QuerySet[Goal]:
    ids = [d.department_id for d in counts.departments]
    return Goal.objects.filter(department_id__in=ids, period__is_current=True)


def _department_lists(counts: NeedCounts, attribute: str) -> list[NeedLink]:
    """The department pages listing every goal of the group, with how many each holds."""
    return [
        NeedLink(f"{d.name} ({getattr(d, attribute)})", f"{reverse('department-detail', args=[d.department_id])}#goals")
        for d in counts.departments
        if getattr(d, attribute)
    ]


def _check_in_group(counts: NeedCounts, now: datetime) -> NeedGroup:
    """Never checked in first, then the oldest reading."""
    goals = (
        _headed_goals(counts)
        .filter(to_check_in(now))
        .order_by(F("last_check_in_at").asc(nulls_first=True), "department__name", "title", "pk")
        .values("pk", "title", "department__name", "last_check_in_at")
    )
    items = []
    for goal in goals[:NEEDS_SHOWN]:
        last = goal["last_check_in_at"]
        note = "no check-in yet" if last is None else f"last check-in {(now - last).days} days ago"
        items.append(
            NeedItem(
                f"{goal['department__name']}: “{goal['title']}” — {note}", reverse("check-in-create", args=[goal["pk"]])
            )
        )
    return NeedGroup(
        "check-ins",
        "Goals to check in",
        "An active goal without a recent reading cannot show whether it is on track.",
        items,
        counts.to_check_in,
        _department_lists(counts, "to_check_in"),
    )


def _vetoed_group(counts: NeedCounts) -> NeedGroup:
    """Each with the reason the CCO gave for the latest veto."""
    reason = Decision.objects.filter(goal=OuterRef("pk"), action=DecisionAction.VETO).order_by("-at", "-pk")
    goals = (
        _headed_goals(counts)
        .filter(VETOED)
        .annotate(veto_reason=Subquery(reason.values("reason")[:1]))
        .order_by("department__name", "title", "pk")
        .values("pk", "title", "department__name", "veto_reason")
    )
    items = [
        NeedItem(
            f"{goal['department__name']}: “{goal['title']}”"
            + (f" — the CCO's reason: {goal['veto_reason']}" if goal["veto_reason"] else ""),
            reverse("goal-edit", args=[goal["pk"]]),
        )
        for goal in goals[:NEEDS_SHOWN]
    ]
    return NeedGroup(
        "vetoed",
        "Vetoed goals to revise",
        "The CCO vetoed these goals: revise them; each counts again once the CCO approves it.",
        items,
        counts.vetoed,
        _department_lists(counts, "vetoed"),
    )
