"""A goal's page, archiving, and copying a period's goals forward (check-ins: goals.views.check_ins)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from cco.charts import sparkline
from cco.forms import show_service_errors
from cco.permissions import can, rule_required
from departments.models import Department

from .. import services
from ..forms import CheckInForm, CopyGoalsForm
from ..history import goal_history
from ..models import Goal
from ..progress import goal_progress
from ..selectors import goal_check_ins, goal_for_page
from . import department_page


@rule_required("view_department", goal_for_page)
def goal_detail(request, goal: Goal):
    check_ins = goal_check_ins(goal)
    chart = sparkline(
        [(timezone.localtime(c.at).strftime("%d %b %Y"), c.value) for c in check_ins],
        baseline=goal.baseline,
        target=goal.target,
    )
    progress = goal_progress(
        baseline=goal.baseline, target=goal.target, current=goal.current_value, direction=goal.direction
    )
    # A reading is dated within its goal's period and never in the future, so before the period starts no form
    # could succeed: the page says when check-ins open instead.
    may_check_in = can(request.user, "add_checkin", goal) and not goal.is_fed
    context = {
        "goal": goal,
        "department": goal.department,
        "check_ins": list(reversed(check_ins)),
        "chart": chart,
        "progress": progress,
        "progress_pct": None if progress is None else round(progress * 100),
        "check_in_form": CheckInForm() if may_check_in and not goal.period.not_started else None,
        "check_ins_open_on": goal.period.start if may_check_in and goal.period.not_started else None,
        "history": goal_history(goal),
    }
    return render(request, "goals/goal_detail.html", context)


@rule_required("change_goal", Goal.objects.select_related("department"), methods=("POST",))
def goal_archive(request, goal: Goal):
    try:
        services.goal_archive(actor=request.user, goal=goal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("goal-detail", pk=goal.pk)
    messages.success(request, f"Goal “{goal.title}” archived; it no longer counts toward weights and scores.")
    return redirect(department_page(goal.department_id))


@rule_required("add_goal", Department, url_kwarg="department_id")
def goals_copy(request, department: Department):
    form = CopyGoalsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        try:
            copied = services.goals_copy_to_next_period(actor=request.user, department=department, period=period)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            if copied.goals:
                into = copied.goals[0].period
                left_out = copied.links_left_out
                messages.success(
                    request,
                    f"Copied {len(copied.goals)} goal(s) of {period} into {into}."
                    + (
                        f" {left_out} link(s) to objectives not carried over into {into} were left out."
                        if left_out
                        else ""
                    ),
                )
            elif not copied.held_back:
                messages.info(request, f"Nothing new to copy: every goal of {period} is already in the next period.")
            if copied.held_back:
                titles = ", ".join(f"“{title}”" for title in copied.held_back)
                messages.warning(
                    request,
                    f"Not copied yet: {titles}. The CCO asserted a conflict with an objective not carried into the "
                    "next period yet; the copy would lose it. Copy again once the CCO has rolled the strategy over.",
                )
            return redirect(department_page(department.pk))
    status = 400 if form.errors else 200
    return render(request, "goals/goals_copy.html", {"department": department, "form": form}, status=status)
