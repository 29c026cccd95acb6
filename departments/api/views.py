"""Departments and reporting lines over the API: admins write through departments.services; everyone reads."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from cco.api.history import HistoryMixin
from cco.api.permissions import crud_rules
from cco.api.viewsets import ServiceModelViewSet

from .. import services
from ..selectors import department_list, reporting_lines
from .filters import DepartmentFilter, ReportingLineFilter
from .serializers import DepartmentSerializer, ReportingLineCreateSerializer, ReportingLineSerializer


@extend_schema_view(
    list=extend_schema(summary="Departments."),
    retrieve=extend_schema(summary="One department."),
    create=extend_schema(summary="Add a department (admins)."),
    update=extend_schema(summary="Change a department (admins)."),
    partial_update=extend_schema(summary="Change some of a department's fields (admins)."),
    destroy=extend_schema(
        summary="Delete a department with its goals, levers and lines (admins); refused (400) while the CCO's "
        "decision log holds decisions about it."
    ),
)
class DepartmentViewSet(ServiceModelViewSet):
    """Departments: everyone with a role reads them; admins add, change and delete them."""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter
    ordering_fields = ["name", "function"]
    rules = crud_rules("department")
    delete_may_be_refused = True  # a department with decisions on record (departments.services.department_delete)

    def get_queryset(self):
        return department_list().order_by("name")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        heads = data.pop("heads", [])
        department = services.department_create(actor=self.request.user, data=data, heads=heads)
        serializer.instance = self.fresh(department)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        heads = data.pop("heads", None)
        department = services.department_update(
            actor=self.request.user, department=serializer.instance, data=data, heads=heads
        )
        serializer.instance = self.fresh(department)

    def perform_destroy(self, instance):
        services.department_delete(actor=self.request.user, department=instance)


@extend_schema_view(
    list=extend_schema(summary="Reporting lines: each department's lines to the CCO's office or another department."),
    retrieve=extend_schema(summary="One reporting line and the authority it gives the CCO."),
    create=extend_schema(summary="Add a reporting line (admins); lines that would close a cycle are refused."),
    update=extend_schema(summary="Change a reporting line (admins)."),
    partial_update=extend_schema(summary="Change some of a reporting line's fields (admins)."),
    destroy=extend_schema(summary="Delete a reporting line (admins)."),
)
class ReportingLineViewSet(HistoryMixin, ServiceModelViewSet):
    """Reporting lines to the CCO's office or another department: admins write them; lines never form a cycle."""

    filterset_class = ReportingLineFilter
    ordering_fields = ["department__name", "kind", "created_at"]
    rules = {**crud_rules("reportingline"), "history": "view_department"}

    def get_queryset(self):
        return reporting_lines().order_by("department__name", "kind", "pk")

    def get_serializer_class(self):
        return ReportingLineCreateSerializer if self.action == "create" else ReportingLineSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        department = data.pop("department")
        line = services.reporting_line_create(actor=self.request.user, department=department, data=data)
        serializer.instance = self.fresh(line)

    def perform_update(self, serializer):
        line = services.reporting_line_update(
            actor=self.request.user, line=serializer.instance, data=dict(serializer.validated_data)
        )
        serializer.instance = self.fresh(line)

    def perform_destroy(self, instance):
        services.reporting_line_delete(actor=self.request.user, line=instance)
