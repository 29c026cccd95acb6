"""Readings of a customer objective's metric: the CCO's own check-ins, or a data source's feed.

An objective's current value is its newest reading; its progress runs from its baseline to its target
(goals.outcomes). Kept apart from goals.models, which imports this module so Django registers the model.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cco.fields import SHORT_TEXT, bounded_text
from cco.wording import number


class ObjectiveReading(models.Model):
    objective = models.ForeignKey("goals.CustomerObjective", on_delete=models.CASCADE, related_name="readings")
    value = models.DecimalField("value", max_digits=16, decimal_places=4)
    at = models.DateTimeField(default=timezone.now)
    comment = bounded_text(SHORT_TEXT, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    source = models.CharField(max_length=200, blank=True, help_text="The data source and metric it came from, if fed.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["objective_id", "-at", "-pk"]
        indexes = [models.Index(fields=["objective", "-at"], name="objreading_latest")]

    def __str__(self) -> str:
        return f"{self.objective}: {number(self.value, 4)}"

    def clean(self) -> None:
        from .models import EARLIEST_READING, READING_CLOCK_SKEW, outside_reading_window

        if self.at and not (EARLIEST_READING <= self.at <= timezone.now() + READING_CLOCK_SKEW):
            raise ValidationError({"at": "A reading is dated between 2000 and now."})
        if self.objective_id:
            self.objective.refuse_typed_value("objective", source=self.source)
            outside = self.at and outside_reading_window(self.objective.period, self.at, "a value of this objective")
            if outside:
                raise ValidationError({"at": outside})
