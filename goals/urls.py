from django.urls import path

from .views import check_ins, goals, goals_csv, levers, objectives, periods

urlpatterns = [
    path("objectives/", objectives.objective_list, name="objective-list"),
    path("objectives/new/", objectives.objective_create, name="objective-create"),
    path("objectives/<int:pk>/edit/", objectives.objective_edit, name="objective-edit"),
    path("objectives/<int:pk>/value/", objectives.objective_value, name="objective-value"),
    path("objectives/<int:pk>/archive/", objectives.objective_archive, name="objective-archive"),
    path("departments/<int:department_id>/goals/copy/", goals.goals_copy, name="goals-copy"),
    path("departments/<int:department_id>/levers/new/", levers.lever_create, name="lever-create"),
    path("departments/<int:department_id>/import/", goals_csv.goals_import, name="goals-import"),
    path("goals/<int:pk>/", goals.goal_detail, name="goal-detail"),
    path("goals/<int:pk>/archive/", goals.goal_archive, name="goal-archive"),
    path("goals/<int:pk>/check-in/", check_ins.check_in_create, name="check-in-create"),
    path("check-ins/<int:pk>/edit/", check_ins.check_in_edit, name="check-in-edit"),
    path("check-ins/<int:pk>/delete/", check_ins.check_in_delete, name="check-in-delete"),
    path("levers/<int:pk>/edit/", levers.lever_edit, name="lever-edit"),
    path("levers/<int:pk>/delete/", levers.lever_delete, name="lever-delete"),
    path("export/goals.csv", goals_csv.export_goals, name="export-goals"),
    path("periods/<int:pk>/make-current/", periods.period_make_current, name="period-make-current"),
]
