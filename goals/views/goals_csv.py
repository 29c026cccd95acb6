"""Goals as CSV: a department's import (all rows valid or nothing saved) and the export, of every department or
one (which imports back as is on that department's import page)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify

from cco.downloads import csv_response
from cco.ids import plain_id
from cco.permissions import rule_required
from departments.models import Department

from .. import goal_import
from ..csv_io import read_goal_rows, write_goals
from ..forms import GoalImportForm
from ..selectors import current_period, goals_for_export, period_named
from . import department_page


@rule_required("add_goal", Department, url_kwarg="department_id")
def goals_import(request, department: Department):
    """Upload a department's goals; every row is checked and nothing is saved unless all rows are valid."""
    form = GoalImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        rows, errors = read_goal_rows(form.cleaned_data["file"], department=department)
        if not errors and not rows:
            form.add_error("file", "The file has no goal rows under its header.")
        elif not errors:
            outcome = goal_import.goals_import(actor=request.user, department=department, rows=rows)
            errors = list(outcome.errors)
            if not errors:
                counts = f"{outcome.created} created, {outcome.updated} updated, {outcome.unchanged} unchanged"
                if outcome.created or outcome.updated:
                    messages.success(request, f"Imported goals into {department}: {counts}.")
                else:
                    messages.info(
                        request, f"Nothing changed: {department}'s goals are as the file has them ({counts})."
                    )
                return redirect(department_page(department.pk))
    context = {"department": department, "form": form, "errors": errors}
    return render(request, "goals/goal_import.html", context, status=400 if errors or form.errors else 200)


@rule_required("view_dashboard")
def export_goals(request):
    """Every department's goals of the current period (or ?period=<name>); with ?department=<id>, that department's
    only, so the file imports back on its import page without rows for other departments."""
    department_id = request.GET.get("department")
    if department_id and plain_id(department_id) is None:
        return HttpResponseBadRequest(
            "Give the department by its number, e.g. ?department=12.", content_type="text/plain; charset=utf-8"
        )
    department = get_object_or_404(Department, pk=int(department_id)) if department_id else None
    period = period_named(request.GET.get("period")) or current_period()
    filename = f"goals-{period or 'none'}"
    if department:
        filename += f"-{slugify(department.name) or department.pk}"
    response = csv_response(f"{filename}.csv")
    write_goals(goals_for_export(period=period, department=department), response)
    return response
