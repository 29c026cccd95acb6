from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Pages name their icon; a client asking the conventional address (an API response, a bookmark) is sent there.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
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
