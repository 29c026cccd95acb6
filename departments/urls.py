from django.urls import path

from . import views

urlpatterns = [
    path("departments/", views.department_list, name="department-list"),
    path("departments/<int:pk>/", views.department_detail, name="department-detail"),
    path("org-chart/", views.org_chart, name="org-chart"),
    path("org-chart/lines/new/", views.line_create, name="line-create"),
    path("org-chart/lines/<int:pk>/edit/", views.line_edit, name="line-edit"),
    path("org-chart/lines/<int:pk>/delete/", views.line_delete, name="line-delete"),
]
