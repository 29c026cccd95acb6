"""Filters for the scores and recompute jobs API (django-filter)."""

from __future__ import annotations

from django_filters import rest_framework as filters

from cco.api.filters import IsoDateTimeFilter

from ..models import AlignmentScore, RecomputeJob


class ScoreFilter(filters.FilterSet):
    organisation = filters.BooleanFilter(
        field_name="department", lookup_expr="isnull", help_text="Only the organisation's scores (true) or not."
    )
    computed_after = IsoDateTimeFilter(field_name="computed_at", lookup_expr="gte")
    computed_before = IsoDateTimeFilter(field_name="computed_at", lookup_expr="lt")

    class Meta:
        model = AlignmentScore
        fields = ["department", "period", "organisation", "computed_after", "computed_before"]


class RecomputeJobFilter(filters.FilterSet):
    class Meta:
        model = RecomputeJob
        fields = ["state"]
