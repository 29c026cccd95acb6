"""Reads for the mandate: the checklist with its evaluation, data sources, decisions, the empowerment trend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cco import roles
from cco.wording import counted
from departments.models import Department
from departments.reach import Reach
from departments.selectors import departments_reaching_cco
from goals.models import CheckIn, CompensationLever, Goal, GoalLink, GoalStatus, LinkKind, LinkReview, Period
from goals.selectors import current_period, objectives_in_strategy

from .evaluation import DepartmentFacts, Evaluation, MandateFacts, SourceFacts, evaluate, item_credit
from .models import DataSource, Decision, EmpowermentSnapshot, ItemStatus, MandateItem


@dataclass(frozen=True)
class ChecklistRow:
    item: MandateItem
    evaluation: Evaluation | None

    @property
    def effective_status(self) -> str:
        return self.evaluation.status if self.evaluation else self.item.status

    @property
    def disagrees(self) -> bool:
        """The CCO's own status differs from what the data shows."""
        return self.evaluation is not None and self.evaluation.status != self.item.status

    @property
    def confirmable(self) -> bool:
        """The CCO's own status counts here (the data cannot tell) and grants something: another person confirms it."""
        return self.evaluation is None and self.item.status != ItemStatus.NOT_GRANTED

    @property
    def confirmed(self) -> bool:
        return self.item.confirmed_at is not None

    @property
    def awaits_confirmation(self) -> bool:
        return self.confirmable and not self.confirmed

    @property
    def credit(self) -> float:
        """What the item adds to the empowerment score (mandates.evaluation.item_credit)."""
        return item_credit(self.effective_status, counts_in_full=not self.awaits_confirmation)


def mandate_facts(reach: dict[int, Reach] | None = None) -> MandateFacts:
    """The data the checklist is evaluated from, in a constant number of queries; `reach` when the caller has
    already worked out every department's (the dashboard)."""
    reach = reach if reach is not None else departments_reaching_cco()
    period = current_period()
    lever_counts = {
        row["department_id"]: row
        for row in CompensationLever.objects.filter(goal__period=period, goal__status=GoalStatus.ACTIVE)
        .order_by()  # the model's ordering would join every lever's department and manager for nothing
        .values("department_id")
        .annotate(total=Count("pk"), unsigned=Count("pk", filter=Q(signed_off=False)))
    }
    departments = tuple(
        DepartmentFacts(
            name=d["name"],
            customer_facing=d["customer_facing"],
            reaches_cco=reach[d["id"]].reaches_cco,
            holds_goal_and_pay_authority=reach[d["id"]].holds_goal_and_pay_authority,
            levers=lever_counts.get(d["id"], {}).get("total", 0),
            unsigned_levers=lever_counts.get(d["id"], {}).get("unsigned", 0),
        )
        for d in Department.objects.order_by("name").values("id", "name", "customer_facing")
    )
    sources = tuple(
        SourceFacts(s.name, s.category, s.cco_has_access, s.last_refreshed_at) for s in DataSource.objects.all()
    )
    categories = frozenset(objectives_in_strategy(period).values_list("category", flat=True))
    return MandateFacts(
        departments=departments,
        sources=sources,
        objective_categories=categories,
        now=timezone.now(),
        competitor_max_age_days=settings.COMPETITOR_DATA_MAX_AGE_DAYS,
    )


def mandate_checklist(
    facts: MandateFacts | None = None, *, reach: dict[int, Reach] | None = None
) -> list[ChecklistRow]:
    """Every checklist item with the data's evaluation beside the CCO's own status."""
    facts = facts or mandate_facts(reach)
    items = MandateItem.objects.select_related("updated_by", "confirmed_by")
    return [ChecklistRow(item, evaluate(item.key, facts)) for item in items]


def latest_empowerment() -> EmpowermentSnapshot | None:
    return EmpowermentSnapshot.objects.order_by("-computed_at", "-pk").first()


def empowerment_history(*, limit: int = 30, before=None) -> list[EmpowermentSnapshot]:
    """The latest `limit` empowerment snapshots, oldest first; with `before` (a moment), those stored before it."""
    rows = EmpowermentSnapshot.objects.order_by("-computed_at", "-pk")
    if before is not None:
        rows = rows.filter(computed_at__lt=before)
    return list(reversed(rows[:limit]))


def data_sources() -> QuerySet[DataSource]:
    return DataSource.objects.prefetch_related("metrics")


def decisions(*, department: Department | None = None, department_name: str = "") -> QuerySet[Decision]:
    """The decision log, newest first: of one department, of those whose name contains `department_name`, or all."""
    rows = Decision.objects.select_related("department", "by", "goal", "lever")
    if department:
        rows = rows.filter(department=department)
    return rows.filter(department__name__icontains=department_name) if department_name else rows


@dataclass(frozen=True)
class ReviewQueue:
    period: Period | None
    levers: QuerySet[CompensationLever]  # on active goals, not signed off; unevaluated, so a page can paginate it
    drafts: QuerySet[Goal]  # waiting for approval; likewise
    claims: QuerySet[GoalLink]  # supporting links awaiting the CCO's review; likewise


# The one definition of a claim awaiting review: a supporting link of an active goal that nobody has reviewed.
AWAITING_REVIEW = Q(review=LinkReview.CLAIMED, kind=LinkKind.SUPPORTS, goal__status=GoalStatus.ACTIVE)
# And of a lever awaiting sign-off: one on an active goal (on a vetoed, archived or draft goal the pay counts for
# nothing and mandates.services.lever_sign_off refuses it; its department changes or deletes it).
AWAITING_SIGN_OFF = Q(signed_off=False, goal__status=GoalStatus.ACTIVE)


