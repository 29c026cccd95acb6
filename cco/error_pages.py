"""Django's handler500, so an API client gets an error in the API's shape (docs/api.md) whatever failed: a
database outage met before any view ran (ATOMIC_REQUESTS opens the transaction first), or a bug."""

from __future__ import annotations

from django.http import JsonResponse
from django.views import defaults


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
