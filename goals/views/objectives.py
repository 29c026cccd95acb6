"""The CCO's customer objectives: the strategy every department's goals are scored against."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from cco.forms import submit
from cco.permissions import rule_required

from .. import services
from ..forms import ObjectiveForm
from ..models import CustomerObjective
from ..selectors import current_period, objectives_with_support


@rule_required("view_dashboard")
def objective_list(request):
    context = {"objectives": objectives_with_support(), "period": current_period()}
    return render(request, "goals/objectives.html", context)


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
