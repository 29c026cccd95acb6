from django.urls import path

from . import feed_views, views

urlpatterns = [
    path("mandate/", views.checklist, name="mandate-checklist"),
    path("mandate/items/<int:pk>/", views.mandate_item_update, name="mandate-item-update"),
    path("mandate/items/<int:pk>/confirm/", views.mandate_item_confirm, name="mandate-item-confirm"),
    path("data-sources/", views.data_source_list, name="data-source-list"),
    path("data-sources/<int:pk>/", feed_views.data_source_detail, name="data-source-detail"),
    path("data-sources/new/", views.data_source_create, name="data-source-create"),
    path("data-sources/<int:pk>/edit/", views.data_source_edit, name="data-source-edit"),
    path("data-sources/<int:pk>/delete/", views.data_source_delete, name="data-source-delete"),
    path("reviews/", views.review_list, name="review-list"),
    path("reviews/goals/<int:pk>/", views.goal_review, name="goal-review"),
    path("reviews/levers/<int:pk>/", views.lever_review, name="lever-review"),
    path("reviews/links/<int:pk>/", views.link_review, name="link-review"),
    path("reviews/goals/<int:pk>/conflict/", views.conflict_assert, name="conflict-assert"),
    path("decisions/", views.decision_list, name="decision-list"),
    path("charter/", views.charter, name="charter"),
]
