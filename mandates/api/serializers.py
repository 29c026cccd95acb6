"""Data sources, the mandate checklist, the CCO's decisions and the dashboard as the API shows them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from goals.models import CompensationLever, Goal

from ..evaluation import evaluate
from ..models import DataSource, Decision, DecisionAction, ItemStatus, MandateItem
from ..selectors import ChecklistRow


class DataSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataSource
        fields = ["id", "name", "category", "cco_has_access", "last_refreshed_at", "description"]


class MandateItemSerializer(serializers.ModelSerializer):
    """A checklist item: the CCO's own status and evidence beside what the data shows.

    The view gives the serializer the facts the checklist is evaluated from (read once per request).
    """

    evaluated_status = serializers.SerializerMethodField(
        help_text="What the data shows, where the data can tell; null where it cannot."
    )
    evaluated_reason = serializers.SerializerMethodField(help_text="Why the data shows that status.")
    effective_status = serializers.SerializerMethodField(
        help_text="The status that counts: the evaluated one where the data can tell, else the CCO's."
    )
    disagrees = serializers.SerializerMethodField(help_text="The CCO's status differs from what the data shows.")

    class Meta:
        model = MandateItem
        fields = [
            "id",
            "key",
            "title",
            "kind",
            "description",
            "order",
            "status",
            "evidence",
            "updated_by",
            "updated_at",
            "evaluated_status",
            "evaluated_reason",
            "effective_status",
            "disagrees",
        ]
        read_only_fields = ["key", "title", "kind", "description", "order", "updated_by", "updated_at"]

    def _row(self, item: MandateItem) -> ChecklistRow:
        return ChecklistRow(item, evaluate(item.key, self.context["facts"]()))

    @extend_schema_field(serializers.ChoiceField(choices=ItemStatus.choices, allow_null=True))
    def get_evaluated_status(self, item: MandateItem) -> str | None:
        evaluation = self._row(item).evaluation
        return evaluation.status if evaluation else None

    def get_evaluated_reason(self, item: MandateItem) -> str:
        evaluation = self._row(item).evaluation
        return evaluation.reason if evaluation else ""

    @extend_schema_field(serializers.ChoiceField(choices=ItemStatus.choices))
    def get_effective_status(self, item: MandateItem) -> str:
        return self._row(item).effective_status

    def get_disagrees(self, item: MandateItem) -> bool:
        return self._row(item).disagrees


class DecisionSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    by_username = serializers.CharField(source="by.username", read_only=True, allow_null=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "department",
            "department_name",
            "goal",
            "lever",
            "subject",
            "action",
            "reason",
            "by",
            "by_username",
            "at",
        ]
        read_only_fields = fields


class DecisionCreateSerializer(serializers.Serializer):
    """A decision on one goal (approve, veto) or one lever (sign_off, veto), with the reason for the log."""

    action = serializers.ChoiceField(choices=DecisionAction.choices)
    goal = serializers.PrimaryKeyRelatedField(queryset=Goal.objects.all(), required=False, allow_null=True)
    lever = serializers.PrimaryKeyRelatedField(
        queryset=CompensationLever.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField(help_text="Kept in the decision log.")

    SUBJECTS = {DecisionAction.APPROVE: ("goal",), DecisionAction.SIGN_OFF: ("lever",)}

    def validate(self, attrs):
        sent = [name for name in ("goal", "lever") if attrs.get(name) is not None]
        if len(sent) != 1:
            raise serializers.ValidationError("Name exactly one goal or one lever.")
        allowed = self.SUBJECTS.get(attrs["action"], ("goal", "lever"))
        if sent[0] not in allowed:
            raise serializers.ValidationError({"action": f"“{attrs['action']}” applies to a {allowed[0]}."})
        return attrs


# --- the dashboard ------------------------------------------------------------------------------------


class PeriodRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ScoreSummarySerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=5, decimal_places=1)
    computed_at = serializers.DateTimeField()
    change = serializers.DecimalField(
        max_digits=6, decimal_places=1, allow_null=True, help_text="Since the computation before."
    )
    reasons = serializers.ListField(child=serializers.CharField(), required=False)


class DashboardDepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    customer_facing = serializers.BooleanField()
    reach = serializers.ChoiceField(
        choices=["direct", "dotted", "none"], help_text="How the department reaches the CCO."
    )
    alignment_score = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    score_computed_at = serializers.DateTimeField(allow_null=True)
    change = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)


class DashboardObjectiveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.CharField()
    supporters = serializers.IntegerField(help_text="Customer-facing departments whose goals support it.")


class AttentionItemSerializer(serializers.Serializer):
    text = serializers.CharField()
    url = serializers.CharField(help_text="The web page to look at (may be empty).")


class AttentionGroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    why = serializers.CharField()
    items = AttentionItemSerializer(many=True)


class MandateSummarySerializer(serializers.Serializer):
    granted = serializers.IntegerField()
    total = serializers.IntegerField()


class FreshnessSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField(allow_null=True)
    pending = serializers.BooleanField(help_text="A recompute is on its way and a worker is alive to run it.")
    warning = serializers.CharField(
        allow_null=True,
        help_text="Why the scores may be out of date (the task queue is unreachable, no worker runs, changes are "
        "waiting to be scored); null when they are current.",
    )


class DashboardSerializer(serializers.Serializer):
    period = PeriodRefSerializer(allow_null=True)
    organisation = ScoreSummarySerializer(allow_null=True)
    empowerment = ScoreSummarySerializer(allow_null=True)
    departments = DashboardDepartmentSerializer(many=True)
    objectives = DashboardObjectiveSerializer(many=True)
    mandate = MandateSummarySerializer()
    attention = AttentionGroupSerializer(many=True)
    freshness = FreshnessSerializer()
