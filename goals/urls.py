from django.urls import path

from . import views

urlpatterns = [
    path("departments/<int:department_id>/goals/new/", views.goal_create, name="goal-create"),
    path("departments/<int:department_id>/goals/copy/", views.goals_copy, name="goals-copy"),
    path("departments/<int:department_id>/levers/new/", views.lever_create, name="lever-create"),
    path("departments/<int:department_id>/import/", views.goals_import, name="goals-import"),
    path("goals/preview/", views.goal_preview, name="goal-preview"),
    path("goals/<int:pk>/", views.goal_detail, name="goal-detail"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal-edit"),
    path("goals/<int:pk>/archive/", views.goal_archive, name="goal-archive"),
    path("goals/<int:pk>/check-in/", views.check_in_create, name="check-in-create"),
    path("levers/<int:pk>/edit/", views.lever_edit, name="lever-edit"),
    path("levers/<int:pk>/delete/", views.lever_delete, name="lever-delete"),
    path("export/goals.csv", views.export_goals, name="export-goals"),
    path("export/scores.csv", views.export_scores, name="export-scores"),
]
