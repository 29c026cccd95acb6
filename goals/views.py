"""Pages for editing goals and levers, check-ins, the what-if preview and CSV import/export.

Each view asks cco.permissions before showing or doing anything (the services ask again), reads through
goals.selectors and writes through goals.services; a service's ValidationError is shown next to its field.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cco.forms import show_service_errors
from cco.permissions import can, ensure_can
from cco.writes import assign_fields
from departments.models import Department

from . import services
from .charts import sparkline
from .csv_io import read_goal_rows, write_goals, write_scores
from .forms import (
    CheckInForm,
    CopyGoalsForm,
    GoalForm,
    GoalImportForm,
    LeverForm,
    link_formset,
    plain_number,
)
from .models import MAX_TOTAL_WEIGHT, CompensationLever, Goal, GoalStatus, Period
from .progress import goal_progress
from .selectors import current_period, goal_check_ins, goal_for_page, goals_for_export, latest_scores
from .whatif import Preview, preview_goal_change

COMPONENT_LABELS = {
    "linkage": "Goal weight supporting customer objectives",
    "shared": "Support shared with other departments",
    "compensation": "Variable pay on customer-linked goals",
    "reporting": "Line to the CCO",
    "conflict": "Conflicts with customer objectives",
}


def _department_page(department_id: int) -> str:
    return reverse("department-detail", args=[department_id])


# --- goals --------------------------------------------------------------------------------------------


@login_required
def goal_detail(request, pk: int):
    try:
        goal = goal_for_page(pk)
    except Goal.DoesNotExist as exc:
        raise Http404("No such goal.") from exc
    ensure_can(request.user, "view_department", goal.department)
    check_ins = goal_check_ins(goal)
    chart = sparkline(
        [(timezone.localtime(c.at).strftime("%d %b %Y"), c.value) for c in check_ins],
        baseline=goal.baseline,
        target=goal.target,
    )
    progress = goal_progress(
        baseline=goal.baseline, target=goal.target, current=goal.current_value, direction=goal.direction
    )
    context = {
        "goal": goal,
        "department": goal.department,
        "check_ins": list(reversed(check_ins)),
        "chart": chart,
        "progress": progress,
        "progress_pct": None if progress is None else round(progress * 100),
        "check_in_form": CheckInForm() if can(request.user, "add_checkin", goal) else None,
    }
    return render(request, "goals/goal_detail.html", context)


@login_required
def goal_create(request, department_id: int):
    department = get_object_or_404(Department, pk=department_id)
    ensure_can(request.user, "add_goal", department)
    return _goal_form_page(request, department=department, goal=None)


@login_required
def goal_edit(request, pk: int):
    goal = get_object_or_404(Goal.objects.select_related("department", "period").prefetch_related("links"), pk=pk)
    ensure_can(request.user, "change_goal", goal)
    return _goal_form_page(request, department=goal.department, goal=goal)


def _goal_form_page(request, *, department: Department, goal: Goal | None):
    """Create or edit a goal; "Preview" (or the htmx preview) shows the score impact and saves nothing."""
    link_errors: list[str] = []
    preview = None
    if request.method == "POST":
        form, links = GoalForm(request.POST, versioned=goal), link_formset(request.POST)
        form_ok, link_inputs = form.is_valid(), _valid_links(links, link_errors)
        values = dict(form.cleaned_data)
        if form_ok and link_inputs is not None and "preview" in request.POST:
            preview = _preview(department, goal, form.cleaned_data, link_inputs)
            if preview["refusal"]:
                show_service_errors(form, preview["refusal"], elsewhere=link_errors)
        elif form_ok and link_inputs is not None:
            try:
                saved = _save_goal(request.user, department, goal, form, link_inputs)
            except ValidationError as exc:
                show_service_errors(form, exc, elsewhere=link_errors)
            else:
                verb = "updated" if goal else "created"
                messages.success(request, f"Goal “{saved.title}” {verb}; the department's score is being updated.")
                return redirect(_department_page(department.pk))
    else:
        form = GoalForm(initial=GoalForm.initial_for(goal) if goal else None, versioned=goal)
        links = link_formset(goal=goal)
        if goal:
            values = {name: getattr(goal, name) for name in services.GOAL_FIELDS}
            preview = _preview(department, goal, values, list(_current_links(goal)))
        else:
            values = {"weight": Decimal(0), "status": GoalStatus.ACTIVE, "period": form["period"].initial}
    context = {
        "department": department,
        "goal": goal,
        "form": form,
        "links": links,
        "link_errors": link_errors,
        "preview": preview,
        "weights": _weight_total(department, goal, values),
    }
    refused = bool(form.errors or link_errors or (links.is_bound and not links.is_valid()))
    return render(request, "goals/goal_form.html", context, status=400 if refused else 200)


def _valid_links(links, link_errors: list[str]) -> list[services.LinkInput] | None:
    """The links to save when every link row is valid, else None (errors on the rows or in `link_errors`)."""
    if not links.is_valid():
        return None
    try:
        return links.links()
    except ValidationError as exc:
        link_errors.extend(exc.message_dict.get("links", exc.messages))
        return None


def _current_links(goal: Goal):
    for link in goal.links.all():
        yield services.LinkInput(link.objective, link.kind, link.strength)


def _save_goal(actor, department: Department, goal: Goal | None, form: GoalForm, links) -> Goal:
    if goal is None:
        return services.goal_create(actor=actor, department=department, data=form.cleaned_data, links=links)
    fresh = Goal.objects.get(pk=goal.pk)  # a refused save must not leave the page's copy half-changed
    return services.goal_update(actor=actor, goal=fresh, data=form.cleaned_data, links=links, version=form.read_version)


def _weight_total(department: Department, goal: Goal | None, values: dict) -> dict | None:
    """The department's active weight in the goal's period: the other goals, this one, and the sum."""
    period = values.get("period")
    if period is None:
        return None
    probe = Goal(pk=goal.pk if goal else None, department=department, period=period)
    others = probe.active_weight_of_others()
    counts = values.get("status") == GoalStatus.ACTIVE
    this = values.get("weight") if counts and values.get("weight") is not None else Decimal(0)
    total = others + this
    return {
        "period": period,
        "others": others,
        "this": this,
        "counts": counts,
        "total": total,
        "left": MAX_TOTAL_WEIGHT - total,
        "over": total > MAX_TOTAL_WEIGHT,
    }


def _preview(department: Department, goal: Goal | None, data: dict, links) -> dict:
    """Score now vs. with this change (same engine, nothing saved), and whether saving would be refused."""
    result: Preview = preview_goal_change(
        department=department,
        goal_id=goal.pk if goal else None,
        title=data.get("title") or "",
        weight=data.get("weight") or Decimal(0),
        status=data["status"],
        period_id=data["period"].pk,
        links=[(link.objective.pk, link.kind, link.strength) for link in links],
    )
    rows = []
    for name, label in COMPONENT_LABELS.items():
        before, after = result.before.components[name], result.after.components[name]
        rows.append(
            {
                "name": name,
                "label": label,
                "before": before["points"],
                "after": after["points"],
                "change": round(after["points"] - before["points"], 2),
            }
        )
    return {"result": result, "rows": rows, "refusal": _refusal(department, goal, data)}


def _refusal(department: Department, goal: Goal | None, data: dict) -> ValidationError | None:
    """The model's own validation of the goal as it would be saved (weight total, target side), without saving."""
    probe = Goal(pk=goal.pk if goal else None, department=department)
    probe._state.adding = goal is None  # an edit is checked as an update of itself, not as a duplicate
    assign_fields(probe, data, services.GOAL_FIELDS)
    try:
        probe.full_clean()
    except ValidationError as exc:
        return exc
    return None


