"""A data source's named metrics, the readings that arrive for them, and the tokens a feed pushes them with.

Registered through mandates.models, which imports this module. The source's freshness is its newest reading
(mandates.feeds keeps DataSource.last_refreshed_at in step), so the checklist judges real data, not a typed date.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from cco.constraints import ConstraintsAfterClean

METRIC_NAME = RegexValidator(
    r"^[a-z0-9][a-z0-9_.-]*$",
    "Use lower-case letters, digits, dots, dashes and underscores, e.g. “nps” or “churn_rate”.",
)


class SourceMetric(ConstraintsAfterClean, models.Model):
    data_source = models.ForeignKey("mandates.DataSource", on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=60, validators=[METRIC_NAME])
    unit = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["data_source_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["data_source", "name"],
                name="metric_name_unique_in_source",
                violation_error_message="This data source already has a metric of this name.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.data_source}: {self.name}"


class Reading(ConstraintsAfterClean, models.Model):
    """One value of a metric at a moment; (metric, at) is unique, so a batch sent twice stores nothing new."""

    metric = models.ForeignKey(SourceMetric, on_delete=models.CASCADE, related_name="readings")
    at = models.DateTimeField()
    value = models.DecimalField(max_digits=16, decimal_places=4)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["metric_id", "-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "at"],
                name="reading_unique_per_metric_and_time",
                violation_error_message="This metric already has a reading at this time.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric.name} = {self.value} at {self.at:%Y-%m-%d %H:%M}"


class FeedToken(models.Model):
    """A key that may push readings to one data source and nothing else; only its hash is kept."""

    data_source = models.ForeignKey("mandates.DataSource", on_delete=models.CASCADE, related_name="feed_tokens")
    name = models.CharField(max_length=80, help_text="Which system uses it, e.g. “Survey tool export”.")
    prefix = models.CharField(max_length=12, db_index=True)  # shown in lists, to tell keys apart
    digest = models.CharField(max_length=128, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["data_source_id", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