@dataclass(frozen=True)
class JudgedBy:
    """What `viewer` may judge, as filters for each list of the review queue: cco.permissions.judges_own asked of the
    database (nobody reviews the departments they head, nor a lever paying them), so the queue and its counts offer
    only what the rules will let them decide. Reads no row: the headed departments are the request's (cco.roles)."""

    claims: Q
    drafts: Q
    levers: Q


def judged_by(viewer) -> JudgedBy:
    own = roles.headed_department_ids(viewer)
    not_own = ~Q(department_id__in=own) if own else Q()
    return JudgedBy(
        claims=~Q(goal__department_id__in=own) if own else Q(),
        drafts=not_own,
        levers=not_own & ~Q(manager_id=viewer.pk),
    )


def links_for_review() -> QuerySet[GoalLink]:
    """Links with what a review shows: the goal, its department and the objective, and `changed_at`, when the link
    was last written (for a claim, when the department claimed it; from its history, else the goal's last change)."""
    written = GoalLink.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    return GoalLink.objects.select_related("goal__department", "objective").annotate(
        changed_at=Coalesce(Subquery(written.values("history_date")[:1]), "goal__updated_at")
    )


def link_claims(period: Period | None, *, judged: JudgedBy) -> QuerySet[GoalLink]:
    """The period's claims awaiting the CCO's review that `judged` lets them decide, by department and goal; a
    queryset, so callers take a page."""
    if period is None:
        return GoalLink.objects.none()
    return (
        links_for_review()
        .filter(AWAITING_REVIEW, judged.claims, goal__period=period)
        .order_by("goal__department__name", "goal__title", "objective__title", "pk")
    )


@dataclass(frozen=True)
class WaitingElsewhere:
    """A quarter other than the current one that is still open for decisions, and what waits in it for a viewer."""

    period: Period
    claims: int
    drafts: int
    levers: int

    @property
    def total(self) -> int:
        return self.claims + self.drafts + self.levers

    @property
    def summary(self) -> str:
        """ "3 claims, 1 lever not signed off", as the page says it."""
        return ", ".join(
            counted(
                (self.claims, "claim", "claims"),
                (self.levers, "lever not signed off", "levers not signed off"),
                (self.drafts, "draft goal", "draft goals"),
            )
        )

    @property
    def decide_by(self) -> date | None:
        """The last day its decisions can be made (its final check-ins' last day), for a quarter that has ended;
        None for one that has not."""
        if self.period.ends_at > timezone.now():
            return None
        return (CheckIn.reading_window(self.period)[1] - timedelta(days=1)).date()


def waiting_in_other_open_periods(viewer) -> list[WaitingElsewhere]:
    """What waits for `viewer` in the quarters that are not current and not closed, oldest first: the last one during
    its grace days (its claims, drafts and levers can still be decided, and are frozen as they are once it closes),
    and one set up ahead (a roll-over brings claims and levers into it). Only those with something waiting. One
    query for the periods, and three more only when one of them is open."""
    today = timezone.localdate()
    recent = Period.objects.filter(is_current=False, end__gte=today - timedelta(days=settings.CHECK_IN_GRACE_DAYS + 1))
    periods = {period.pk: period for period in recent.order_by("start") if not period.closed}
    if not periods:
        return []
    judged = judged_by(viewer)
    counted = {
        "claims": GoalLink.objects.filter(AWAITING_REVIEW, judged.claims, goal__period__in=periods).values(
            key=F("goal__period_id")
        ),
        "drafts": Goal.objects.filter(judged.drafts, period__in=periods, status=GoalStatus.DRAFT).values(
            key=F("period_id")
        ),
        "levers": CompensationLever.objects.filter(AWAITING_SIGN_OFF, judged.levers, goal__period__in=periods).values(
            key=F("goal__period_id")
        ),
    }
    counts = {
        kind: dict(rows.order_by().annotate(n=Count("pk")).values_list("key", "n")) for kind, rows in counted.items()
    }
    waiting = [
        WaitingElsewhere(period, *(counts[kind].get(pk, 0) for kind in ("claims", "drafts", "levers")))
        for pk, period in periods.items()
    ]
    return [entry for entry in waiting if entry.total]


def claims_awaiting_review() -> int:
    """How many of the current period's claims await the CCO's review (one query), for the dashboard: every one,
    those a CCO who heads a department leaves to another reviewer included."""
    return GoalLink.objects.filter(AWAITING_REVIEW, goal__period__is_current=True).count()


def review_queue(viewer, period: Period | None = None) -> ReviewQueue:
    """What waits for `viewer`'s decision in `period` (the current one unless given), by department: what measures
    them (judged_by) is another person's to decide, so it is not offered. Querysets, so a page takes a page of each
    (the authority each line gives is read for the departments shown, see departments_reaching_cco)."""
    period = period or current_period()
    judged = judged_by(viewer)
    levers = (
        CompensationLever.objects.filter(AWAITING_SIGN_OFF, judged.levers, goal__period=period)
        .select_related("department", "manager", "goal")
        .order_by("department__name", "manager__username", "pk")
    )
    drafts = (
        Goal.objects.filter(judged.drafts, period=period, status=GoalStatus.DRAFT)
        .select_related("department")
        .order_by("department__name", "title", "pk")
    )
    return ReviewQueue(period, levers, drafts, link_claims(period, judged=judged))
