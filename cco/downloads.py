"""File downloads served by the pages."""

from __future__ import annotations

from django.http import HttpResponse


def csv_response(filename: str) -> HttpResponse:
    """An empty CSV download named `filename`, for a writer to fill."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
