from django.urls import path

from . import views

urlpatterns = [
    path("org-chart/", views.org_chart, name="org-chart"),
    path("departments/names/", views.department_names, name="department-names"),
    path("org-chart/lines/new/", views.line_create, name="line-create"),
    path("org-chart/lines/<int:pk>/edit/", views.line_edit, name="line-edit"),
    path("org-chart/lines/<int:pk>/delete/", views.line_delete, name="line-delete"),
]
