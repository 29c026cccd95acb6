"""Scores (read-only), departments with their newest score, and recompute jobs over the API."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cco.api.exceptions import ErrorSerializer
from cco.api.permissions import READ
from cco.api.viewsets import ServiceViewSet
from departments.api.views import DepartmentViewSet
from departments.models import Department
from goals.models import Period

from .. import jobs
from ..models import AlignmentScore, RecomputeJob
from ..selectors import departments_with_latest_score, latest_scores, score_history
from .filters import RecomputeJobFilter, ScoreFilter
from .serializers import (
    LatestScoresSerializer,
    PeriodQuerySerializer,
    RecomputeJobSerializer,
    ScoredDepartmentSerializer,
    ScoreHistoryQuerySerializer,
    ScoreSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="Departments with their newest alignment score."),
    retrieve=extend_schema(summary="One department with its newest alignment score."),
)
class ScoredDepartmentViewSet(DepartmentViewSet):
    """The departments resource as served: each department with its newest score (sortable by it)."""

    serializer_class = ScoredDepartmentSerializer
    ordering_fields = [*DepartmentViewSet.ordering_fields, "alignment_score", "score_computed_at"]

    def get_queryset(self):
        return departments_with_latest_score(super().get_queryset())


@extend_schema_view(
    list=extend_schema(summary="Every stored score computation, newest first (department null: the organisation)."),
    retrieve=extend_schema(summary="One score computation with its components and reasons."),
)
class ScoreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Alignment scores, read-only: every stored computation, the newest ones, and trends."""

    serializer_class = ScoreSerializer
    filterset_class = ScoreFilter
    ordering_fields = ["computed_at", "score"]
    rules = {**READ, "latest": "view_department", "history": "view_department"}

    def get_queryset(self):
        return AlignmentScore.objects.select_related("department").order_by("-computed_at", "-pk")

    @extend_schema(
        summary="The newest score of the organisation and of each department (of one period with ?period=).",
        parameters=[PeriodQuerySerializer],
        responses={
            200: LatestScoresSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A query parameter is not valid."),
            404: OpenApiResponse(ErrorSerializer, description="No period with this id."),
        },
    )
    @action(detail=False, filter_backends=[])
    def latest(self, request):
        """The organisation's newest score and one page of departments' (by name; ?page=, ?page_size=)."""
        query = PeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period_id = query.validated_data.get("period")
        period = get_object_or_404(Period, pk=period_id) if period_id else None
        page = self.paginate_queryset(Department.objects.order_by("name", "pk").values_list("pk", flat=True))
        newest = latest_scores(period, department_ids=page)
        rows = {row.pk: row for row in self.get_queryset().filter(pk__in=[score.pk for score in newest.values()])}
        organisation = rows.get(newest[None].pk) if None in newest else None
        departments = [rows[newest[pk].pk] for pk in page if pk in newest]
        paging = self.paginator
        return Response(
            LatestScoresSerializer(
                {
                    "count": paging.page.paginator.count,
                    "next": paging.get_next_link(),
                    "previous": paging.get_previous_link(),
                    "organisation": organisation,
                    "departments": departments,
                }
            ).data
        )

    @extend_schema(
        summary="A department's (or the organisation's) latest scores, oldest first, for a trend.",
        parameters=[ScoreHistoryQuerySerializer],
        responses={
            200: ScoreSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description="A query parameter is not valid."),
            404: OpenApiResponse(ErrorSerializer, description="No department or period with this id."),
        },
    )
    @action(detail=False, filter_backends=[], pagination_class=None)
    def history(self, request):
        query = ScoreHistoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        department_id, period_id = query.validated_data.get("department"), query.validated_data.get("period")
        department = get_object_or_404(Department, pk=department_id) if department_id else None
        period = get_object_or_404(Period, pk=period_id) if period_id else None
        rows = score_history(
            department=department,
            limit=query.validated_data["limit"],
            period=period,
            daily=query.validated_data["daily"],
        )
        for row in rows:
            row.department = department  # already known: no query per row
        return Response(ScoreSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Recompute jobs asked for through the API, newest first (the CCO, admins)."),
    retrieve=extend_schema(summary="A recompute job's state: queued, running, done or failed (the CCO, admins)."),
)
class RecomputeJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Full recomputes of every score, queued by the CCO or an admin and followed by id."""

    serializer_class = RecomputeJobSerializer
    filterset_class = RecomputeJobFilter
    ordering_fields = ["created_at"]
    rules = dict.fromkeys(("list", "retrieve", "create"), "recompute_scores")

    def get_queryset(self):
        return RecomputeJob.objects.order_by("-created_at")

    @extend_schema(
        summary="Queue a full recompute of every score (the CCO, admins); follow it at the returned job.",
        request=None,
        responses={202: RecomputeJobSerializer},
        parameters=[
            OpenApiParameter(
                "Location",
                OpenApiTypes.URI,
                OpenApiParameter.HEADER,
                required=True,
                response=["202"],
                description="Where to follow the job.",
            )
        ],
    )
    def create(self, request):
        job = jobs.recompute_job_create(actor=request.user)
        location = request.build_absolute_uri(reverse("api:recompute-detail", args=[job.pk]))
        return Response(
            RecomputeJobSerializer(job).data, status=status.HTTP_202_ACCEPTED, headers={"Location": location}
        )
