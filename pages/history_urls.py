"""The History pages of objects without a page of their own (pages.history_views)."""

from django.urls import path

from . import history_views

urlpatterns = [
    path("levers/<int:pk>/history/", history_views.lever_history, name="lever-history"),
    path("objectives/<int:pk>/history/", history_views.objective_history, name="objective-history"),
    path("org-chart/lines/<int:pk>/history/", history_views.line_history, name="line-history"),
    path("mandate/history/<int:pk>/", history_views.mandate_item_history, name="mandate-item-history"),
]
