"""Making a period the current one: the step after a roll-over that makes the next quarter count."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from cco.permissions import rule_required

from .. import services
from ..models import Period
from ..selectors import current_period


@rule_required("change_period", Period, methods=("GET", "POST"))
def period_make_current(request, period: Period):
    """GET asks for confirmation, saying what changes for everyone; POST makes `period` the current one."""
    if request.method == "GET":
        context = {"period": period, "current": current_period()}
        return render(request, "goals/period_make_current.html", context)
    services.period_make_current(actor=request.user, period=period)
    messages.success(
        request,
        f"{period} is now the current period: the dashboard and every page show it; scores are being recomputed.",
    )
    return redirect("dashboard")
