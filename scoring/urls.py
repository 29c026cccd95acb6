from django.urls import path

from . import views

urlpatterns = [
    path("export/scores.csv", views.export_scores, name="export-scores"),
]
