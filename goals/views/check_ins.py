"""Check-ins: recording a goal's new value, and its recorder correcting or deleting one (the history keeps both)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from cco.forms import show_service_errors
from cco.permissions import rule_required

from .. import services
from ..forms import CheckInForm
from ..models import CheckIn, Goal

CHECK_IN_PAGE = CheckIn.objects.select_related("goal__department", "goal__period", "by")


def _when(check_in: CheckIn) -> str:
    return f"{timezone.localtime(check_in.at):%d %b %Y %H:%M}"


def _already_recorded(error: ValidationError) -> bool:
    return any(item.code == services.ALREADY_RECORDED_CODE for item in getattr(error, "error_list", ()))


@rule_required("add_checkin", Goal.objects.select_related("department", "period"))
def check_in_create(request, goal: Goal):
    """Record a reading. Before the goal's period starts no date would be accepted (CheckIn.clean), so the page says
    when check-ins open instead of offering a form; a POST still goes to the service, which says why it refuses."""
    if request.method == "GET" and goal.period.not_started:
        return render(request, "goals/check_in_form.html", {"goal": goal, "form": None, "opens_on": goal.period.start})
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_create(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as exc:
            if _already_recorded(exc):  # Back, then submit again: show where the reading already is
                messages.info(request, " ".join(exc.messages))
                return redirect("goal-detail", pk=goal.pk)
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Check-in recorded for “{goal.title}”.")
            return redirect("goal-detail", pk=goal.pk)
    status = 400 if form.errors else 200
    return render(request, "goals/check_in_form.html", {"goal": goal, "form": form}, status=status)


@rule_required("change_checkin", CHECK_IN_PAGE)
def check_in_edit(request, check_in: CheckIn):
    goal = check_in.goal
    form = CheckInForm(request.POST or None, check_in=check_in, initial=CheckInForm.initial_for(check_in))
    if request.method == "POST" and form.is_valid():
        fresh = CheckIn.objects.select_related("goal").get(pk=check_in.pk)  # the page keeps showing the stored one
        try:
            services.check_in_update(
                actor=request.user, check_in=fresh, data=form.corrections(), version=form.read_version
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Check-in corrected for “{goal.title}”; its history keeps what it said before.")
            return redirect("goal-detail", pk=goal.pk)
    context = {"goal": goal, "check_in": check_in, "form": form}
    return render(request, "goals/check_in_form.html", context, status=400 if form.errors else 200)


@rule_required("delete_checkin", CHECK_IN_PAGE, methods=("GET", "POST"))
def check_in_delete(request, check_in: CheckIn):
    """GET asks for confirmation; POST deletes."""
    goal = check_in.goal
    if request.method == "GET":
        return render(request, "goals/check_in_delete.html", {"goal": goal, "check_in": check_in})
    when = _when(check_in)
    try:
        services.check_in_delete(actor=request.user, check_in=check_in)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Check-in of {when} deleted from “{goal.title}”; its history is kept.")
    return redirect("goal-detail", pk=goal.pk)