@login_required
@require_POST
def goal_preview(request):
    """htmx: the what-if partial for the goal form's current values; nothing is saved."""
    department = get_object_or_404(Department, pk=_int_or_404(request.POST.get("department")))
    goal = None
    if request.POST.get("goal"):
        goal = get_object_or_404(Goal, pk=_int_or_404(request.POST["goal"]), department=department)
        ensure_can(request.user, "change_goal", goal)
    else:
        ensure_can(request.user, "add_goal", department)
    form, links = GoalForm(request.POST), link_formset(request.POST)
    link_errors: list[str] = []
    form.is_valid()
    link_inputs = _valid_links(links, link_errors)
    missing = [form[name].label for name in ("weight", "status", "period") if name in form.errors]
    preview = None
    if link_inputs is not None and not missing:
        preview = _preview(department, goal, form.cleaned_data, link_inputs)
    context = {
        "preview": preview,
        "missing": missing,
        "links_invalid": link_inputs is None,
        "link_errors": link_errors,
        "weights": _weight_total(department, goal, form.cleaned_data),
        "department": department,
    }
    return render(request, "goals/_whatif.html", context)


def _int_or_404(value) -> int:
    if value is None or not str(value).isdigit():
        raise Http404("Unknown department or goal.")
    return int(value)


