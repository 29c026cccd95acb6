"""Periods, the CCO's customer objectives, departments' goals, their links, check-ins, levers and scores."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cco.constraints import ConstraintsAfterClean
from cco.fields import SHORT_TEXT, bounded_text
from cco.shared_reads import data_changed
from cco.wording import number, percent, person
from departments.models import Department

from .bindings import MetricBinding
from .progress import goal_progress, progress_expression

MAX_TOTAL_WEIGHT = Decimal(100)
# Check-ins are dated between these: older is a typing mistake, later is a clock that is wrong.
EARLIEST_READING = datetime(2000, 1, 1, tzinfo=UTC)
READING_CLOCK_SKEW = timedelta(minutes=5)
# A goal that links more objectives than this is not a goal; the bound also keeps hostile requests cheap.
MAX_LINKS_PER_GOAL = 20
MAX_VARIABLE_PAY_SHARE = Decimal(100)


# Larger numbers are never a metric, weight or share; field validation refuses them, and clean() must not do
# arithmetic with them (1e999999999 overflows Decimal arithmetic).
MAX_MAGNITUDE_DIGITS = 16


def finite(*values) -> bool:
    """Whether every value is a finite number of a sensible size; clean() compares only those (field errors cover
    the rest)."""
    for value in values:
        try:
            number = None if value is None else Decimal(str(value))
        except (ArithmeticError, ValueError):
            return False
        if number is None or not number.is_finite() or number.adjusted() >= MAX_MAGNITUDE_DIGITS:
            return False
    return True


def metric_field(verbose_name: str, **kwargs) -> models.DecimalField:
    """A finite decimal for metric values; Django's DecimalField refuses NaN and infinity."""
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=4, **kwargs)


class Period(ConstraintsAfterClean, models.Model):
    name = models.CharField(max_length=40, unique=True, help_text="For example 2026-Q4.")
    start = models.DateField()
    end = models.DateField()
    is_current = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_period",
                violation_error_message="Another period is the current one; only one period can be current.",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="period_ends_after_start",
                violation_error_message="The period must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def not_started(self) -> bool:
        """A period set up ahead (the next quarter, planned): it has not begun, so nothing in it has ended either."""
        return self.start > timezone.localdate()

    @property
    def closed(self) -> bool:
        """Over for good: no longer the current period, and past the grace for its final check-ins
        (CheckIn.reading_window). What was recorded in it then stays as it ended; making it current again reopens it
        for a correction."""
        return not self.is_current and timezone.now() >= CheckIn.reading_window(self)[1]

    @property
    def last_day(self) -> date:
        """The period's last day, the one people are shown: `end` is stored and compared exclusive (the next period's
        first day), so "1 July to 30 September", never "to 1 October"."""
        return self.end - timedelta(days=1)

    @property
    def begins_at(self) -> datetime:
        """00:00 of its first day, in the project's time zone: when what happened "in the period" starts."""
        return datetime.combine(self.start, datetime.min.time(), tzinfo=timezone.get_default_timezone())

    @property
    def ends_at(self) -> datetime:
        """00:00 of `end`, the next period's first day: the moment the period is over (exclusive)."""
        return datetime.combine(self.end, datetime.min.time(), tzinfo=timezone.get_default_timezone())

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The period must end after it starts."})
        if self.start and self.end:
            overlapping = Period.objects.filter(start__lt=self.end, end__gt=self.start).exclude(pk=self.pk).first()
            if overlapping:
                raise ValidationError({"start": f"This period overlaps {overlapping.name}."})


class Category(models.TextChoices):
    ACQUISITION = "acquisition", "Acquisition"
    SATISFACTION = "satisfaction", "Satisfaction"
    RETENTION = "retention", "Retention"
    PROFITABILITY = "profitability", "Long-term profitability"
    EXPERIENCE_GAP = "experience_gap", "Expectation–experience gap"


