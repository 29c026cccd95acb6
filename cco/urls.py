from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


class FaviconRedirect(RedirectView):
    """To the icon's static address, looked up per request (with hashed names it exists only after collectstatic)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


urlpatterns = [
    path("admin/", admin.site.urls),
    # Pages name their icon; a client asking the conventional address (an API response, a bookmark) is sent there.
    path("favicon.ico", FaviconRedirect.as_view()),
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

handler404 = "cco.error_pages.page_not_found"
handler500 = "cco.error_pages.server_error"
