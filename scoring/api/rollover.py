"""Rolling a quarter over through the API: GET the plan with the organisation score it will give, POST to queue it
(`api:period-roll-over`, /api/v1/periods/<id>/roll-over/), then GET the job until it is done or failed
(`api:period-roll-over-job`, /api/v1/periods/<id>/roll-over/jobs/<job id>/); every roll-over into the period, newest
first (`api:period-roll-over-jobs`, /api/v1/periods/<id>/roll-over/jobs/).

Here rather than in goals/api because the preview needs the engine (scoring.rollover); the plan and the run are
goals.rollover's, the same services the web page calls.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cco.api.exceptions import ErrorSerializer
from cco.api.permissions import RulePermission
from goals.models import Period
from goals.rollover import RollOverPlan, goal_titles, roll_over_plan

from ..models import RollOverJob
from ..rollover import roll_over_preview
from ..rollover_jobs import RollOverAlreadyOpen, roll_over_job_create, roll_over_progress


class RollOverRequestSerializer(serializers.Serializer):
    """`from` (a Python keyword, so added in get_fields) and the objectives to carry."""

    objectives = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=200,  # a strategy is a handful of objectives; also well under Django's 1000 request fields
        help_text="Ids of the source period's active objectives to carry; all of them when left out.",
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.PrimaryKeyRelatedField(
            queryset=Period.objects.all(), help_text="The period to carry over from (usually the current one)."
        )
        return fields


class RollOverCountsSerializer(serializers.Serializer):
    objectives_created = serializers.IntegerField()
    objectives_reused = serializers.IntegerField(help_text="Already in the target period (same title): not copied.")
    objectives_left_out = serializers.IntegerField()
    goals_created = serializers.IntegerField()
    goals_skipped = serializers.IntegerField(help_text="Already in the target period (same title): not copied.")
    links_remapped = serializers.IntegerField()
    links_dropped = serializers.IntegerField(help_text="Links to objectives not carried.")
    reviews_kept = serializers.IntegerField(help_text="Confirmed or rejected links that keep the CCO's review.")
    reviews_withdrawn = serializers.IntegerField(
        help_text="Confirmed or rejected links to an objective that differs in the target: they arrive as claims."
    )
    levers_created = serializers.IntegerField()
    levers_left = serializers.IntegerField(help_text="Levers whose manager no longer heads the department.")
    sign_offs_kept = serializers.IntegerField()
    sign_offs_withdrawn = serializers.IntegerField(
        help_text="Signed-off levers following a goal that loses a link or a review: they arrive unsigned."
    )


class RollOverObjectiveSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The source period's objective.")
    title = serializers.CharField()
    category = serializers.CharField()
    existing_id = serializers.IntegerField(allow_null=True, help_text="The target's objective of the same title.")
    unchanged = serializers.BooleanField(help_text="False: an existing one differs, so its links become claims.")


class RollOverDepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    goals = serializers.ListField(child=serializers.CharField(), help_text="Titles of the goals carried.")
    goals_skipped = serializers.ListField(child=serializers.CharField())
    links_remapped = serializers.IntegerField()
    links_dropped = serializers.IntegerField()
    reviews_withdrawn = serializers.IntegerField()
    levers = serializers.IntegerField()
    levers_left = serializers.IntegerField()
    sign_offs_withdrawn = serializers.IntegerField()


class RollOverPeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RollOverPlanSerializer(serializers.Serializer):
    source = RollOverPeriodSerializer()
    target = RollOverPeriodSerializer()
    objectives = RollOverObjectiveSerializer(many=True)
    objectives_left_out = serializers.ListField(child=serializers.IntegerField())
    departments = RollOverDepartmentSerializer(many=True)
    counts = RollOverCountsSerializer()
    organisation_score = serializers.FloatField(
        help_text="The organisation score the target period will have once rolled over and made current."
    )
    source_organisation_score = serializers.FloatField(help_text="What the source period scores now.")


class RollOverOutcomeSerializer(serializers.Serializer):
    source = RollOverPeriodSerializer()
    target = RollOverPeriodSerializer()
    counts = RollOverCountsSerializer()


class RollOverProgressSerializer(serializers.Serializer):
    goals_copied = serializers.IntegerField()
    goals_total = serializers.IntegerField()


class RollOverJobSerializer(serializers.ModelSerializer):
    """A queued roll-over: follow `url` until `state` is done (`result` then holds the outcome) or failed (`error`)."""

    url = serializers.SerializerMethodField(help_text="Where to follow the job.")
    source = RollOverPeriodSerializer()
    target = RollOverPeriodSerializer()
    objectives = serializers.ListField(
        source="objective_ids",
        child=serializers.IntegerField(),
        allow_null=True,
        help_text="The source's objectives carried; null: every active one.",
    )
    result = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = RollOverJob
        fields = ["id", "url", "state", "source", "target", "objectives", "requested_by", "created_at",
                  "started_at", "finished_at", "attempts", "progress", "result", "error"]  # fmt: skip
        read_only_fields = fields

    def get_url(self, job: RollOverJob) -> str:
        path = reverse("api:period-roll-over-job", args=[job.target_id, job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(RollOverProgressSerializer(allow_null=True))
    def get_progress(self, job: RollOverJob) -> dict | None:
        """While running: how many of its goals are copied so far; null otherwise, or when not known."""
        known = roll_over_progress(job.pk) if job.state == "running" else None
        return {"goals_copied": known[0], "goals_total": known[1]} if known else None

    @extend_schema_field(RollOverOutcomeSerializer(allow_null=True))
    def get_result(self, job: RollOverJob) -> dict | None:
        """Once done: what was carried, as the roll-over reports it; null before."""
        return RollOverOutcomeSerializer(job.result).data if job.state == "done" else None


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="`from` is not before this period, or an objective is not "
                         "an active one of it: nothing was queued."),
    404: OpenApiResponse(ErrorSerializer, description="No period with this id."),
}  # fmt: skip


def _period(period: Period) -> dict:
    return {"id": period.pk, "name": period.name}


def _as_api_errors(error: ValidationError) -> ValidationError:
    """The services name the period carried from `source`; the API's field is `from`."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({"from" if name == "source" else name: texts for name, texts in error.message_dict.items()})


