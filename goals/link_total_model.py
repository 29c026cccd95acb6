"""What one department's active goals of one period link to one objective, totalled.

The organisation-wide figures (each objective's supporters, its conflicts, its roll-up of progress; the support a
recompute scores against) are sums over these rows, a few per department, instead of a join of every link to its
goal. goals.link_totals keeps them in step with the links and goals they total, inside the same transaction; they
are never edited. Kept apart from goals.models, which imports this module so Django registers the model.
"""

from __future__ import annotations

from django.db import models


class LinkTotal(models.Model):
    """Counted links only (stronger than 0, not rejected) of the period's active goals, as goals.selectors.
    strategy_links reads them. The roll-up's sums are split by review, and their typed part kept apart, so that the
    credits of a claimed link (LINK_CLAIM_CREDIT) and of a typed reading (TYPED_READING_CREDIT) are applied when
    they are read, never stored."""

    derived = True  # written only by goals.link_totals; cco.shared_reads does not watch it

    # Read by period: the unique constraint's index, which begins with it, serves (no index of its own).
    period = models.ForeignKey("goals.Period", on_delete=models.CASCADE, related_name="+", db_index=False)
    department = models.ForeignKey("departments.Department", on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey("goals.CustomerObjective", on_delete=models.CASCADE, related_name="+")
    supporting = models.PositiveIntegerField(default=0)  # supporting links
    confirmed_supporting = models.PositiveIntegerField(default=0)  # of which the CCO confirmed
    conflicting = models.PositiveIntegerField(default=0)
    reporting = models.PositiveIntegerField(default=0)  # supporting links whose goal has a reading
    # Over the reporting links: strength, and strength times the goal's progress; confirmed and claimed apart.
    confirmed_strength = models.FloatField(default=0)
    claimed_strength = models.FloatField(default=0)
    confirmed_progress = models.FloatField(default=0)
    claimed_progress = models.FloatField(default=0)
    # The part of each of those four whose goal's reading was typed by a person, not fed (TYPED_READING_CREDIT).
    typed_reporting = models.PositiveIntegerField(default=0)
    confirmed_typed_strength = models.FloatField(default=0)
    claimed_typed_strength = models.FloatField(default=0)
    confirmed_typed_progress = models.FloatField(default=0)
    claimed_typed_progress = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "department", "objective"],
                name="one_link_total_per_pair",
                violation_error_message="A department has one total of its links to each objective in a period.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department_id} → {self.objective_id} in {self.period_id}"