class CustomerObjective(ConstraintsAfterClean, MetricBinding):
    """A shared objective of the CCO's customer strategy."""

    category = models.CharField(max_length=20, choices=Category.choices)
    title = models.CharField(max_length=200)
    description = bounded_text(SHORT_TEXT, blank=True)
    metric = models.CharField(max_length=120)
    unit = models.CharField(max_length=30, blank=True)
    baseline = metric_field("baseline")
    target = metric_field("target")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="objectives")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_objectives"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "title"],
                name="objective_title_unique_in_period",
                violation_error_message="An objective with this title already exists in this period.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    # What scoring reads of an objective (scoring.selectors.scoring_inputs, mandates.selectors.mandate_facts): a save
    # that changes none of these moves no score, so it schedules no recompute (tests/goals/test_recompute_scope.py).
    SCORED_FIELDS = ("period_id", "title", "category", "active")

    def scored_state(self) -> tuple:
        return tuple(getattr(self, name) for name in self.SCORED_FIELDS)

    def clean(self) -> None:
        if self.title and self.period_id:
            twin = same_title_but_case(CustomerObjective.objects.filter(period_id=self.period_id), self)
            if twin:
                raise ValidationError({"title": f"{self.period} already has “{twin}”; use that title or another."})
        self.clean_binding()


