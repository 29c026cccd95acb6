"""Periods, objectives, goals, check-ins and levers over the API; every write goes through goals.services."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from cco.api.concurrency import ConcurrentCreateDestroyMixin
from cco.api.history import HistoryMixin
from cco.api.permissions import READ, crud_rules
from cco.api.viewsets import ServiceModelViewSet, ServiceViewSet
from departments.locks import lock_department

from .. import outcome_services, services
from ..history import goal_history
from ..links import parse_links
from ..models import CheckIn, CompensationLever, CustomerObjective, Goal, GoalLink, Period
from ..outcomes import with_current_values
from .filters import CheckInFilter, GoalFilter, LeverFilter, ObjectiveFilter, PeriodFilter
from .serializers import (
    CheckInCorrectionSerializer,
    CheckInSerializer,
    GoalCreateSerializer,
    GoalSerializer,
    LeverSerializer,
    ObjectiveReadingSerializer,
    ObjectiveSerializer,
    PeriodSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="Periods (quarters), oldest first."),
    retrieve=extend_schema(summary="One period."),
    create=extend_schema(summary="Add a period (admins, the CCO); is_current makes it the current one."),
)
class PeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ServiceViewSet):
    """Periods (quarters): admins and the CCO add them and choose the current one."""

    serializer_class = PeriodSerializer
    filterset_class = PeriodFilter
    ordering_fields = ["start", "name"]
    rules = {**READ, "create": "add_period", "make_current": "change_period"}

    def get_queryset(self):
        return Period.objects.order_by("start", "pk")

    def perform_create(self, serializer):
        period = services.period_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.fresh(period)

    @extend_schema(request=None, responses=PeriodSerializer, summary="Make this the current period (admins, the CCO).")
    @action(detail=True, methods=["post"], url_path="make-current")
    def make_current(self, request, pk=None):
        period = services.period_make_current(actor=request.user, period=self.get_object())
        return Response(PeriodSerializer(self.fresh(period)).data)


@extend_schema_view(
    list=extend_schema(summary="The CCO's customer objectives."),
    retrieve=extend_schema(summary="One customer objective."),
    create=extend_schema(summary="Add a customer objective (the CCO)."),
    update=extend_schema(summary="Change a customer objective (the CCO); active=false archives it."),
    partial_update=extend_schema(summary="Change some of an objective's fields (the CCO); active=false archives it."),
)
class ObjectiveViewSet(
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ServiceViewSet,
):
    """The CCO's customer objectives: the CCO writes them; everyone with a role reads them."""

    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilter
    ordering_fields = ["category", "title", "created_at", "updated_at"]
    rules = {
        **crud_rules("customerobjective", delete=False),
        "history": "view_department",
        "readings": "change_customerobjective",
    }

    def get_queryset(self):
        return with_current_values(CustomerObjective.objects.order_by("category", "title", "pk"))

    @extend_schema(
        summary="Record the objective's current value by hand (the CCO); a fed objective also gets its source's.",
        request=ObjectiveReadingSerializer,
        responses={201: ObjectiveReadingSerializer},
    )
    @action(detail=True, methods=["post"], url_path="readings")
    def readings(self, request, pk=None):
        objective = self.get_object()
        serializer = ObjectiveReadingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reading = outcome_services.objective_reading_record(
            actor=request.user, objective=objective, **serializer.validated_data
        )
        return Response(ObjectiveReadingSerializer(reading).data, status=201)

    def perform_create(self, serializer):
        objective = services.objective_create(actor=self.request.user, data=serializer.validated_data)
        serializer.instance = self.fresh(objective)

    def perform_update(self, serializer):
        objective = services.objective_update(
            actor=self.request.user, objective=serializer.instance, data=serializer.validated_data
        )
        serializer.instance = self.fresh(objective)


