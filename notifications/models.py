"""What each person chooses to receive by email, and what was sent (so nobody gets the same reminder daily)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cco.wording import person


class NotificationPreference(models.Model):
    """One person's choices; made with the defaults the first time their profile is shown. A person without a row
    receives what the defaults say (everything their roles get): the senders never need to create one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    check_in_reminders = models.BooleanField(
        "check-in reminders",
        default=True,
        help_text="Department heads: an email listing your active goals that have gone without a check-in.",
    )
    escalations = models.BooleanField(
        "escalations",
        default=True,
        help_text="CCO: an email when a goal has gone without a check-in for twice the reminder period.",
    )
    weekly_digest = models.BooleanField(
        "weekly digest",
        default=True,
        help_text="CCO and executives: a weekly summary of scores, reviews, stale goals, decisions and data sources.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Notification choices of {person(self.user)}"


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", "Check-in reminder"
    ESCALATION = "escalation", "Escalation"
    DIGEST = "digest", "Weekly digest"


class Notice(models.Model):
    """One email sent to one person, about one goal for reminders and escalations (one row per goal listed),
    about nothing in particular for the digest. Read to decide whether someone was told recently."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=12, choices=NoticeKind.choices)
    goal = models.ForeignKey("goals.Goal", on_delete=models.CASCADE, null=True, blank=True, related_name="notices")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["kind", "user", "-sent_at"], name="notice_kind_user_latest")]

    def __str__(self) -> str:
        about = f" about {self.goal}" if self.goal_id else ""
        return f"{self.get_kind_display()} to {person(self.user)}{about} at {self.sent_at:%Y-%m-%d %H:%M}"
