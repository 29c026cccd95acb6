"""The REST API: /api/v1/ (resources), /api/schema/ (OpenAPI 3), /api/docs/ (Swagger UI, served offline)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from cco.api.views import MeView, ObtainTokenView, TokenViewSet, not_found
from departments.api.views import ReportingLineViewSet
from goals.api.views import CheckInViewSet, GoalViewSet, LeverViewSet, ObjectiveViewSet, PeriodViewSet
from mandates.api.feeds import ReadingsView
from mandates.api.views import DataSourceViewSet, DecisionViewSet, LinkViewSet, MandateItemViewSet
from pages.api.views import DashboardView, NeedsView
from scoring.api.views import RecomputeJobViewSet, ScoredDepartmentViewSet, ScoreViewSet

router = DefaultRouter()
router.register("departments", ScoredDepartmentViewSet, basename="department")
router.register("reporting-lines", ReportingLineViewSet, basename="reporting-line")
router.register("periods", PeriodViewSet, basename="period")
router.register("objectives", ObjectiveViewSet, basename="objective")
router.register("goals", GoalViewSet, basename="goal")
router.register("links", LinkViewSet, basename="link")
router.register("check-ins", CheckInViewSet, basename="check-in")
router.register("levers", LeverViewSet, basename="lever")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("data-sources", DataSourceViewSet, basename="data-source")
router.register("mandate-items", MandateItemViewSet, basename="mandate-item")
router.register("scores", ScoreViewSet, basename="score")
router.register("recompute", RecomputeJobViewSet, basename="recompute")
router.register("tokens", TokenViewSet, basename="token")

app_name = "api"
urlpatterns = [
    path("v1/periods/<int:pk>/roll-over/", include("scoring.api.rollover")),  # by name: the contract's layers
    path("v1/data-sources/<int:pk>/readings/", ReadingsView.as_view(), name="data-source-readings"),
    path("v1/", include(router.urls)),
    path("v1/dashboard/", DashboardView.as_view(), name="dashboard"),
    path("v1/users/me/", MeView.as_view(), name="me"),
    path("v1/users/me/needs/", NeedsView.as_view(), name="me-needs"),
    path("v1/auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Anything else under /api/ (a malformed id, an unknown resource) is a 404 in the API's error shape.
    re_path(r"^[\s\S]*/$", not_found),
]
