"""Filters for the mandates API (django-filter)."""

from __future__ import annotations

from django_filters import rest_framework as filters

from cco.api.filters import IsoDateTimeFilter
from departments.models import Department
from goals.models import GoalLink

from ..models import DataSource, Decision, MandateItem


class DataSourceFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = DataSource
        fields = ["category", "cco_has_access", "name"]


class MandateItemFilter(filters.FilterSet):
    class Meta:
        model = MandateItem
        fields = ["kind", "status"]


class DecisionFilter(filters.FilterSet):
    at_after = IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    at_before = IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = Decision
        fields = ["department", "action", "goal", "lever", "by", "at_after", "at_before"]


class LinkFilter(filters.FilterSet):
    department = filters.ModelChoiceFilter(
        field_name="goal__department", queryset=Department.objects.all(), help_text="Links of this department's goals."
    )

    class Meta:
        model = GoalLink
        fields = ["review", "kind", "goal", "department", "objective", "asserted_by_cco"]
