"""The goal editor: create or change a goal and see, before saving, what the change does to the score.

It is an assembled page: the form and the weight budget are goals', the score impact is scoring's what-if
(the same engine, nothing saved). Saving goes through goals.services, which asks every rule again.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from cco.forms import show_service_errors
from cco.ids import plain_id
from cco.permissions import can, ensure_can, rule_required
from cco.versions import nothing_changed, unchanged
from departments.models import Department
from goals import previews, services
from goals.forms import GoalForm, link_formset
from goals.links import LinkInput
from goals.models import Goal, GoalStatus
from goals.views import department_page
from scoring.inputs import COMPONENT_LABELS, DEPARTMENT_COMPONENTS
from scoring.measures import half_up
from scoring.whatif import Preview, preview_goal_change


@rule_required("add_goal", Department, url_kwarg="department_id")
def goal_create(request, department: Department):
    return _goal_form_page(request, department=department, goal=None)


@rule_required("change_goal", Goal.objects.select_related("department", "period").prefetch_related("links"))
def goal_edit(request, goal: Goal):
    return _goal_form_page(request, department=goal.department, goal=goal)


def _goal_form_page(request, *, department: Department, goal: Goal | None):
    """Create or edit a goal; "Preview" (or the htmx preview) shows the score impact and saves nothing."""
    link_errors: list[str] = []
    preview = None
    if request.method == "POST":
        form, links = GoalForm(request.POST, versioned=goal), link_formset(request.POST, goal=goal)
        _keep_binding(request.user, form, goal)
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
                if goal and unchanged(form.read_version, saved):
                    messages.info(request, nothing_changed(saved))
                else:
                    verb = "updated" if goal else "created"
                    messages.success(request, f"Goal “{saved.title}” {verb}; the department's score is being updated.")
                return redirect(department_page(department.pk))
    else:
        form = GoalForm(initial=GoalForm.initial_for(goal) if goal else None, versioned=goal)
        _keep_binding(request.user, form, goal)
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
        "weights": previews.weight_budget(department, goal, values),
    }
    refused = bool(form.errors or link_errors or (links.is_bound and not links.is_valid()))
    return render(request, "goals/goal_form.html", context, status=400 if refused else 200)


def _keep_binding(user, form: GoalForm, goal: Goal | None) -> None:
    """A fed goal's binding is not its heads' to change: the form shows it fixed, saying who can."""
    if goal is not None and goal.is_fed and not can(user, "rebind_goal", goal):
        form.keep_binding(goal, services.binding_kept_message(goal))


def _valid_links(links, link_errors: list[str]) -> list[LinkInput] | None:
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
        if not link.asserted_by_cco:
            yield LinkInput(link.objective, link.kind, link.strength)


def _asserted(goal: Goal | None) -> list[tuple[int, str, Decimal]]:
    """The conflicts the CCO asserted on the goal: they stay whatever the form sends, so the preview keeps them."""
    if goal is None:
        return []
    return [(link.objective_id, link.kind, link.strength) for link in goal.links.all() if link.asserted_by_cco]


def _save_goal(actor, department: Department, goal: Goal | None, form: GoalForm, links) -> Goal:
    if goal is None:
        return services.goal_create(actor=actor, department=department, data=form.cleaned_data, links=links)
    fresh = Goal.objects.get(pk=goal.pk)  # a refused save must not leave the page's copy half-changed
    return services.goal_update(actor=actor, goal=fresh, data=form.cleaned_data, links=links, version=form.read_version)


def _preview(department: Department, goal: Goal | None, data: dict, links) -> dict:
    """Score now vs. with this change (same engine, nothing saved), and whether saving would be refused."""
    result: Preview = preview_goal_change(
        department=department,
        goal_id=goal.pk if goal else None,
        title=data.get("title") or "",
        weight=data.get("weight") or Decimal(0),
        status=data["status"],
        period_id=data["period"].pk,
        links=[(link.objective.pk, link.kind, link.strength) for link in links] + _asserted(goal),
    )
    rows = []
    for name in DEPARTMENT_COMPONENTS:
        label = COMPONENT_LABELS[name]
        before, after = result.before.components[name], result.after.components[name]
        rows.append(
            {
                "name": name,
                "label": label,
                "before": before["points"],
                "after": after["points"],
                "change": half_up(after["points"] - before["points"], 2),
                "claimed": after.get("claimed_points", 0),
            }
        )
    return {
        "result": result,
        "rows": rows,
        "refusal": previews.goal_refusal(department=department, goal=goal, data=data),
    }


@rule_required("view_department", methods=("POST",))
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
        "weights": previews.weight_budget(department, goal, form.cleaned_data),
        "department": department,
    }
    return render(request, "goals/_whatif.html", context)


def _int_or_404(value) -> int:
    if plain_id(value) is None:
        raise Http404("Unknown department or goal.")
    return plain_id(value)
