"""Scores and recompute jobs as the API shows them (read-only)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from departments.api.serializers import DepartmentSerializer

from ..models import AlignmentScore, RecomputeJob


@extend_schema_field({"type": "object", "additionalProperties": True})
class JSONObjectField(serializers.JSONField):
    """A JSON object (documented as one, where DRF's JSONField would say "anything")."""


@extend_schema_field({"type": "object", "additionalProperties": {"type": "object", "additionalProperties": True}})
class ComponentsField(serializers.JSONField):
    """A score's components by name, each with its value and points."""


class ScoreSerializer(serializers.ModelSerializer):
    """One stored computation of a department's (or, with department null, the organisation's) score."""

    department_name = serializers.CharField(source="department.name", read_only=True, allow_null=True)
    components = ComponentsField(
        read_only=True, help_text="Each component's value (0–1) and points, as docs/alignment.md explains."
    )
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = AlignmentScore
        fields = ["id", "department", "department_name", "period", "score", "components", "reasons", "computed_at"]
        read_only_fields = fields


class LatestScoresSerializer(serializers.Serializer):
    """The organisation's newest score and one page of the departments' (paged like every list)."""

    count = serializers.IntegerField(help_text="How many departments there are in all.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    organisation = ScoreSerializer(allow_null=True)
    departments = ScoreSerializer(many=True)


class ScoreHistoryQuerySerializer(serializers.Serializer):
    department = serializers.IntegerField(
        required=False, min_value=1, help_text="A department's id; the organisation's history when left out."
    )
    limit = serializers.IntegerField(required=False, default=30, min_value=1, max_value=200)
    period = serializers.IntegerField(
        required=False, min_value=1, help_text="A period's id: only its snapshots (how a past quarter went)."
    )
    daily = serializers.BooleanField(
        required=False, default=False, help_text="One reading a day: the last snapshot of each day."
    )


class PeriodQuerySerializer(serializers.Serializer):
    period = serializers.IntegerField(
        required=False, min_value=1, help_text="A period's id: the newest scores of that period (as it ended)."
    )


class RecomputeJobSerializer(serializers.ModelSerializer):
    result = JSONObjectField(read_only=True, help_text="Counts from the computation once done.")

    class Meta:
        model = RecomputeJob
        fields = [
            "id",
            "state",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "worker",
            "attempts",
            "result",
            "error",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="Department")
class ScoredDepartmentSerializer(DepartmentSerializer):
    """A department as the API shows it: with its newest alignment score."""

    alignment_score = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        read_only=True,
        allow_null=True,
        help_text="The newest alignment score, 0–100; null before the first computation.",
    )
    score_computed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta(DepartmentSerializer.Meta):
        fields = [*DepartmentSerializer.Meta.fields, "alignment_score", "score_computed_at"]
