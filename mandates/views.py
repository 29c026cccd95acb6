"""The executive dashboard and the CCO's pages. Views stay thin: ask cco.permissions, parse a form, call a service.

Every view refuses (403) what the permission module refuses, before reading anything; every write goes
through a service that checks again, validates and saves in one transaction.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cco.forms import submit
from cco.permissions import can, ensure_can
from departments.models import Department
from departments.selectors import departments_reaching_cco
from goals import services as goal_services
from goals.models import CompensationLever, CustomerObjective, Goal
from goals.selectors import current_period

from . import services
from .charter import charter as charter_data
from .dashboard import dashboard as dashboard_data
from .dashboard import freshness, objectives_with_support, review_queue
from .forms import DataSourceForm, DecisionForm, MandateItemForm, ObjectiveForm
from .health import health_report
from .models import DataSource, DecisionAction, MandateItem
from .selectors import data_sources, decisions, mandate_checklist

READ = "view_dashboard"  # every role reads every page of the product; writes have their own rules


@transaction.non_atomic_requests
def healthz(request):
    """200 while the database answers (broker and workers are reported, not required); 503 JSON when it does not.
    Outside ATOMIC_REQUESTS, so a database outage reaches this view instead of failing before it."""
    report = health_report()
    return JsonResponse(report, status=200 if report["database"] == "ok" else 503)


# --- the dashboard ------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    ensure_can(request.user, READ)
    return render(request, "dashboard/index.html", {"dash": dashboard_data()})


@login_required
def dashboard_scores(request):
    """The scores region alone, fetched again by htmx once a recompute has finished."""
    ensure_can(request.user, READ)
    return render(request, "dashboard/_scores.html", {"dash": dashboard_data()})


@login_required
def dashboard_status(request):
    """Freshness, polled by htmx; tells the page to re-render its scores once newer ones exist."""
    ensure_can(request.user, READ)
    fresh = freshness()
    response = render(request, "dashboard/_status.html", {"freshness": fresh})
    if not fresh.pending and (
        request.GET.get("was_pending") or _newer_than(fresh.computed_at, request.GET.get("since"))
    ):
        response["HX-Trigger"] = "scores-refreshed"
    return response


def _newer_than(moment, since: str | None) -> bool:
    try:
        return moment is not None and since is not None and moment.timestamp() > float(since) + 0.001
    except ValueError:
        return False


# --- customer objectives ------------------------------------------------------------------------------


@login_required
def objective_list(request):
    ensure_can(request.user, READ)
    return render(
        request, "mandates/objectives.html", {"objectives": objectives_with_support(), "period": current_period()}
    )


@login_required
def objective_create(request):
    ensure_can(request.user, "add_customerobjective")
    period = current_period()
    form = ObjectiveForm(request.POST or None, initial={"period": period, "active": True})
    response = submit(
        request, form, lambda data: goal_services.objective_create(actor=request.user, data=data),
        success=lambda objective: f"Objective “{objective}” created; scores are being recomputed.",
        redirect_to="objective-list",
    )  # fmt: skip
    return response or render(request, "mandates/objective_form.html", {"form": form, "objective": None})


@login_required
def objective_edit(request, pk: int):
    objective = get_object_or_404(CustomerObjective, pk=pk)
    ensure_can(request.user, "change_customerobjective", objective)
    form = ObjectiveForm(request.POST or None, initial=ObjectiveForm.initial_from(objective))
    response = submit(
        request, form, lambda data: goal_services.objective_update(actor=request.user, objective=objective, data=data),
        success=f"Objective “{objective}” saved.", redirect_to="objective-list",
    )  # fmt: skip
    return response or render(request, "mandates/objective_form.html", {"form": form, "objective": objective})


@login_required
@require_POST
def objective_archive(request, pk: int):
    objective = get_object_or_404(CustomerObjective, pk=pk)
    ensure_can(request.user, "change_customerobjective", objective)
    goal_services.objective_archive(actor=request.user, objective=objective)
    messages.success(request, f"Objective “{objective}” archived; it no longer counts in the strategy.")
    return redirect("objective-list")


# --- the mandate checklist ----------------------------------------------------------------------------


def _checklist_page(request, *, bound: MandateItemForm | None = None, bound_pk: int | None = None):
    """The checklist, with a form per item for those who may change it (the bound one showing its errors)."""
    may_change = can(request.user, "change_mandateitem")
    rows = []
    for row in mandate_checklist():
        form = None
        if may_change:
            form = (
                bound
                if row.item.pk == bound_pk
                else MandateItemForm(
                    prefix=f"item-{row.item.pk}",
                    initial={"status": row.item.status, "evidence": row.item.evidence},
                    versioned=row.item,
                )
            )
        rows.append((row, form))
    return render(request, "mandates/checklist.html", {"rows": rows})


@login_required
def checklist(request):
    ensure_can(request.user, READ)
    return _checklist_page(request)


@login_required
@require_POST
def mandate_item_update(request, pk: int):
    item = get_object_or_404(MandateItem, pk=pk)
    ensure_can(request.user, "change_mandateitem", item)
    form = MandateItemForm(request.POST, prefix=f"item-{item.pk}", versioned=item)
    response = submit(
        request,
        form,
        lambda data: services.mandate_item_update(actor=request.user, item=item, version=form.read_version, **data),
        success=f"“{item.title}” saved; the empowerment score is being recomputed.",
        redirect_to=f"{reverse('mandate-checklist')}#item-{item.pk}",
    )  # fmt: skip
    return response or _checklist_page(request, bound=form, bound_pk=item.pk)


# --- data sources -------------------------------------------------------------------------------------


@login_required
def data_source_list(request):
    ensure_can(request.user, READ)
    return render(request, "mandates/data_sources.html", {"sources": data_sources()})


@login_required
def data_source_create(request):
    ensure_can(request.user, "add_datasource")
    form = DataSourceForm(request.POST or None)
    response = submit(
        request, form, lambda data: services.data_source_create(actor=request.user, data=data),
        success=lambda source: f"Data source “{source}” added.", redirect_to="data-source-list",
    )  # fmt: skip
    return response or render(request, "mandates/data_source_form.html", {"form": form, "source": None})


@login_required
def data_source_edit(request, pk: int):
    source = get_object_or_404(DataSource, pk=pk)
    ensure_can(request.user, "change_datasource", source)
    form = DataSourceForm(request.POST or None, initial=DataSourceForm.initial_from(source))
    response = submit(
        request, form, lambda data: services.data_source_update(actor=request.user, source=source, data=data),
        success=f"Data source “{source}” saved.", redirect_to="data-source-list",
    )  # fmt: skip
    return response or render(request, "mandates/data_source_form.html", {"form": form, "source": source})


@login_required
def data_source_delete(request, pk: int):
    source = get_object_or_404(DataSource, pk=pk)
    ensure_can(request.user, "delete_datasource", source)
    if request.method == "POST":
        services.data_source_delete(actor=request.user, source=source)
        messages.success(request, f"Data source “{source}” deleted.")
        return redirect("data-source-list")
    return render(request, "mandates/data_source_confirm_delete.html", {"source": source})


# --- the CCO's sign-offs and vetoes -------------------------------------------------------------------


@login_required
def review_list(request):
    ensure_can(request.user, "review_goal")
    return render(request, "mandates/reviews.html", {"queue": review_queue()})


GOAL_DECISIONS = [(DecisionAction.APPROVE, "Approve"), (DecisionAction.VETO, "Veto")]
LEVER_DECISIONS = [(DecisionAction.SIGN_OFF, "Sign off"), (DecisionAction.VETO, "Veto")]


def _review(request, *, subject, department: Department, choices, subject_kwargs: dict, template_context):
    form = DecisionForm(request.POST or None, choices=choices)
    response = submit(
        request, form, lambda data: services.decision_record(
            actor=request.user, action=data["decision"], reason=data["reason"], **subject_kwargs
        ),
        success=lambda decision: f"{decision.get_action_display()}: {decision.subject}. Logged in the decision log.",
        redirect_to=reverse("department-detail", args=[department.pk]),
    )  # fmt: skip
    if response:
        return response
    context = {
        "form": form,
        "subject": subject,
        "department": department,
        "reach": departments_reaching_cco()[department.pk],
        **template_context,
    }
    return render(request, "mandates/review_form.html", context)


@login_required
def goal_review(request, pk: int):
    goal = get_object_or_404(Goal.objects.select_related("department", "period"), pk=pk)
    ensure_can(request.user, "review_goal", goal)

    return _review(
        request,
        subject=goal,
        department=goal.department,
        choices=GOAL_DECISIONS,
        subject_kwargs={"goal": goal},
        template_context={"goal": goal, "kind": "goal"},
    )


@login_required
def lever_review(request, pk: int):
    lever = get_object_or_404(CompensationLever.objects.select_related("department", "goal", "manager"), pk=pk)
    ensure_can(request.user, "sign_off_lever", lever)

    return _review(
        request,
        subject=lever,
        department=lever.department,
        choices=LEVER_DECISIONS,
        subject_kwargs={"lever": lever},
        template_context={"lever": lever, "kind": "lever"},
    )


@login_required
def decision_list(request):
    ensure_can(request.user, READ)
    departments = Department.objects.order_by("name")
    chosen = (
        departments.filter(pk=request.GET.get("department")).first()
        if request.GET.get("department", "").isdigit()
        else None
    )
    page = Paginator(decisions(department=chosen), 50).get_page(request.GET.get("page"))
    return render(request, "mandates/decisions.html", {"page": page, "departments": departments, "chosen": chosen})


@login_required
def charter(request):
    ensure_can(request.user, READ)
    return render(request, "mandates/charter.html", {"charter": charter_data()})
