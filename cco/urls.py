from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("cco.api_urls")),
    path("", include("pages.urls")),
    path("", include("pages.history_urls")),
    path("", include("mandates.urls")),
    path("", include("departments.urls")),
    path("", include("goals.urls")),
    path("", include("scoring.urls")),
    path("", include("pages.rollover_urls")),
    path("", include("notifications.urls")),
]

handler500 = "cco.error_pages.server_error"
