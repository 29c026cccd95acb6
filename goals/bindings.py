"""What binds a goal or a customer objective to a metric of a data source, whose readings then become its check-ins.

The data source lives in the mandates app (the CCO's data); it is named here by string so that goals, the lower
layer, imports nothing from above. Readings arrive through mandates.feeds.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

# Goals whose values people type (not fed by a data source): only these are owed a check-in by their heads.
TYPED_BY_HAND = Q(data_source__isnull=True) | Q(source_metric="")


class MetricBinding(models.Model):
    """Abstract: `data_source` and `source_metric` together, or neither."""

    data_source = models.ForeignKey(
        "mandates.DataSource",
        on_delete=models.PROTECT,  # a goal or objective half-bound (a metric, no source) could not be saved again
        null=True,
        blank=True,
        related_name="+",
        help_text="Readings of the metric below on this data source become check-ins.",
    )
    source_metric = models.CharField(max_length=60, blank=True, help_text="The metric's name on the data source.")

    # Said when a typed value is refused: who may unbind it (a goal's heads may not: goals.services).
    UNBIND_HINT = "Unbind it from the metric on its edit page first."

    class Meta:
        abstract = True

    @property
    def is_fed(self) -> bool:
        return bool(self.data_source_id and self.source_metric)

    def binding_errors(self) -> dict[str, str]:
        """Field errors of the binding (clean() merges them into its own)."""
        if not self.data_source_id and not self.source_metric:
            return {}
        if not self.data_source_id:
            return {"data_source": "Choose the data source this metric comes from, or clear the metric."}
        if not self.source_metric:
            return {"source_metric": "Name the data source's metric, or clear the data source."}
        names = list(self.data_source.metrics.values_list("name", flat=True))
        if self.source_metric not in names:
            known = ", ".join(names) or "none yet"
            return {
                "source_metric": f"{self.data_source} has no metric named “{self.source_metric}” (it has: {known})."
            }
        return {}

    def refuse_typed_value(self, what: str, *, source: str = "") -> None:
        """Nobody moves their own number: a fed goal's or objective's values come from its data source, so a value
        with no `source` (typed by a person) is refused, on every path that validates it."""
        if self.is_fed and not source:
            raise ValidationError(
                {"value": f"This {what}'s values arrive from {self.data_source}: {self.source_metric}; it takes no "
                          f"value typed by hand. {self.UNBIND_HINT}"}
            )  # fmt: skip

    def clean_binding(self) -> None:
        errors = self.binding_errors()
        if errors:
            raise ValidationError(errors)
