"""Compensation levers: adding, changing and removing the pay tied to a department's goals."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from cco.forms import show_service_errors
from cco.permissions import rule_required
from cco.versions import nothing_changed, unchanged
from departments.models import Department

from .. import services
from ..forms import LeverForm, plain_number
from ..models import CompensationLever
from . import department_page


@rule_required("add_compensationlever", Department, url_kwarg="department_id")
def lever_create(request, department: Department):
    form = LeverForm(request.POST or None, department=department)
    if request.method == "POST" and form.is_valid():
        try:
            lever = services.lever_create(actor=request.user, department=department, data=form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Lever added: {lever}.")
            return redirect(department_page(department.pk))
    context = {"department": department, "form": form, "lever": None}
    return render(request, "goals/lever_form.html", context, status=400 if form.errors else 200)


@rule_required(
    "change_compensationlever",
    CompensationLever.objects.select_related("department", "goal__period", "manager", "signed_off_by"),
)
def lever_edit(request, lever: CompensationLever):
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
            if unchanged(form.read_version, saved):
                messages.info(request, nothing_changed(saved))
            else:
                messages.success(request, f"Lever updated: {saved}.{note}")
            return redirect(department_page(lever.department_id))
    context = {"department": lever.department, "form": form, "lever": lever}
    return render(request, "goals/lever_form.html", context, status=400 if form.errors else 200)


@rule_required(
    "delete_compensationlever", CompensationLever.objects.select_related("manager", "goal"), methods=("POST",)
)
def lever_delete(request, lever: CompensationLever):
    department_id, description = lever.department_id, str(lever)
    services.lever_delete(actor=request.user, lever=lever)
    messages.success(request, f"Lever removed: {description}.")
    return redirect(department_page(department_id))
