"""Filters for the departments API (django-filter)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_filters import rest_framework as filters

from ..models import Department, ReportingLine


class DepartmentFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains")
    head = filters.ModelChoiceFilter(
        field_name="heads", queryset=get_user_model().objects.all(), help_text="Departments this user id heads."
    )

    class Meta:
        model = Department
        fields = ["name", "function", "customer_facing", "head"]


class ReportingLineFilter(filters.FilterSet):
    to_cco = filters.BooleanFilter(
        field_name="target", lookup_expr="isnull", help_text="Only lines to the CCO's office (true) or not (false)."
    )

    class Meta:
        model = ReportingLine
        fields = ["department", "target", "kind", "to_cco"]
