"""File downloads served by the pages."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def csv_response(filename: str) -> HttpResponse:
    """An empty CSV download named `filename`, for a writer to fill. The name may hold anything a period's or a
    department's name does (spaces, quotes, `;`, accents): the header quotes it, or encodes it as RFC 6266 says."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
