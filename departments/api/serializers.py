"""Departments and reporting lines as the API shows and accepts them (shape and types only)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from ..models import Department, ReportingLine


class DepartmentSerializer(serializers.ModelSerializer):
    heads = serializers.PrimaryKeyRelatedField(
        many=True, queryset=get_user_model().objects.all(), required=False, help_text="User ids of the heads."
    )
    purpose = serializers.CharField(read_only=True, help_text="What a department of this function is for.")

    class Meta:
        model = Department
        fields = [
            "id",
            "name",
            "function",
            "customer_facing",
            "description",
            "purpose",
            "heads",
            "created_at",
            "updated_at",
        ]


class ReportingLineSerializer(serializers.ModelSerializer):
    """A line's department is fixed once created (delete the line and add another to move it)."""

    target_name = serializers.CharField(read_only=True)

    class Meta:
        model = ReportingLine
        fields = [
            "id",
            "department",
            "target",
            "target_name",
            "kind",
            "sets_goals",
            "signs_off_compensation",
            "can_veto",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["department"]
        extra_kwargs = {"target": {"help_text": "Another department's id, or null for the CCO's office."}}
        validators: list = []  # the model's constraints and clean() are checked by the service


class ReportingLineCreateSerializer(ReportingLineSerializer):
    class Meta(ReportingLineSerializer.Meta):
        read_only_fields: list = []
