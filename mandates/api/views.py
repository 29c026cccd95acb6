"""Data sources, the mandate checklist, the CCO's decisions and the dashboard over the API."""

from __future__ import annotations

from functools import cache

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cco.api.concurrency import ConcurrencyMixin
from cco.api.permissions import READ, RulePermission, crud_rules
from cco.api.viewsets import ServiceModelViewSet, ServiceViewSet

from .. import services
from ..dashboard import dashboard
from ..models import MandateItem
from ..selectors import data_sources, decisions, mandate_facts
from .filters import DataSourceFilter, DecisionFilter, MandateItemFilter
from .serializers import (
    DashboardSerializer,
    DataSourceSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    MandateItemSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="Systems with customer or competitor data, and whether the CCO can use them."),
    retrieve=extend_schema(summary="One data source."),
    create=extend_schema(summary="Add a data source (admins, the CCO)."),
    update=extend_schema(summary="Change a data source (admins, the CCO)."),
    partial_update=extend_schema(summary="Change some of a data source's fields (admins, the CCO)."),
    destroy=extend_schema(summary="Delete a data source (admins, the CCO)."),
)
class DataSourceViewSet(ServiceModelViewSet):
    """Data sources the CCO can or cannot use: admins and the CCO write them."""

    serializer_class = DataSourceSerializer
    filterset_class = DataSourceFilter
    ordering_fields = ["name", "category", "last_refreshed_at"]
    rules = crud_rules("datasource")

    def get_queryset(self):
        return data_sources().order_by("category", "name", "pk")

    def perform_create(self, serializer):
        source = services.data_source_create(actor=self.request.user, data=serializer.validated_data)
        serializer.instance = self.fresh(source)

    def perform_update(self, serializer):
        source = services.data_source_update(
            actor=self.request.user, source=serializer.instance, data=serializer.validated_data
        )
        serializer.instance = self.fresh(source)

    def perform_destroy(self, instance):
        services.data_source_delete(actor=self.request.user, source=instance)


@extend_schema_view(
    list=extend_schema(summary="The CCO's empowerment checklist, each item with what the data shows."),
    retrieve=extend_schema(summary="One checklist item; its ETag is what If-Match needs to change it."),
    update=extend_schema(summary="Record an item's status and evidence (the CCO; If-Match required)."),
    partial_update=extend_schema(summary="Record an item's status or evidence (the CCO; If-Match required)."),
)
class MandateItemViewSet(
    ConcurrencyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, ServiceViewSet
):
    """The CCO's empowerment checklist: the CCO records status and evidence (If-Match on changes)."""

    serializer_class = MandateItemSerializer
    filterset_class = MandateItemFilter
    ordering_fields = ["order", "status", "updated_at"]
    rules = {**READ, "update": "change_mandateitem", "partial_update": "change_mandateitem"}

    def get_queryset(self):
        return MandateItem.objects.order_by("order", "pk")

    def get_serializer_context(self):
        # The evaluation's facts are read at most once per request, and only when a response needs them.
        return {**super().get_serializer_context(), "facts": cache(mandate_facts)}

    def perform_update(self, serializer):
        item, data = serializer.instance, serializer.validated_data
        item = services.mandate_item_update(
            actor=self.request.user,
            item=item,
            status=data.get("status", item.status),
            evidence=data.get("evidence", item.evidence),
        )
        serializer.instance = self.fresh(item)


@extend_schema_view(
    list=extend_schema(summary="The CCO's decision log: approvals, sign-offs and vetoes, newest first."),
    retrieve=extend_schema(summary="One decision."),
)
class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """The CCO's decision log: approvals and vetoes of goals, sign-offs and vetoes of levers."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    ordering_fields = ["at"]
    rules = {**READ, "create": ("review_goal", "sign_off_lever")}

    def get_queryset(self):
        return decisions().order_by("-at", "-pk")

    @extend_schema(
        summary="The CCO approves or vetoes a goal, or signs off or vetoes a lever.",
        description="Refused with 400 where the department's reporting line gives the CCO no such authority.",
        request=DecisionCreateSerializer,
        responses={201: DecisionSerializer},
    )
    def create(self, request):
        serializer = DecisionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decision = services.decision_record(
            actor=request.user, action=data["action"], reason=data["reason"], goal=data.get("goal"),
            lever=data.get("lever"),
        )  # fmt: skip
        return Response(DecisionSerializer(self.fresh(decision)).data, status=status.HTTP_201_CREATED)


class DashboardView(APIView):
    """The dashboard's summary: scores, departments, objectives' support and what needs attention."""

    permission_classes = [IsAuthenticated, RulePermission]
    rule = "view_dashboard"

    @extend_schema(
        operation_id="dashboard",
        summary="What the dashboard shows: scores, departments, objectives' support, what needs attention.",
        responses=DashboardSerializer,
        tags=["dashboard"],
    )
    def get(self, request):
        board = dashboard()
        checklist = board.checklist
        data = {
            "period": {"id": board.period.pk, "name": board.period.name} if board.period else None,
            "organisation": _summary(board.organisation, board.organisation_change, with_reasons=True),
            "empowerment": _summary(board.empowerment, board.empowerment_change),
            "departments": [
                {
                    "id": row.department.pk,
                    "name": row.department.name,
                    "customer_facing": row.department.customer_facing,
                    "reach": row.reach.status,
                    "alignment_score": row.score.score if row.score else None,
                    "score_computed_at": row.score.computed_at if row.score else None,
                    "change": row.change,
                }
                for row in board.departments
            ],
            "objectives": [
                {
                    "id": column.objective.pk,
                    "title": column.objective.title,
                    "category": column.objective.category,
                    "supporters": column.supporters,
                }
                for column in board.columns
            ],
            "mandate": {"granted": board.granted_items, "total": len(checklist)},
            "attention": [
                {"key": g.key, "title": g.title, "why": g.why, "items": [vars(item) for item in g.items]}
                for g in board.attention
            ],
            "freshness": vars(board.freshness),
        }
        return Response(DashboardSerializer(data).data)


def _summary(snapshot, change, *, with_reasons: bool = False) -> dict | None:
    if snapshot is None:
        return None
    summary = {"score": snapshot.score, "computed_at": snapshot.computed_at, "change": change}
    return {**summary, "reasons": snapshot.reasons} if with_reasons else summary
