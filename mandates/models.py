"""The CCO's empowerment checklist, the data sources the CCO can use, and the CCO's decision log."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cco.constraints import ConstraintsAfterClean
from cco.fields import LONG_TEXT, SHORT_TEXT, bounded_text


class SourceCategory(models.TextChoices):
    BEHAVIOUR = "behaviour", "Customer behaviour"
    PROFITABILITY = "profitability", "Customer profitability"
    SATISFACTION = "satisfaction", "Customer satisfaction"
    COMPETITOR = "competitor", "Competitor data"


class DataSource(models.Model):
    name = models.CharField(max_length=120, unique=True)
    category = models.CharField(max_length=20, choices=SourceCategory.choices)
    cco_has_access = models.BooleanField("the CCO has access", default=False)
    last_refreshed_at = models.DateTimeField(null=True, blank=True)
    description = bounded_text(SHORT_TEXT, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.last_refreshed_at and self.last_refreshed_at > timezone.now() + timezone.timedelta(minutes=5):
            raise ValidationError({"last_refreshed_at": "A source cannot have been refreshed in the future."})
        newest = self.newest_reading_at() if self.pk else None
        if newest is not None and self.last_refreshed_at and abs(self.last_refreshed_at - newest).total_seconds() < 60:
            self.last_refreshed_at = newest  # a form shows it to the minute: saved unchanged, it stays exact
        if newest is not None and self.last_refreshed_at != newest:
            # The checklist judges the CCO's data access by this date: with a feed, the data says it, not a person.
            raise ValidationError(
                {"last_refreshed_at": f"This source is refreshed by its feed: its newest reading is from "
                                      f"{timezone.localtime(newest):%d %b %Y %H:%M}, and that is its date."}
            )  # fmt: skip

    def newest_reading_at(self):
        return self.metrics.aggregate(newest=models.Max("readings__at"))["newest"]


class ItemKind(models.TextChoices):
    POWER = "power", "Power"
    RESPONSIBILITY = "responsibility", "Responsibility"


class ItemStatus(models.TextChoices):
    NOT_GRANTED = "not_granted", "Not granted"
    PARTIAL = "partial", "Partial"
    GRANTED = "granted", "Granted"


class MandateItem(models.Model):
    """One line of the CCO's empowerment checklist; the nine items are created by a data migration."""

    key = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    description = bounded_text(SHORT_TEXT, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.NOT_GRANTED)
    evidence = bounded_text(LONG_TEXT, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Where the data cannot tell, someone other than the CCO confirms the CCO's status (an executive or an admin):
    # until then it counts at a reduced credit, since nobody may move their own number (mandates.services).
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.status == ItemStatus.GRANTED and not (self.evidence or "").strip():
            raise ValidationError({"evidence": "Say what shows this is granted (a decision, a policy, a date)."})


class EmpowermentSnapshot(models.Model):
    """The empowerment score at one moment, with each item's effective status, for the trend."""

    score = models.DecimalField(max_digits=5, decimal_places=1)
    items = models.JSONField(default=list)
    fingerprint = models.CharField(max_length=64)
    computed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"Empowerment {self.score} at {self.computed_at:%Y-%m-%d %H:%M:%S}"


class DecisionAction(models.TextChoices):
    APPROVE = "approve", "Approved"
    SIGN_OFF = "sign_off", "Signed off"
    VETO = "veto", "Vetoed"
    CONFIRM_LINK = "confirm", "Confirmed a link"
    ADJUST_LINK = "adjust", "Adjusted a link"
    REJECT_LINK = "reject", "Rejected a link"
    ASSERT_CONFLICT = "conflict", "Asserted a conflict"


class Decision(ConstraintsAfterClean, models.Model):
    """The CCO's decision log: approvals, sign-offs and vetoes of goals and levers, and reviews of the links goals
    claim to customer objectives, with the reason given."""

    # PROTECT: the decision log is the CCO's record; deleting a department must not erase what was decided about it
    department = models.ForeignKey("departments.Department", on_delete=models.PROTECT, related_name="decisions")
    goal = models.ForeignKey("goals.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions")
    lever = models.ForeignKey(
        "goals.CompensationLever", on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    subject = models.CharField(max_length=255, help_text="What was decided on, kept even if it is deleted later.")
    action = models.CharField(max_length=10, choices=DecisionAction.choices)
    reason = bounded_text(
        SHORT_TEXT, error_messages={"blank": "Give the reason for this decision; it is kept in the decision log."}
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-pk"]
        # The charter's and the department page's latest decisions read the first few in this order.
        indexes = [models.Index(fields=["-at", "-id"], name="decision_newest_first")]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=False) | Q(lever__isnull=False) | Q(subject__gt=""),
                name="decision_has_subject",
                violation_error_message="A decision names the goal or lever it is about, or what it concerns.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.subject}"

    def clean(self) -> None:
        if not (self.reason or "").strip():
            raise ValidationError({"reason": "Give the reason for this decision; it is kept in the decision log."})


from .feed_models import FeedToken, Reading, SourceMetric  # noqa: E402, F401 - registered with the app's models