def same_title_but_case(rows: models.QuerySet, instance) -> str | None:
    """The title of another row among `rows` that differs from `instance`'s only by letter case, or None: "raise
    NPS" beside "Raise NPS" reads as one goal (or objective) to people, and CSV import matches titles regardless of
    case. The same title exactly is the unique constraint's to refuse."""
    twin = rows.filter(title__iexact=instance.title.strip()).exclude(pk=instance.pk).exclude(title=instance.title)
    return twin.values_list("title", flat=True).first()


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class GoalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class Confidence(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"


class Goal(ConstraintsAfterClean, MetricBinding):
    UNBIND_HINT = "Only the CCO or an admin it does not measure can unbind it from the metric."

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    description = bounded_text(SHORT_TEXT, blank=True)
    metric = models.CharField(max_length=120)
    unit = models.CharField(max_length=30, blank=True)
    baseline = metric_field("baseline")
    target = metric_field("target")
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="goals")
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_TOTAL_WEIGHT)],
        help_text="Share of the department's effort, 0–100; a department's active goals total at most 100.",
    )
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    needs_approval = models.BooleanField(
        default=False,
        help_text="Set by the CCO's veto: the goal stays a draft until the CCO approves it again.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The latest reading (the newest check-in by `at`), kept here by CheckIn.save/delete (refresh_latest_readings) so
    # pages and lists of any size filter and sort on it without a subquery per goal. Derived: not in the history.
    current_value = metric_field("current value", null=True, blank=True, editable=False)
    current_confidence = models.CharField(  # noqa: DJ001 - None says "no reading yet", as the API always has
        max_length=10, choices=Confidence.choices, null=True, blank=True, editable=False
    )
    last_check_in_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Its progress at that reading (goals.progress.goal_progress), kept with it so the scorecard sums it over every
    # supporting goal in the database; written by save() and refresh_latest_readings.
    current_progress = models.FloatField(null=True, blank=True, editable=False)
    # Whether that reading came from a data source (its check-in has a `source`) rather than typed by a person: the
    # roll-up weighs a typed reading at TYPED_READING_CREDIT.
    current_reading_fed = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords(
        excluded_fields=[
            "current_value", "current_confidence", "last_check_in_at", "current_progress", "current_reading_fed"
        ]
    )  # fmt: skip

    class Meta:
        ordering = ["department__name", "-weight", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "period", "title"],
                name="goal_title_unique_in_period",
                violation_error_message="The department already has a goal with this title in this period.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100),
                name="goal_weight_0_100",
                violation_error_message="A goal's weight is between 0 and 100.",
            ),
        ]
        indexes = [
            # The dashboard's organisation-wide counts and the recompute's support read join a period's active goals
            # to their links; with the columns they read included (the id the links join on first), PostgreSQL
            # answers from the index alone (docs/performance.md).
            models.Index(
                fields=["period", "status"],
                include=[
                    "id",
                    "department",
                    "current_confidence",
                    "last_check_in_at",
                    "current_value",
                    "current_progress",
                ],
                name="goal_period_status",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = self.binding_errors()
        if self.title and self.department_id and self.period_id:
            twin = same_title_but_case(Goal.objects.filter(department_id=self.department_id, period_id=self.period_id),
                                       self)  # fmt: skip
            if twin:
                errors["title"] = f"The department already has “{twin}” in {self.period}; use that title or another."
        if finite(self.baseline, self.target):
            if self.direction == Direction.HIGHER and self.target < self.baseline:
                errors["target"] = "For a higher-is-better goal the target cannot be below the baseline."
            if self.direction == Direction.LOWER and self.target > self.baseline:
                errors["target"] = "For a lower-is-better goal the target cannot be above the baseline."
        if self.needs_approval and self.status == GoalStatus.ACTIVE:
            errors["status"] = (
                "The CCO vetoed this goal: revise it and keep it a draft; it becomes active when the CCO approves it."
            )
        if self.status == GoalStatus.ACTIVE and self.department_id and self.period_id and finite(self.weight):
            others = self.active_weight_of_others()
            if others + self.weight > MAX_TOTAL_WEIGHT:
                errors["weight"] = (
                    f"The department's active goals in {self.period} would weigh {number(others + self.weight)} "
                    f"(other goals already {number(others)}); the total may not exceed 100."
                )
        if errors:
            raise ValidationError(errors)

    stored_pair: tuple[int | None, int | None] = (None, None)  # (period, department) as loaded: goals.link_totals

    @classmethod
    def from_db(cls, db, field_names, values):
        goal = super().from_db(db, field_names, values)
        goal.stored_pair = (goal.__dict__.get("period_id"), goal.__dict__.get("department_id"))
        return goal

    def save(self, *args, **kwargs) -> None:
        self.current_progress = goal_progress(
            baseline=self.baseline, target=self.target, current=self.current_value, direction=self.direction
        ) if finite(self.baseline, self.target) else None  # fmt: skip
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "current_progress"}
        super().save(*args, **kwargs)

    # What scoring reads of a goal itself, its links and levers aside (scoring.selectors.scoring_inputs,
    # mandates.selectors.mandate_facts): a save that changes none of these, nor the goal's links or their reviews,
    # moves no score, so it schedules no recompute (tests/goals/test_recompute_scope.py).
    SCORED_FIELDS = ("department_id", "period_id", "title", "weight", "status", "needs_approval")

    def scored_state(self) -> tuple:
        return tuple(getattr(self, name) for name in self.SCORED_FIELDS)

    def active_weight_of_others(self) -> Decimal:
        """Total weight of the department's other active goals in this goal's period."""
        total = (
            Goal.objects.filter(department_id=self.department_id, period_id=self.period_id, status=GoalStatus.ACTIVE)
            .exclude(pk=self.pk)
            .aggregate(total=Sum("weight"))["total"]
        )
        return total or Decimal(0)


class LinkKind(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONFLICTS = "conflicts", "Conflicts with"


class LinkReview(models.TextChoices):
    CLAIMED = "claimed", "Claimed by the department"  # awaits the CCO only while its goal is active (review_wording)
    CONFIRMED = "confirmed", "Confirmed by the CCO"
    REJECTED = "rejected", "Rejected by the CCO"


class GoalLink(ConstraintsAfterClean, models.Model):
    """A goal's claim that it supports (or conflicts with) a customer objective. A head's supporting link is a
    claim, counted at LINK_CLAIM_CREDIT, until the CCO confirms it; a rejected one counts nothing. Conflicts the
    CCO asserts cannot be removed or changed by the department."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="links")
    objective = models.ForeignKey(CustomerObjective, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=10, choices=LinkKind.choices, default=LinkKind.SUPPORTS)
    strength = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="How strongly the goal moves the objective, from 0 to 1.",
    )
    review = models.CharField(max_length=10, choices=LinkReview.choices, default=LinkReview.CLAIMED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = bounded_text(SHORT_TEXT, blank=True)
    asserted_by_cco = models.BooleanField(
        default=False, help_text="A conflict the CCO asserted: only the CCO can change or remove it."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal_id", "objective__category"]
        indexes = [
            # The claims awaiting the CCO's review, counted again after every change of the data (pages.needs,
            # mandates.selectors.AWAITING_REVIEW): a fifth of the links, read from here instead of every link.
            models.Index(
                fields=["goal"],
                include=["id"],
                condition=Q(review=LinkReview.CLAIMED, kind=LinkKind.SUPPORTS),
                name="link_claims",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "objective"],
                name="one_link_per_goal_objective",
                violation_error_message="This goal already has a link to this objective.",
            ),
            models.CheckConstraint(
                condition=Q(strength__gte=0) & Q(strength__lte=1),
                name="link_strength_0_1",
                violation_error_message="A link's strength is between 0 and 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal} {self.get_kind_display().lower()} {self.objective}"

    @property
    def review_wording(self) -> str:
        """How the link stands, for a page. A conflict the department declares is "claimed" in the data but counts in
        full without a review (scoring.measures) and never enters the CCO's queue, so it is not said to await one;
        only an active goal counts at all (scoring.selectors), so a draft's conflict counts once the goal is active.
        Nor is a claim of a goal that is not active said to await the CCO: only active goals' claims are queued
        (mandates.selectors.AWAITING_REVIEW); and a claim of a closed period (Period.closed) never will be, as its
        links take no decision any more. Reads the goal and its period: load them with the link."""
        if self.asserted_by_cco:
            return "asserted by the CCO"
        if self.review == LinkReview.CONFIRMED:
            return "✓ confirmed"
        if self.review == LinkReview.REJECTED:
            return "✕ rejected by the CCO"
        if self.kind == LinkKind.CONFLICTS:
            return f"declared by the department: {self.declared_conflict_counts}"
        if self.goal.period.closed:
            return "claimed, not reviewed before the quarter closed"
        if self.goal.status == GoalStatus.ARCHIVED:
            return "claimed; not reviewed while the goal is archived"
        if self.goal.status == GoalStatus.DRAFT:
            becomes_active = "the CCO approves the goal" if self.goal.needs_approval else "the goal is made active"
            return f"claimed: queued for the CCO once {becomes_active}"
        return "claimed, awaiting the CCO"

    @property
    def declared_conflict_counts(self) -> str:
        """How a conflict its department declared counts in the department's score: in full, but only while its goal
        is active (a draft or archived goal counts nothing, scoring.selectors). Reads the goal and its period."""
        if self.goal.status == GoalStatus.ACTIVE:
            return "counts in full"
        if self.goal.period.closed:
            was = "archived" if self.goal.status == GoalStatus.ARCHIVED else "still a draft"
            return f"counted nothing, as the goal was {was} when the quarter closed"
        if self.goal.status == GoalStatus.ARCHIVED:
            return "counts nothing while the goal is archived"
        becomes_active = "the CCO approves the goal" if self.goal.needs_approval else "the goal is active"
        return f"will count in full once {becomes_active}"

    def clean(self) -> None:
        if self.goal_id and self.objective_id:
            problem = objective_outside_period(self.objective, self.goal.period)
            if problem:
                raise ValidationError({"objective": problem})


def objective_outside_period(objective: CustomerObjective, period: Period) -> str | None:
    """Why a goal of `period` cannot link `objective`, or None. A goal serves (or works against) the strategy of its
    own quarter: a link to another quarter's objective would count for nothing (scoring.engine.restrict_links)."""
    if objective.period_id == period.pk:
        return None
    return (
        f"“{objective.title}” is an objective of {objective.period}; a goal of {period} links objectives of {period}."
    )


class CheckIn(models.Model):
    """A reading of a goal's metric; the latest one is the goal's current value."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    value = metric_field("value")
    confidence = models.CharField(max_length=10, choices=Confidence.choices, default=Confidence.ON_TRACK)
    comment = bounded_text(SHORT_TEXT, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="check_ins")
    at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=200, blank=True, help_text="The data source and metric it came from, if fed.")
    # The check-in form's one-time token (goals.services.check_in_create): the same form submitted again records
    # nothing more. Empty for readings recorded any other way (API, feeds, imports).
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)  # the version lost-update checks compare (cco.versions)

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal_id", "-at", "-pk"]
        indexes = [
            models.Index(fields=["goal", "-at"], name="checkin_goal_latest"),
            # The API's check-in list, newest first across every goal, pages through this order.
            models.Index(fields=["-at", "-id"], name="checkin_newest_first"),
        ]

    def __str__(self) -> str:
        """Named so in messages (a stale correction's): the value as typed, 35 and not the stored 35.0000."""
        return f"{self.goal}: {number(self.value, 4)} ({self.get_confidence_display()})"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        refresh_latest_readings(Goal.objects.filter(pk=self.goal_id))

    def delete(self, *args, **kwargs):
        goal_id = self.goal_id
        deleted = super().delete(*args, **kwargs)
        refresh_latest_readings(Goal.objects.filter(pk=goal_id))
        return deleted

    @staticmethod
    def reading_window(period: Period) -> tuple[datetime, datetime]:
        """When a reading of a goal in `period` may be dated: from 00:00 (the project's time zone) of the period's
        first day up to, not including, 00:00 CHECK_IN_GRACE_DAYS days after it ends. A period's `end` is the day
        after its last one (where the next period starts)."""
        last_day = period.end + timedelta(days=settings.CHECK_IN_GRACE_DAYS)  # midnight local, across a DST change too
        return period.begins_at, datetime.combine(last_day, datetime.min.time(), tzinfo=timezone.get_default_timezone())

    def clean(self) -> None:
        """A reading is taken between 2000 and now: a date far out (year 9999 or 0001) is a typing mistake, and one
        in the future would hide every real reading after it. It is also taken in its goal's period, or at most
        CHECK_IN_GRACE_DAYS after the period ends (the period's final reading): a reading of another period would
        otherwise become the goal's current value."""
        if self.at is None:
            return
        if self.at < EARLIEST_READING:
            raise ValidationError({"at": f"A check-in cannot be dated before {EARLIEST_READING:%Y}."})
        if self.at > timezone.now() + READING_CLOCK_SKEW:
            raise ValidationError({"at": "A check-in cannot be dated in the future."})
        if self.goal_id is None:
            return
        self.goal.refuse_typed_value("goal", source=self.source)
        outside = outside_reading_window(self.goal.period, self.at, "a check-in for this goal")
        if outside:
            raise ValidationError({"at": outside})


def outside_reading_window(period: Period, at: datetime, what: str) -> str | None:
    """Why a reading of `period` cannot be dated `at` (CheckIn.reading_window), or None: a goal's check-ins and a
    customer objective's values alike, so that another period's reading never becomes this period's value."""
    opens, closes = CheckIn.reading_window(period)
    if opens <= at < closes:
        return None

    def day(date) -> str:
        return f"{date.day} {date:%b %Y}"

    runs = f"{period} runs from {day(period.start)} to {day(period.last_day)}"
    if at < opens:
        return f"{runs}; {what} cannot be dated before {day(period.start)}."
    grace, last = settings.CHECK_IN_GRACE_DAYS, day(closes.date() - timedelta(days=1))
    return f"{runs}; {what} can be dated at most {grace} days after it ends, until {last}."


class CompensationLever(ConstraintsAfterClean, models.Model):
    """Part of a department manager's variable pay tied to one of the department's goals."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="levers")
    # PROTECT: pay is not erased with an account (which would change the scores with no recompute owed); the levers
    # are deleted or the account deactivated instead.
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="levers")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="levers")
    share = models.DecimalField(
        "share of variable pay (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_VARIABLE_PAY_SHARE)],
    )
    signed_off = models.BooleanField("signed off by the CCO", default=False)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["department__name", "manager__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "goal"],
                name="one_lever_per_manager_goal",
                violation_error_message="This manager already has pay tied to this goal; change that lever instead.",
            ),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=100),
                name="lever_share_0_100",
                violation_error_message="A lever's share of variable pay is more than 0%% and at most 100%%.",
            ),
        ]

    def __str__(self) -> str:
        return f"{person(self.manager)}: {percent(self.share, 2)} on {self.goal}"

    def clean(self) -> None:
        """The lever's rules, for every path (web, API, admin): the goal is the department's, active and in the
        current period, the manager heads the department, and a manager's levers in one period add up to 100% at
        most. A lever keeps the manager and goal it has even after they stop qualifying (a period ends, a head
        moves on); only a new choice is checked."""
        errors: dict[str, str] = {}
        kept_manager, kept_goal = CompensationLever.objects.filter(pk=self.pk).values_list(
            "manager_id", "goal_id"
        ).first() or (None, None)
        if self.goal_id and self.department_id and self.goal.department_id != self.department_id:
            errors["goal"] = f"The goal belongs to {self.goal.department}, not to {self.department}."
        elif self.goal_id and self.goal_id != kept_goal:
            refusal = self.goal_refusal(self.goal)
            if refusal:
                errors["goal"] = refusal
        if (
            self.manager_id
            and self.department_id
            and self.manager_id != kept_manager
            and not self.department.heads.filter(pk=self.manager_id).exists()
        ):
            errors["manager"] = f"Only a head of {self.department} can have pay tied to its goals."
        if self.manager_id and self.goal_id and finite(self.share):
            others = (
                CompensationLever.objects.filter(manager_id=self.manager_id, goal__period_id=self.goal.period_id)
                .exclude(pk=self.pk)
                .aggregate(total=Sum("share"))["total"]
            ) or Decimal(0)
            if others + self.share > MAX_VARIABLE_PAY_SHARE:
                errors["share"] = (
                    f"{person(self.manager)} would have {percent(others + self.share, 2)} of variable pay tied to "
                    f"goals in {self.goal.period} (already {percent(others, 2)}); it cannot exceed 100%."
                )
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def goal_refusal(goal: Goal) -> str:
        """Why pay cannot be newly tied to `goal`, or "": only an active goal of the current period counts now."""
        if goal.status == GoalStatus.ARCHIVED:
            return "This goal is archived; tie pay to a goal that still counts."
        if goal.status != GoalStatus.ACTIVE:
            return "This goal is a draft; tie pay to an active goal."
        if not goal.period.is_current:
            return f"This goal is in {goal.period}, not the current period; tie pay to a goal of the current period."
        return ""


def newest_reading_fed(newest: models.QuerySet) -> models.Expression:
    """Whether the first of `newest` (a goal's check-ins, newest first) came from a data source; False without one."""
    fed = ExpressionWrapper(~Q(source=""), output_field=models.BooleanField())
    return Coalesce(Subquery(newest.annotate(fed=fed).values("fed")[:1]), Value(False))


def refresh_latest_readings(goals: models.QuerySet[Goal]) -> int:
    """Copy each goal's newest check-in (by `at`, then id) onto it, in one UPDATE. Every check-in saved or deleted
    one at a time does this for its goal; a bulk load of check-ins calls it once for the goals it touched."""
    newest = CheckIn.objects.filter(goal=OuterRef("pk")).order_by("-at", "-pk")
    updated = goals.update(
        current_value=Subquery(newest.values("value")[:1]),
        current_confidence=Subquery(newest.values("confidence")[:1]),
        last_check_in_at=Subquery(newest.values("at")[:1]),
        current_reading_fed=newest_reading_fed(newest),
    )
    goals.update(current_progress=progress_expression())  # from the value just written
    data_changed()  # an UPDATE sends no signal (cco.shared_reads)
    latest_readings_refreshed.send(sender=Goal, goals=goals)
    return updated


# Sent by refresh_latest_readings, whose UPDATE sends no post_save: goals.link_totals rewrites the roll-ups' totals.
latest_readings_refreshed = Signal()


from .link_total_model import LinkTotal  # noqa: E402, F401 - registered with the app's models
from .outcome_models import ObjectiveReading  # noqa: E402, F401 - registered with the app's models
