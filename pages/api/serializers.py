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


class NeedLinkSerializer(serializers.Serializer):
    text = serializers.CharField()
    url = serializers.CharField(help_text="The web page where the signed-in user acts on it, or where all are listed.")


class NeedGroupSerializer(serializers.Serializer):
    key = serializers.ChoiceField(
        choices=["claims", "drafts", "levers", "elsewhere", "check-ins", "vetoed"],
        help_text="`elsewhere`: for the CCO, the quarters other than the current one still open with decisions "
        "waiting (the last one during its grace days, the next one set up ahead), one item per quarter.",
    )
    title = serializers.CharField()
    why = serializers.CharField()
    count = serializers.IntegerField(help_text="How many in all, not only those listed (`elsewhere`: quarters).")
    items = NeedLinkSerializer(many=True, help_text="The first few (at most five).")
    full_lists = NeedLinkSerializer(many=True, help_text="Web pages listing all of them.")


class NeedDepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    to_check_in = serializers.IntegerField()
    vetoed = serializers.IntegerField()


class NeedCountsSerializer(serializers.Serializer):
    """The CCO's counts leave out what measures them: a department they head and levers paying them."""

    claims = serializers.IntegerField(help_text="Links departments claim, awaiting the CCO's review (the CCO only).")
    drafts = serializers.IntegerField(help_text="Draft goals waiting for the CCO's approval (the CCO only).")
    levers = serializers.IntegerField(help_text="Compensation levers not signed off (the CCO only).")
    to_check_in = serializers.IntegerField(
        help_text="Active goals of the departments you head with no check-in, or only a stale one."
    )
    vetoed = serializers.IntegerField(help_text="Goals of the departments you head that the CCO vetoed, to revise.")
    departments = NeedDepartmentSerializer(
        many=True, help_text="The departments you head that have something to do, by name."
    )


class NeedsSerializer(serializers.Serializer):
    applies = serializers.BooleanField(
        help_text="Whether anything can be personal to you: false for executives and admins, who review, not act."
    )
    counts = NeedCountsSerializer()
    groups = NeedGroupSerializer(many=True, help_text="Only the groups with something in them.")