@extend_schema_view(
    list=extend_schema(summary="Departments' goals with their links, current value and progress."),
    retrieve=extend_schema(summary="One goal; its ETag is what If-Match needs to change it."),
    create=extend_schema(summary="Add a goal to a department (its heads, the CCO, admins)."),
    update=extend_schema(summary="Change a goal (If-Match required); links, when sent, replace the goal's links."),
    partial_update=extend_schema(summary="Change some of a goal's fields (If-Match required)."),
    destroy=extend_schema(
        summary="Delete a goal (If-Match required); refused (400) while it holds check-ins, the CCO's reviews or "
        "decisions, or a signed-off lever: archive it instead."
    ),
)
class GoalViewSet(HistoryMixin, ConcurrentCreateDestroyMixin, ServiceModelViewSet):
    """Departments' goals: their heads, the CCO and admins write them (If-Match on changes); everyone with
    a role reads them.
    """

    filterset_class = GoalFilter
    ordering_fields = ["title", "weight", "status", "created_at", "updated_at", "department__name"]
    rules = {**crud_rules("goal"), "history": "view_department"}
    delete_may_be_refused = True  # a goal holding others' records (goals.services.goal_delete_refusal)

    def get_queryset(self):
        goals = Goal.objects.select_related("department").prefetch_related(
            Prefetch("links", queryset=GoalLink.objects.select_related("objective"))
        )
        return goals.order_by("department__name", "-weight", "title", "pk")

    def get_serializer_class(self):
        return GoalCreateSerializer if self.action == "create" else GoalSerializer

    def history_of(self, obj):
        return goal_history(obj)  # with its links' changes, as the goal's page shows it

    def lock_for_write(self, instance):
        lock_department(instance.department_id)  # in goal_update's order
        return super().lock_for_write(instance)

    @staticmethod
    def _links(rows):
        return None if rows is None else parse_links(rows)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        department, links = data.pop("department"), self._links(data.pop("links", None))
        goal = services.goal_create(actor=self.request.user, department=department, data=data, links=links)
        serializer.instance = self.fresh(goal)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        links = self._links(data.pop("links", None))
        goal = services.goal_update(actor=self.request.user, goal=serializer.instance, data=data, links=links)
        serializer.instance = self.fresh(goal)

    def perform_destroy(self, instance):
        services.goal_delete(actor=self.request.user, goal=instance)


@extend_schema_view(
    list=extend_schema(summary="Check-ins: readings of goals' metrics, newest first."),
    retrieve=extend_schema(summary="One check-in; its ETag is what If-Match needs to correct or delete it."),
    create=extend_schema(summary="Record a goal's new value (the heads of its department)."),
    update=extend_schema(
        summary="Correct a check-in (If-Match required; the head who recorded it); its goal never changes."
    ),
    partial_update=extend_schema(summary="Correct some of a check-in's fields (If-Match required)."),
    destroy=extend_schema(summary="Delete a check-in (If-Match required; the head who recorded it)."),
)
class CheckInViewSet(ConcurrentCreateDestroyMixin, ServiceModelViewSet):
    """Check-ins: the heads of a goal's department record its new values, and the head who recorded one corrects
    or deletes it (If-Match; the history keeps the earlier versions); everyone with a role reads them.
    """

    filterset_class = CheckInFilter
    ordering_fields = ["at", "value"]
    rules = crud_rules("checkin")

    def get_queryset(self):
        return CheckIn.objects.select_related("goal").order_by("-at", "-pk")

    def get_serializer_class(self):
        return CheckInCorrectionSerializer if self.action in {"update", "partial_update"} else CheckInSerializer

    def perform_create(self, serializer):
        check_in = services.check_in_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.fresh(check_in)

    def perform_update(self, serializer):
        check_in = services.check_in_update(
            actor=self.request.user, check_in=serializer.instance, data=serializer.validated_data
        )
        serializer.instance = self.fresh(check_in)

    def perform_destroy(self, instance):
        services.check_in_delete(actor=self.request.user, check_in=instance)


@extend_schema_view(
    list=extend_schema(summary="Compensation levers: managers' variable pay tied to goals."),
    retrieve=extend_schema(summary="One lever; its ETag is what If-Match needs to change it."),
    create=extend_schema(
        summary="Tie part of a manager's variable pay to a goal (its department's heads, CCO, admins)."
    ),
    update=extend_schema(
        summary="Change a lever (If-Match required); a new share, goal or manager voids the sign-off."
    ),
    partial_update=extend_schema(summary="Change some of a lever's fields (If-Match required)."),
    destroy=extend_schema(summary="Delete a lever (If-Match required)."),
)
class LeverViewSet(HistoryMixin, ConcurrentCreateDestroyMixin, ServiceModelViewSet):
    """Compensation levers: their department's heads, the CCO and admins write them (If-Match on changes)."""

    serializer_class = LeverSerializer
    filterset_class = LeverFilter
    ordering_fields = ["share", "created_at", "updated_at", "department__name"]
    rules = {**crud_rules("compensationlever"), "history": "view_department"}

    def get_queryset(self):
        return CompensationLever.objects.order_by("department__name", "manager__username", "pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        lever = services.lever_create(actor=self.request.user, department=data["goal"].department, data=data)
        serializer.instance = self.fresh(lever)

    def perform_update(self, serializer):
        lever = services.lever_update(
            actor=self.request.user, lever=serializer.instance, data=serializer.validated_data
        )
        serializer.instance = self.fresh(lever)

    def perform_destroy(self, instance):
        services.lever_delete(actor=self.request.user, lever=instance)
