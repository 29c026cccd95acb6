from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from .health import health_report


@login_required
def home(request):
    return render(request, "home.html")


def healthz(request):
    """200 while the database answers (the broker's state is reported, not required)."""
    report = health_report()
    return JsonResponse(report, status=200 if report["database"] == "ok" else 503)
