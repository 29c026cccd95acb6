"""The dashboard over the API: the same read model the executive dashboard page shows."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from cco.api.exceptions import ErrorSerializer
from cco.api.permissions import RulePermission
from goals.selectors import period_asked

from ..dashboard import dashboard
from ..needs import what_needs_me
from ..ranking import search_term
from .serializers import DashboardSerializer, NeedsSerializer


class DashboardView(APIView):
    """The dashboard's summary: scores, one page of departments (worst first, like the page), objectives' support
    and what needs attention (the first few of each kind, with the true count)."""

    permission_classes = [IsAuthenticated, RulePermission]
    rule = "view_dashboard"
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        operation_id="dashboard",
        summary="What the dashboard shows: scores, departments, objectives' support, what needs attention.",
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.INT,
                description="A period's id: that period as it ended (nothing needs attention in the past).",
            ),
            OpenApiParameter("q", OpenApiTypes.STR, description="Only departments whose name contains this."),
            OpenApiParameter("page", OpenApiTypes.INT, description="Which page of departments (worst first)."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Departments per page (at most 200)."),
        ],
        responses={
            200: DashboardSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such period, or no such page of departments."),
        },
        tags=["dashboard"],
    )
    def get(self, request):
        paginator = self.pagination_class()

        def pick(rows):
            paginator.paginate_queryset(rows, request, view=self)  # a page past the end is a 404, as on every list
            return paginator.page

        board = dashboard(period_asked(request.GET.get("period")), query=search_term(request.GET.get("q")), pick=pick)
        checklist = board.checklist
        data = {
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
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
                {
                    "key": g.key,
                    "title": g.title,
                    "why": g.why,
                    "count": g.size,
                    "items": [vars(item) for item in g.items],
                    "more_url": g.more_url,
                }
                for g in board.attention
            ],
            "freshness": vars(board.freshness),
            "claims_awaiting_review": board.claims_awaiting_review,
        }
        return Response(DashboardSerializer(data).data)


class NeedsView(APIView):
    """What waits for the signed-in user, as on the dashboard's "What needs me": the CCO's reviews, a head's goals
    to check in and vetoed goals to revise (pages.needs)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="users_me_needs",
        summary="What needs you: reviews waiting for the CCO; goals to check in and to revise for a head.",
        responses=NeedsSerializer,
        tags=["users"],
    )
    def get(self, request):
        needs = what_needs_me(request.user)
        counts = needs.counts
        data = {
            "applies": needs.applies,
            "counts": {
                "claims": counts.claims,
                "drafts": counts.drafts,
                "levers": counts.levers,
                "to_check_in": counts.to_check_in,
                "vetoed": counts.vetoed,
                "departments": [
                    {"id": d.department_id, "name": d.name, "to_check_in": d.to_check_in, "vetoed": d.vetoed}
                    for d in counts.departments
                ],
            },
            "groups": [
                {
                    "key": group.key,
                    "title": group.title,
                    "why": group.why,
                    "count": group.count,
                    "items": [vars(item) for item in group.items],
                    "full_lists": [vars(link) for link in group.full_lists],
                }
                for group in needs.groups
            ],
        }
        return Response(NeedsSerializer(data).data)


def _summary(snapshot, change, *, with_reasons: bool = False) -> dict | None:
    if snapshot is None:
        return None
    summary = {"score": snapshot.score, "computed_at": snapshot.computed_at, "change": change}
    return {**summary, "reasons": snapshot.reasons} if with_reasons else summary
