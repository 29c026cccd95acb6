"""Data sources, the mandate checklist, the CCO's decisions and the dashboard as the API shows them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from goals.models import CompensationLever, CustomerObjective, Goal, GoalLink

from ..evaluation import evaluate
from ..models import DataSource, Decision, DecisionAction, ItemStatus, MandateItem, SourceMetric
from ..selectors import ChecklistRow


class SourceMetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = SourceMetric
        fields = ["name", "unit"]


class DataSourceSerializer(serializers.ModelSerializer):
    metrics = SourceMetricSerializer(many=True, read_only=True, help_text="What its feed may send readings of.")

    class Meta:
        model = DataSource
        fields = ["id", "name", "category", "cco_has_access", "last_refreshed_at", "description", "metrics"]


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
    awaits_confirmation = serializers.SerializerMethodField(
        help_text="The CCO's own status counts here (the data cannot tell) and nobody else has confirmed it yet: it "
        "counts at half until an executive or an admin does (POST …/confirm/)."
    )

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
            "confirmed_by",
            "confirmed_at",
            "awaits_confirmation",
        ]
        read_only_fields = [
            "key", "title", "kind", "description", "order", "updated_by", "updated_at", "confirmed_by", "confirmed_at",
        ]  # fmt: skip

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

    def get_awaits_confirmation(self, item: MandateItem) -> bool:
        return self._row(item).awaits_confirmation


class ReadVersionField(serializers.CharField):
    """The version of an object as the client read it: its ETag, quoted or not."""

    def to_internal_value(self, data) -> str:
        return super().to_internal_value(data).strip().strip('"')


class MandateItemConfirmSerializer(serializers.Serializer):
    """Confirm the CCO's status of a checklist item (or withdraw the confirmation), of the version read."""

    confirmed = serializers.BooleanField(default=True, help_text="false withdraws an earlier confirmation.")
    version = ReadVersionField(
        required=False, help_text="The item's ETag as read: refused (400) if the CCO changed it since."
    )


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
    version = ReadVersionField(
        required=False,
        help_text="The goal's or lever's ETag as you read it (GET /goals/<id>/ or /levers/<id>/). When sent, a goal or "
        "lever changed since is refused (400, nothing recorded), saying who changed what: a sign-off is of the pay "
        "you saw.",
    )


# --- the CCO's review of links ------------------------------------------------------------------------


class LinkSerializer(serializers.ModelSerializer):
    """A goal's link to a customer objective with the CCO's review of it (read-only: the goal's links change
    through the goal, the review through `review/` and `conflicts/`)."""

    department = serializers.IntegerField(source="goal.department_id", read_only=True)
    department_name = serializers.CharField(source="goal.department.name", read_only=True)
    goal_title = serializers.CharField(source="goal.title", read_only=True)
    objective_title = serializers.CharField(source="objective.title", read_only=True)
    changed_at = serializers.DateTimeField(
        read_only=True, help_text="When the link was last written: for a claim, when the department claimed it."
    )

    class Meta:
        model = GoalLink
        fields = [
            "id",
            "goal",
            "goal_title",
            "department",
            "department_name",
            "objective",
            "objective_title",
            "kind",
            "strength",
            "review",
            "reviewed_by",
            "reviewed_at",
            "review_reason",
            "asserted_by_cco",
            "changed_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "review": {
                "help_text": "claimed, confirmed, or rejected. A claimed supporting link counts at the claim credit "
                "until the CCO reviews it (it enters the CCO's queue while its goal is active); a claimed conflict is "
                "one the department declared: it counts in full and awaits no review."
            }
        }


STRENGTH = {"max_digits": 3, "decimal_places": 2}


class LinkReviewSerializer(serializers.Serializer):
    """The CCO's review of a link: confirm, adjust (with the strength, and confirm) or reject, with a reason."""

    action = serializers.ChoiceField(
        choices=DecisionAction.choices, help_text="`confirm`, `adjust` (send `strength`) or `reject`."
    )
    strength = serializers.DecimalField(
        **STRENGTH, required=False, allow_null=True, help_text="For `adjust`: the link's strength, from 0 to 1."
    )
    reason = serializers.CharField(help_text="Kept in the decision log.")


class ConflictAssertSerializer(serializers.Serializer):
    """A conflict the CCO asserts between a customer-facing department's goal and an objective of its period."""

    goal = serializers.PrimaryKeyRelatedField(queryset=Goal.objects.select_related("department"))
    objective = serializers.PrimaryKeyRelatedField(queryset=CustomerObjective.objects.all())
    strength = serializers.DecimalField(**STRENGTH, help_text="How strongly the goal works against it, from 0 to 1.")
    reason = serializers.CharField(help_text="Kept in the decision log.")
