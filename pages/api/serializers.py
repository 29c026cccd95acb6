"""The dashboard's summary as the API shows it (read-only)."""

from __future__ import annotations

from rest_framework import serializers


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
    supporters = serializers.IntegerField(
        help_text="Customer-facing departments whose goals support it, over every department."
    )


class AttentionItemSerializer(serializers.Serializer):
    text = serializers.CharField()
    url = serializers.CharField(help_text="The web page to look at (may be empty).")


class AttentionGroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    why = serializers.CharField()
    count = serializers.IntegerField(help_text="How many things need a look: the true count, not only those listed.")
    items = AttentionItemSerializer(many=True, help_text="The first few (at most five).")
    more_url = serializers.CharField(help_text="A web page listing all of them, when there is one (may be empty).")


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
    count = serializers.IntegerField(help_text="Departments in all (whose name contains ?q=, when given).")
    next = serializers.URLField(allow_null=True, help_text="The next page of departments.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page of departments.")
    period = PeriodRefSerializer(allow_null=True)
    organisation = ScoreSummarySerializer(allow_null=True)
    empowerment = ScoreSummarySerializer(allow_null=True)
    departments = DashboardDepartmentSerializer(
        many=True, help_text="One page of departments, worst score first (not scored yet first); ?page=, ?q=."
    )
    objectives = DashboardObjectiveSerializer(many=True)
    mandate = MandateSummarySerializer()
    attention = AttentionGroupSerializer(many=True)
    freshness = FreshnessSerializer()
    claims_awaiting_review = serializers.IntegerField(
        help_text="Links departments claim to customer objectives that the CCO has not reviewed yet (current period)."
    )
