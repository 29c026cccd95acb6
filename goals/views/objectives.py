"""The CCO's customer objectives: the strategy every department's goals are scored against."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from cco.fields import SHORT_TEXT
from cco.forms import submit
from cco.permissions import rule_required

from .. import outcome_services, services
from ..forms import ObjectiveForm
from ..models import CustomerObjective
from ..outcomes import progress_of, with_current_values
from ..selectors import current_period, next_period, objectives_with_support


@rule_required("view_dashboard")
def objective_list(request):
    objectives = list(with_current_values(objectives_with_support()))
    for objective in objectives:
        objective.progress = progress_of(objective.baseline, objective.target, objective.current_value)
    period = current_period()
    context = {"objectives": objectives, "period": period, "next_period": next_period(period) if period else None}
    return render(request, "goals/objectives.html", context)


class ObjectiveValueForm(forms.Form):
    value = forms.DecimalField(max_digits=16, decimal_places=4)
    at = forms.DateTimeField(
        label="Measured at", required=False, help_text="Leave empty for now.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )  # fmt: skip
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=SHORT_TEXT)


@rule_required("change_customerobjective", CustomerObjective)
def objective_value(request, objective: CustomerObjective):
    """The CCO records an objective's current value by hand (a fed objective refuses: its source gives them)."""
    form = ObjectiveValueForm(request.POST or None)
    response = submit(
        request, form,
        lambda data: outcome_services.objective_reading_record(actor=request.user, objective=objective, **data),
        success=f"Value of “{objective}” recorded.", redirect_to="objective-list",
    )  # fmt: skip
    return response or render(request, "goals/objective_value_form.html", {"form": form, "objective": objective})


@rule_required("add_customerobjective")
def objective_create(request):
    form = ObjectiveForm(request.POST or None, initial={"period": current_period(), "active": True})
    response = submit(
        request, form, lambda data: services.objective_create(actor=request.user, data=data),
        success=lambda objective: f"Objective “{objective}” created; scores are being recomputed.",
        redirect_to="objective-list",
    )  # fmt: skip
    return response or render(request, "goals/objective_form.html", {"form": form, "objective": None})


@rule_required("change_customerobjective", CustomerObjective)
def objective_edit(request, objective: CustomerObjective):
    form = ObjectiveForm(request.POST or None, initial=ObjectiveForm.initial_from(objective))
    response = submit(
        request, form, lambda data: services.objective_update(actor=request.user, objective=objective, data=data),
        success=f"Objective “{objective}” saved.", redirect_to="objective-list",
    )  # fmt: skip
    return response or render(request, "goals/objective_form.html", {"form": form, "objective": objective})


@rule_required("change_customerobjective", CustomerObjective, methods=("POST",))
def objective_archive(request, objective: CustomerObjective):
    services.objective_archive(actor=request.user, objective=objective)
    messages.success(request, f"Objective “{objective}” archived; it no longer counts in the strategy.")
    return redirect("objective-list")