class RollOverView(APIView):
    """The CCO (and admins) carry a period's objectives and goals into this one: preview with GET, run with POST."""

    permission_classes = [IsAuthenticated, RulePermission]
    rule = "change_period"

    def _arguments(self, data, pk: int) -> dict:
        target = get_object_or_404(Period, pk=pk)
        serializer = RollOverRequestSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        objectives = serializer.validated_data.get("objectives")
        return {
            "source": serializer.validated_data["from"],
            "target": target,
            "objective_ids": None if objectives is None else set(objectives),
        }

    @extend_schema(
        operation_id="periods_roll_over_plan",
        summary="What rolling `from` over into this period would carry, and the organisation score it would give.",
        parameters=[RollOverRequestSerializer],
        responses={200: RollOverPlanSerializer, **ERRORS},
        tags=["periods"],
    )
    def get(self, request, pk: int):
        data = {"from": request.query_params.get("from")}
        if "objectives" in request.query_params:
            data["objectives"] = request.query_params.getlist("objectives")
        arguments = self._arguments(data, pk)
        try:
            plan = roll_over_plan(**arguments)
        except ValidationError as error:
            raise _as_api_errors(error) from error
        return Response(RollOverPlanSerializer(_plan_data(plan)).data)

    @extend_schema(
        operation_id="periods_roll_over",
        summary="Queue the roll-over of `from`'s chosen objectives and every department's active goals into this "
        "period (the CCO, admins); follow the returned job. All or nothing, and running it again creates nothing.",
        request=RollOverRequestSerializer,
        responses={
            202: RollOverJobSerializer,
            **ERRORS,
            409: OpenApiResponse(
                ErrorSerializer, description="A roll-over into this period is already queued or running: its URL is "
                "in the detail and the Location header."
            ),
        },
        parameters=[
            OpenApiParameter(
                "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=["202", "409"],
                description="Where to follow the job (the one queued, or the one already open).",
            )
        ],
        tags=["periods"],
    )  # fmt: skip
    def post(self, request, pk: int):
        arguments = self._arguments(request.data, pk)
        try:
            job = roll_over_job_create(actor=request.user, **arguments)
        except RollOverAlreadyOpen as refusal:
            url = _job_url(request, refusal.job)  # nothing was written: an answer, not an exception to roll back
            body = {"detail": f"{refusal.messages[0]} It is at {url}", "code": "roll_over_open", "errors": {}}
            return Response(body, status=status.HTTP_409_CONFLICT, headers={"Location": url})
        except ValidationError as error:
            raise _as_api_errors(error) from error
        data = RollOverJobSerializer(job, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


def _job_url(request, job: RollOverJob) -> str:
    return request.build_absolute_uri(reverse("api:period-roll-over-job", args=[job.target_id, job.pk]))


class RollOverJobView(APIView):
    """A queued roll-over into this period: its state, and once done what it carried (the CCO, admins)."""

    permission_classes = [IsAuthenticated, RulePermission]
    rule = "change_period"

    @extend_schema(
        operation_id="periods_roll_over_job",
        summary="A roll-over job's state: queued, running, done (with the outcome) or failed (with the reason).",
        responses={200: RollOverJobSerializer, 404: OpenApiResponse(ErrorSerializer, description="No such job.")},
        tags=["periods"],
    )
    def get(self, request, pk: int, job_id):
        job = get_object_or_404(RollOverJob.objects.select_related("source", "target"), pk=job_id, target_id=pk)
        return Response(RollOverJobSerializer(job, context={"request": request}).data)


class RollOverJobListView(generics.ListAPIView):
    """Every roll-over asked for into this period, newest first, paged: what ran, what failed and why, who asked
    (the CCO, admins). A run by `manage.py roll_over` is not a job and is not listed."""

    permission_classes = [IsAuthenticated, RulePermission]
    rule = "change_period"
    serializer_class = RollOverJobSerializer
    filter_backends = []

    def get_queryset(self):
        target = get_object_or_404(Period, pk=self.kwargs["pk"])
        return RollOverJob.objects.filter(target=target).select_related("source", "target").order_by("-created_at")

    @extend_schema(
        operation_id="periods_roll_over_jobs",
        summary="Roll-overs into this period, newest first: queued, running, done (with the outcome) or failed.",
        responses={200: RollOverJobSerializer(many=True), 404: OpenApiResponse(ErrorSerializer, description="No "
                   "period with this id.")},
        tags=["periods"],
    )  # fmt: skip
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _plan_data(plan: RollOverPlan) -> dict:
    titles, preview = goal_titles(plan), roll_over_preview(plan)
    return {
        "source": _period(plan.source),
        "target": _period(plan.target),
        "objectives": [
            {
                "id": carry.source.pk,
                "title": carry.source.title,
                "category": carry.source.category,
                "existing_id": carry.existing.pk if carry.existing else None,
                "unchanged": carry.unchanged,
            }
            for carry in plan.objectives
        ],
        "objectives_left_out": [o.pk for o in plan.objectives_left_out],
        "departments": [
            {
                "id": d.id,
                "name": d.name,
                "goals": titles[d.id][0],
                "goals_skipped": titles[d.id][1],
                "links_remapped": d.links_remapped,
                "links_dropped": d.links_dropped,
                "reviews_withdrawn": d.reviews_withdrawn,
                "levers": d.levers,
                "levers_left": d.levers_left,
                "sign_offs_withdrawn": d.sign_offs_withdrawn,
            }
            for d in plan.departments
        ],
        "counts": plan.counts,
        "organisation_score": preview.after,
        "source_organisation_score": preview.before,
    }


# Included by name from cco.api_urls at v1/periods/<int:pk>/roll-over/ (cco may not import scoring).
urlpatterns = [
    path("", RollOverView.as_view(), name="period-roll-over"),
    path("jobs/", RollOverJobListView.as_view(), name="period-roll-over-jobs"),
    path("jobs/<uuid:job_id>/", RollOverJobView.as_view(), name="period-roll-over-job"),
]
