"""Data sources, the mandate checklist, the CCO's decisions and reviews of links over the API."""

from __future__ import annotations

from functools import cache

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cco.api.concurrency import ConcurrencyMixin
from cco.api.history import HistoryMixin
from cco.api.permissions import READ, crud_rules
from cco.api.viewsets import ServiceModelViewSet, ServiceViewSet

from .. import feeds, services
from ..models import MandateItem
from ..selectors import data_sources, decisions, links_for_review, mandate_facts
from .filters import DataSourceFilter, DecisionFilter, LinkFilter, MandateItemFilter
from .serializers import (
    ConflictAssertSerializer,
    DataSourceSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    LinkReviewSerializer,
    LinkSerializer,
    MandateItemConfirmSerializer,
    MandateItemSerializer,
    SourceMetricSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="Systems with customer or competitor data, and whether the CCO can use them."),
    retrieve=extend_schema(summary="One data source."),
    create=extend_schema(summary="Add a data source (admins, the CCO)."),
    update=extend_schema(summary="Change a data source (admins, the CCO)."),
    partial_update=extend_schema(summary="Change some of a data source's fields (admins, the CCO)."),
    destroy=extend_schema(
        summary="Delete a data source (admins, the CCO); refused (400) while it feeds goals or customer objectives."
    ),
)
class DataSourceViewSet(ServiceModelViewSet):
    """Data sources the CCO can or cannot use: admins and the CCO write them."""

    serializer_class = DataSourceSerializer
    filterset_class = DataSourceFilter
    ordering_fields = ["name", "category", "last_refreshed_at"]
    rules = {**crud_rules("datasource"), "metrics": "change_datasource"}
    delete_may_be_refused = True  # while it feeds goals or objectives (mandates.services.data_source_delete_refusal)

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

    @extend_schema(
        summary="Name a metric the data source's feed may send (admins, the CCO).",
        request=SourceMetricSerializer,
        responses={201: DataSourceSerializer},
    )
    @action(detail=True, methods=["post"], url_path="metrics")
    def metrics(self, request, pk=None):
        source = self.get_object()
        serializer = SourceMetricSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feeds.metric_add(actor=request.user, source=source, **serializer.validated_data)
        return Response(DataSourceSerializer(self.fresh(source)).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="The CCO's empowerment checklist, each item with what the data shows."),
    retrieve=extend_schema(summary="One checklist item; its ETag is what If-Match needs to change it."),
    update=extend_schema(summary="Record an item's status and evidence (the CCO; If-Match required)."),
    partial_update=extend_schema(summary="Record an item's status or evidence (the CCO; If-Match required)."),
)
class MandateItemViewSet(
    HistoryMixin,
    ConcurrencyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    ServiceViewSet,
):
    """The CCO's empowerment checklist: the CCO records status and evidence (If-Match on changes)."""

    serializer_class = MandateItemSerializer
    filterset_class = MandateItemFilter
    ordering_fields = ["order", "status", "updated_at"]
    rules = {
        **READ,
        "update": "change_mandateitem",
        "partial_update": "change_mandateitem",
        "history": "view_department",
        "confirm": "confirm_mandateitem",
    }

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

    @extend_schema(
        summary="An executive or an admin confirms the CCO's status of an item the data cannot evaluate "
        "(confirmed=false withdraws it); until then it counts at half.",
        description="Refused with 403 for the CCO (the checklist measures the CCO's own powers), and with 400 for an "
        "item evaluated from the data, an item the CCO records as not granted, or a `version` the CCO has changed "
        "since (send the ETag you read).",
        request=MandateItemConfirmSerializer,
        responses={200: MandateItemSerializer},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        item = self.get_object()
        serializer = MandateItemConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.mandate_item_confirm(actor=request.user, item=item, **serializer.validated_data)
        return Response(self.get_serializer(self.fresh(item)).data)


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
        description="Refused with 400 where the department's reporting line gives the CCO no such authority, and for "
        "a sign-off of a lever whose goal is vetoed, archived or a draft (its pay counts for nothing).",
        request=DecisionCreateSerializer,
        responses={201: DecisionSerializer},
    )
    def create(self, request):
        serializer = DecisionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decision = services.decision_record(
            actor=request.user, action=data["action"], reason=data["reason"], goal=data.get("goal"),
            lever=data.get("lever"), version=data.get("version"),
        )  # fmt: skip
        return Response(DecisionSerializer(self.fresh(decision)).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Goals' links to customer objectives, with the CCO's review of each."),
    retrieve=extend_schema(summary="One link and the CCO's review of it."),
)
class LinkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Goals' links to customer objectives: a department's supporting link is a claim until the CCO confirms,
    adjusts or rejects it; the CCO may also assert a conflict the department cannot remove. The links themselves
    change with their goal (`goals/`)."""

    serializer_class = LinkSerializer
    filterset_class = LinkFilter
    ordering_fields = ["strength", "reviewed_at", "changed_at", "goal__department__name"]
    rules = {**READ, "review": "review_link", "conflicts": "review_link"}

    def get_queryset(self):
        return links_for_review().order_by("goal__department__name", "goal__title", "objective__title", "pk")

    @extend_schema(
        summary="The CCO confirms, adjusts or rejects a link (no line authority needed); logged with the reason.",
        description="Refused with 400 for a conflict the department declares itself: it counts in full and is not a "
        "claim. A conflict the CCO asserted is reviewed like a claim (adjusting or rejecting it lifts it).",
        request=LinkReviewSerializer,
        responses={200: LinkSerializer},
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        link = self.get_object()
        serializer = LinkReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.link_review(actor=request.user, link=link, **serializer.validated_data)
        return Response(LinkSerializer(self.fresh(link)).data)

    @extend_schema(
        summary="The CCO asserts that a goal conflicts with an objective; its department cannot change or remove it.",
        description="Refused with 400 for a department that is not customer-facing, or an objective that is archived "
        "or of another period.",
        request=ConflictAssertSerializer,
        responses={201: LinkSerializer},
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def conflicts(self, request):
        serializer = ConflictAssertSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.conflict_assert(actor=request.user, **data)
        link = self.get_queryset().get(goal=data["goal"], objective=data["objective"])
        return Response(LinkSerializer(link).data, status=status.HTTP_201_CREATED)
