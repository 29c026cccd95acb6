"""Periods, objectives, goals, check-ins and levers as the API shows and accepts them.

Serializers check shape and types only; every rule (weights, targets, who may write) is the services'.
"""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    MAX_LINKS_PER_GOAL,
    CheckIn,
    CompensationLever,
    Confidence,
    CustomerObjective,
    Goal,
    LinkKind,
    LinkReview,
    ObjectiveReading,
    Period,
)
from ..outcomes import progress_of
from ..progress import goal_progress
from ..services import GOAL_FIELDS, OBJECTIVE_FIELDS


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "name", "start", "end", "is_current"]
        extra_kwargs = {"is_current": {"help_text": "Make it the current period at once (scores move to it)."}}
        validators: list = []


class ObjectiveSerializer(serializers.ModelSerializer):
    current_value = serializers.DecimalField(
        max_digits=16, decimal_places=4, read_only=True, allow_null=True, help_text="Its newest reading's value."
    )
    last_reading_at = serializers.DateTimeField(read_only=True, allow_null=True)
    progress = serializers.SerializerMethodField(help_text="Share of the way from baseline to target, 0–1; null.")

    class Meta:
        model = CustomerObjective
        fields = ["id", *OBJECTIVE_FIELDS, "current_value", "last_reading_at", "progress", "created_at", "updated_at"]
        extra_kwargs = {"owner": {"help_text": "User id; the CCO who creates it when left out."}}
        validators: list = []

    def get_progress(self, objective) -> float | None:
        current = getattr(objective, "current_value", None)
        return progress_of(objective.baseline, objective.target, current)


class ObjectiveReadingSerializer(serializers.ModelSerializer):
    """A value of an objective's metric the CCO records by hand (a fed objective gets its own from its source)."""

    class Meta:
        model = ObjectiveReading
        fields = ["id", "value", "at", "comment", "by", "source", "created_at"]
        read_only_fields = ["by", "source", "created_at"]
        extra_kwargs = {"at": {"required": False}}


class GoalLinkSerializer(serializers.Serializer):
    objective = serializers.PrimaryKeyRelatedField(queryset=CustomerObjective.objects.all())
    objective_title = serializers.CharField(source="objective.title", read_only=True)
    kind = serializers.ChoiceField(choices=LinkKind.choices, default=LinkKind.SUPPORTS)
    strength = serializers.DecimalField(
        max_digits=3, decimal_places=2, min_value=Decimal(0), max_value=Decimal(1), default=Decimal(1)
    )
    review = serializers.ChoiceField(
        choices=LinkReview.choices,
        read_only=True,
        help_text="claimed, confirmed, or rejected. A claimed supporting link counts at the claim credit until the CCO "
        "reviews it (it enters the CCO's queue while its goal is active); a claimed conflict is one the department "
        "declared: it counts in full and awaits no review.",
    )
    asserted_by_cco = serializers.BooleanField(
        read_only=True, help_text="A conflict the CCO asserted: the department cannot change or remove it."
    )


class GoalSerializer(serializers.ModelSerializer):
    """A goal; its department is set when it is created and never changes."""

    department_name = serializers.CharField(source="department.name", read_only=True)
    links = GoalLinkSerializer(
        many=True,
        required=False,
        max_length=MAX_LINKS_PER_GOAL,
        help_text=f"Links to customer objectives (at most {MAX_LINKS_PER_GOAL}). When sent, they replace all the "
        "goal's links; when left out, the links stay as they are.",
    )
    current_value = serializers.DecimalField(max_digits=16, decimal_places=4, read_only=True, allow_null=True)
    current_confidence = serializers.ChoiceField(choices=Confidence.choices, read_only=True, allow_null=True)
    last_check_in_at = serializers.DateTimeField(read_only=True, allow_null=True)
    progress = serializers.SerializerMethodField(help_text="Share of the way from baseline to target, 0–1.")

    class Meta:
        model = Goal
        fields = [
            "id",
            "department",
            "department_name",
            *GOAL_FIELDS,
            "links",
            "current_value",
            "current_confidence",
            "last_check_in_at",
            "progress",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["department"]
        validators: list = []

    @extend_schema_field({"type": "number", "format": "double", "nullable": True, "minimum": 0, "maximum": 1})
    def get_progress(self, goal: Goal) -> float | None:
        return goal_progress(
            baseline=goal.baseline,
            target=goal.target,
            current=getattr(goal, "current_value", None),
            direction=goal.direction,
        )


class GoalCreateSerializer(GoalSerializer):
    class Meta(GoalSerializer.Meta):
        read_only_fields: list = []


class CheckInSerializer(serializers.ModelSerializer):
    department = serializers.IntegerField(source="goal.department_id", read_only=True)
    at = serializers.DateTimeField(
        required=False,
        help_text="When the value was read: in the goal's period or up to CHECK_IN_GRACE_DAYS (default 14) days "
        "after it ends, never in the future; now when left out.",
    )

    class Meta:
        model = CheckIn
        fields = ["id", "goal", "department", "value", "confidence", "comment", "by", "at"]
        read_only_fields = ["by"]
        extra_kwargs = {"confidence": {"default": Confidence.ON_TRACK}, "comment": {"default": ""}}


class CheckInCorrectionSerializer(CheckInSerializer):
    """A correction by the head who recorded the check-in: it stays on its goal; fields left out stay as they are."""

    at = serializers.DateTimeField(
        required=False, help_text="When the value was read, under the same rules as a new check-in."
    )

    class Meta(CheckInSerializer.Meta):
        read_only_fields = ["by", "goal"]
        extra_kwargs: dict = {}


class LeverSerializer(serializers.ModelSerializer):
    """A compensation lever; its department is its goal's. Changing share, goal or manager voids the sign-off."""

    class Meta:
        model = CompensationLever
        fields = [
            "id",
            "department",
            "manager",
            "goal",
            "share",
            "signed_off",
            "signed_off_at",
            "signed_off_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["department", "signed_off", "signed_off_at", "signed_off_by"]
        validators: list = []
