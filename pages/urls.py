from django.urls import path

from . import floor, goal_editor, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("bench/floor", floor.bench_floor, name="bench-floor"),  # make bench's floors (pages/floor.py)
    path("bench/floor/signed-in", floor.bench_floor_signed_in, name="bench-floor-signed-in"),
    path("dashboard/status/", views.dashboard_status, name="dashboard-status"),
    path("dashboard/scores/", views.dashboard_scores, name="dashboard-scores"),
    path("dashboard/heatmap/", views.dashboard_heatmap, name="dashboard-heatmap"),
    path("dashboard/breakdowns/<int:score_id>/", views.dashboard_breakdown, name="dashboard-breakdown"),
    path("departments/", views.department_list, name="department-list"),
    path("departments/<int:pk>/", views.department_detail, name="department-detail"),
    path("departments/<int:department_id>/goals/new/", goal_editor.goal_create, name="goal-create"),
    path("goals/preview/", goal_editor.goal_preview, name="goal-preview"),
    path("goals/<int:pk>/edit/", goal_editor.goal_edit, name="goal-edit"),
    path("review/", views.quarterly_review_current, name="quarterly-review-current"),
    path("periods/<int:pk>/review/", views.quarterly_review_page, name="quarterly-review"),
]
