"""The dashboard over the API: the same read model the executive dashboard page shows."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cco.api.exceptions import ErrorSerializer
from cco.api.permissions import RulePermission
from goals.selectors import period_asked

from ..dashboard import dashboard
from .serializers import DashboardSerializer


class DashboardView(APIView):
    """The dashboard's summary: scores, departments, objectives' support and what needs attention."""

    permission_classes = [IsAuthenticated, RulePermission]
    rule = "view_dashboard"

    @extend_schema(
        operation_id="dashboard",
        summary="What the dashboard shows: scores, departments, objectives' support, what needs attention.",
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.INT,
                description="A period's id: that period as it ended (nothing needs attention in the past).",
            )
        ],
        responses={200: DashboardSerializer, 404: OpenApiResponse(ErrorSerializer, description="No such period.")},
        tags=["dashboard"],
    )
    def get(self, request):
        board = dashboard(period_asked(request.GET.get("period")))
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
            "claims_awaiting_review": board.claims_awaiting_review,
        }
        return Response(DashboardSerializer(data).data)


def _summary(snapshot, change, *, with_reasons: bool = False) -> dict | None:
    if snapshot is None:
        return None
    summary = {"score": snapshot.score, "computed_at": snapshot.computed_at, "change": change}
    return {**summary, "reasons": snapshot.reasons} if with_reasons else summary