@login_required
@require_POST
def goal_archive(request, pk: int):
    goal = get_object_or_404(Goal.objects.select_related("department"), pk=pk)
    ensure_can(request.user, "change_goal", goal)
    try:
        services.goal_archive(actor=request.user, goal=goal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("goal-detail", pk=goal.pk)
    messages.success(request, f"Goal “{goal.title}” archived; it no longer counts toward weights and scores.")
    return redirect(_department_page(goal.department_id))


@login_required
def goals_copy(request, department_id: int):
    department = get_object_or_404(Department, pk=department_id)
    ensure_can(request.user, "add_goal", department)
    form = CopyGoalsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        try:
            copies = services.goals_copy_to_next_period(actor=request.user, department=department, period=period)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            if copies:
                messages.success(request, f"Copied {len(copies)} goal(s) of {period} into {copies[0].period}.")
            else:
                messages.info(request, f"Nothing new to copy: every goal of {period} is already in the next period.")
            return redirect(_department_page(department.pk))
    status = 400 if form.errors else 200
    return render(request, "goals/goals_copy.html", {"department": department, "form": form}, status=status)


# --- check-ins ----------------------------------------------------------------------------------------


@login_required
def check_in_create(request, pk: int):
    goal = get_object_or_404(Goal.objects.select_related("department", "period"), pk=pk)
    ensure_can(request.user, "add_checkin", goal)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_create(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Check-in recorded for “{goal.title}”.")
            return redirect("goal-detail", pk=goal.pk)
    status = 400 if form.errors else 200
    return render(request, "goals/check_in_form.html", {"goal": goal, "form": form}, status=status)


# --- compensation levers ------------------------------------------------------------------------------


@login_required
def lever_create(request, department_id: int):
    department = get_object_or_404(Department, pk=department_id)
    ensure_can(request.user, "add_compensationlever", department)
    form = LeverForm(request.POST or None, department=department)
    if request.method == "POST" and form.is_valid():
        try:
            lever = services.lever_create(actor=request.user, department=department, data=form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Lever added: {lever}.")
            return redirect(_department_page(department.pk))
    context = {"department": department, "form": form, "lever": None}
    return render(request, "goals/lever_form.html", context, status=400 if form.errors else 200)


@login_required
def lever_edit(request, pk: int):
    lever = get_object_or_404(
        CompensationLever.objects.select_related("department", "goal__period", "manager", "signed_off_by"), pk=pk
    )
    ensure_can(request.user, "change_compensationlever", lever)
    initial = {"manager": lever.manager_id, "goal": lever.goal_id, "share": plain_number(lever.share)}
    form = LeverForm(request.POST or None, department=lever.department, lever=lever, initial=initial)
    if request.method == "POST" and form.is_valid():
        fresh = CompensationLever.objects.get(pk=lever.pk)
        try:
            saved = services.lever_update(
                actor=request.user, lever=fresh, data=form.cleaned_data, version=form.read_version
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            voided = lever.signed_off and not saved.signed_off
            note = " The CCO's sign-off was withdrawn because the lever changed." if voided else ""
            messages.success(request, f"Lever updated: {saved}.{note}")
            return redirect(_department_page(lever.department_id))
    context = {"department": lever.department, "form": form, "lever": lever}
    return render(request, "goals/lever_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def lever_delete(request, pk: int):
    lever = get_object_or_404(CompensationLever.objects.select_related("manager", "goal"), pk=pk)
    ensure_can(request.user, "delete_compensationlever", lever)
    department_id, description = lever.department_id, str(lever)
    services.lever_delete(actor=request.user, lever=lever)
    messages.success(request, f"Lever removed: {description}.")
    return redirect(_department_page(department_id))


# --- CSV ----------------------------------------------------------------------------------------------


@login_required
def goals_import(request, department_id: int):
    """Upload a department's goals; every row is checked and nothing is saved unless all rows are valid."""
    department = get_object_or_404(Department, pk=department_id)
    ensure_can(request.user, "add_goal", department)
    form = GoalImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        rows, errors = read_goal_rows(form.cleaned_data["file"], department=department)
        if not errors and not rows:
            form.add_error("file", "The file has no goal rows under its header.")
        elif not errors:
            outcome = services.goals_import(actor=request.user, department=department, rows=rows)
            errors = list(outcome.errors)
            if not errors:
                messages.success(
                    request, f"Imported {outcome.created} new and {outcome.updated} updated goal(s) into {department}."
                )
                return redirect(_department_page(department.pk))
    context = {"department": department, "form": form, "errors": errors}
    return render(request, "goals/goal_import.html", context, status=400 if errors or form.errors else 200)


def _csv_response(filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export_goals(request):
    """Every department's goals of the current period (or ?period=<name>)."""
    ensure_can(request.user, "view_dashboard")
    name = request.GET.get("period")
    if name and "\x00" in name:  # no period is named so, and PostgreSQL refuses NUL in a query
        raise Http404("No such period.")
    period = get_object_or_404(Period, name=name) if name else current_period()
    response = _csv_response(f"goals-{period or 'none'}.csv")
    write_goals(goals_for_export(period=period), response)
    return response


@login_required
def export_scores(request):
    """The latest score per department and for the organisation, with its components."""
    ensure_can(request.user, "view_dashboard")
    response = _csv_response(f"scores-{timezone.localdate():%Y-%m-%d}.csv")
    names = dict(Department.objects.values_list("pk", "name"))
    write_scores(latest_scores(), names, response)
    return response
