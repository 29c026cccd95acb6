"""Filters for the goals API (django-filter)."""

from __future__ import annotations

from django_filters import rest_framework as filters

from cco.api.filters import IsoDateTimeFilter
from departments.models import Department

from ..models import CheckIn, CompensationLever, CustomerObjective, Goal, Period


class PeriodFilter(filters.FilterSet):
    class Meta:
        model = Period
        fields = ["is_current"]


class ObjectiveFilter(filters.FilterSet):
    title = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = CustomerObjective
        fields = ["category", "period", "active", "owner", "title"]


class GoalFilter(filters.FilterSet):
    title = filters.CharFilter(lookup_expr="icontains")
    objective = filters.ModelChoiceFilter(
        field_name="links__objective",
        queryset=CustomerObjective.objects.all(),
        help_text="Goals linked to this objective id.",
    )
    current_period = filters.BooleanFilter(field_name="period__is_current", help_text="Goals of the current period.")

    class Meta:
        model = Goal
        fields = ["department", "period", "status", "direction", "title", "objective", "current_period"]


class CheckInFilter(filters.FilterSet):
    department = filters.ModelChoiceFilter(field_name="goal__department", queryset=Department.objects.all())
    at_after = IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    at_before = IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = CheckIn
        fields = ["goal", "department", "confidence", "by", "at_after", "at_before"]


class LeverFilter(filters.FilterSet):
    period = filters.ModelChoiceFilter(field_name="goal__period", queryset=Period.objects.all())

    class Meta:
        model = CompensationLever
        fields = ["department", "manager", "goal", "signed_off", "period"]
