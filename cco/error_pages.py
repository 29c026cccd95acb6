"""Django's error handlers: handler500, so an API client gets an error in the API's shape (docs/api.md) whatever
failed (a database outage met before any view ran, since ATOMIC_REQUESTS opens the transaction first, or a bug); and
handler404, so a page that can say what was not found and what there is instead does."""

from __future__ import annotations

from django.http import Http404, HttpResponseNotFound, JsonResponse
from django.template import loader
from django.views import defaults


class ExplainedNotFound(Http404):
    """A 404 whose message is written for the person who asked: what is missing and what there is instead. The 404
    page shows it; a plain Http404's message (get_object_or_404's "No Goal matches the given query.") stays off it."""


def page_not_found(request, exception):
    if isinstance(exception, ExplainedNotFound):
        # Rendered as Django's own 404 view renders it: without the request, so no page-wide reads run.
        return HttpResponseNotFound(loader.get_template("404.html").render({"explanation": str(exception)}))
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": "Something went wrong on our side and nothing was saved. Try again in a moment.",
                "code": "server_error",
                "errors": {},
            },
            status=500,
        )
    return defaults.server_error(request)
