"""The CCO's pages: the mandate checklist, data sources, sign-offs and vetoes, reviews of the links goals claim,
the decision log, the charter.

Views stay thin: cco.permissions.rule_required refuses (403) what the rule set refuses before anything is
read; every write goes through a service that checks again, validates and saves in one transaction.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from cco.forms import submit
from cco.ids import plain_id
from cco.permissions import can, ensure_can, rule_required
from departments.models import Department
from departments.selectors import department_reach, departments_reaching_cco
from goals.models import CompensationLever, Goal
from goals.selectors import objectives_in_strategy, period_asked

from . import services
from .charter import charter as charter_data
from .forms import ConflictForm, DataSourceForm, DecisionForm, LinkReviewForm, MandateItemConfirmForm, MandateItemForm
from .models import DataSource, DecisionAction, MandateItem
from .selectors import (
    data_sources,
    decisions,
    links_for_review,
    mandate_checklist,
    review_queue,
    waiting_in_other_open_periods,
)

READ = "view_dashboard"  # every role reads every page of the product; writes have their own rules
REVIEWS_PER_PAGE = 100  # the review page lists this many of each kind at a time, whatever the organisation's size


# --- the mandate checklist ----------------------------------------------------------------------------


def _checklist_page(request, *, bound: MandateItemForm | None = None, bound_pk: int | None = None):
    """The checklist, with a form per item for those who may change it (the bound one showing its errors)."""
    may_change = can(request.user, "change_mandateitem")
    may_confirm = can(request.user, "confirm_mandateitem")
    rows = []
    for row in mandate_checklist():
        confirm = (  # the version the confirmer read goes with their confirmation
            MandateItemConfirmForm(prefix=f"confirm-{row.item.pk}", versioned=row.item)
            if may_confirm and (row.confirmable or row.confirmed)
            else None
        )
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
        rows.append((row, form, confirm))
    return render(request, "mandates/checklist.html", {"rows": rows})


@rule_required(READ)
def checklist(request):
    return _checklist_page(request)


@rule_required("change_mandateitem", MandateItem, methods=("POST",))
def mandate_item_update(request, item: MandateItem):
    form = MandateItemForm(request.POST, prefix=f"item-{item.pk}", versioned=item)
    response = submit(
        request,
        form,
        lambda data: services.mandate_item_update(actor=request.user, item=item, version=form.read_version, **data),
        success=f"“{item.title}” saved; the empowerment score is being recomputed.",
        redirect_to=f"{reverse('mandate-checklist')}#item-{item.pk}",
    )  # fmt: skip
    return response or _checklist_page(request, bound=form, bound_pk=item.pk)


@rule_required("confirm_mandateitem", MandateItem, methods=("POST",))
def mandate_item_confirm(request, item: MandateItem):
    """An executive or an admin confirms the CCO's status of an item the data cannot evaluate (or withdraws it)."""
    form = MandateItemConfirmForm(request.POST, prefix=f"confirm-{item.pk}", versioned=item)
    if not form.is_valid():
        messages.error(request, "Choose to confirm or to withdraw the confirmation.")
    else:
        confirmed = form.cleaned_data["confirmed"]
        try:
            services.mandate_item_confirm(actor=request.user, item=item, confirmed=confirmed, version=form.read_version)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            done = "confirmed: it now counts in full" if confirmed else "no longer confirmed: it counts at half"
            messages.success(request, f"The CCO's status of “{item.title}” {done}.")
    return redirect(f"{reverse('mandate-checklist')}#item-{item.pk}")


# --- data sources -------------------------------------------------------------------------------------


@rule_required(READ)
def data_source_list(request):
    return render(request, "mandates/data_sources.html", {"sources": data_sources()})


@rule_required("add_datasource")
def data_source_create(request):
    form = DataSourceForm(request.POST or None)
    response = submit(
        request, form, lambda data: services.data_source_create(actor=request.user, data=data),
        success=lambda source: f"Data source “{source}” added.", redirect_to="data-source-list",
    )  # fmt: skip
    return response or render(request, "mandates/data_source_form.html", {"form": form, "source": None})


@rule_required("change_datasource", DataSource)
def data_source_edit(request, source: DataSource):
    form = DataSourceForm(request.POST or None, initial=DataSourceForm.initial_from(source))
    response = submit(
        request, form, lambda data: services.data_source_update(actor=request.user, source=source, data=data),
        success=f"Data source “{source}” saved.", redirect_to="data-source-list",
    )  # fmt: skip
    return response or render(request, "mandates/data_source_form.html", {"form": form, "source": source})


@rule_required("delete_datasource", DataSource)
def data_source_delete(request, source: DataSource):
    if request.method == "POST":
        try:
            services.data_source_delete(actor=request.user, source=source)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("data-source-delete", pk=source.pk)
        messages.success(request, f"Data source “{source}” deleted.")
        return redirect("data-source-list")
    refusal = services.data_source_delete_refusal(source)
    return render(request, "mandates/data_source_confirm_delete.html", {"source": source, "refusal": refusal})


# --- the CCO's sign-offs and vetoes -------------------------------------------------------------------


@rule_required("review_goal")
def review_list(request):
    """What waits for the viewer's decision in the current quarter, or with ?period=<id> in another; above it, what
    waits in the other quarters still open (the last one in its grace days, the next one set up ahead)."""
    asked = period_asked(request.GET.get("period"))
    queue = review_queue(request.user, asked)
    levers, drafts, claims = (
        Paginator(rows, REVIEWS_PER_PAGE).get_page(request.GET.get(name))
        for rows, name in ((queue.levers, "levers"), (queue.drafts, "drafts"), (queue.claims, "claims"))
    )
    shown = {lever.department_id for lever in levers} | {goal.department_id for goal in drafts}
    reach = departments_reaching_cco(shown)
    lever_offers = {lever.pk: _offer(lever.department, reach[lever.department_id], LEVER_DECISIONS) for lever in levers}
    draft_offers = {
        goal.pk: _offer(goal.department, reach[goal.department_id], GOAL_DECISIONS, goal=goal) for goal in drafts
    }
    elsewhere = [entry for entry in waiting_in_other_open_periods(request.user) if entry.period != queue.period]
    context = {"queue": queue, "levers": levers, "drafts": drafts, "claims": claims, "reach": reach,
               "elsewhere": elsewhere, "asked": asked}  # fmt: skip
    return render(
        request, "mandates/reviews.html", {**context, "lever_offers": lever_offers, "draft_offers": draft_offers}
    )


GOAL_DECISIONS = [(DecisionAction.APPROVE, "Approve"), (DecisionAction.VETO, "Veto")]
LEVER_DECISIONS = [(DecisionAction.SIGN_OFF, "Sign off"), (DecisionAction.VETO, "Veto")]


def _offer(department: Department, reach, choices, *, goal: Goal | None = None, lever=None) -> dict:
    """The decisions the line allows (as choices, and as a link's words: "Sign off or veto") and the one sentence
    on those it does not allow; the service decides the same way when the decision is recorded."""
    offer = services.decision_offer(department.name, reach, [action for action, _ in choices], goal=goal, lever=lever)
    allowed = [(action, label) for action, label in choices if action in offer.actions]
    return {"choices": allowed, "label": offer.label, "refusal": offer.refusal, "not_signable": offer.not_signable}


def _decided(decision) -> str:
    return f"{decision.get_action_display()}: {decision.subject}. Logged in the decision log."


def _review(request, *, subject, department: Department, choices, subject_kwargs: dict, template_context):
    reach = department_reach(department.pk)
    offer = _offer(department, reach, choices, goal=subject_kwargs.get("goal"), lever=subject_kwargs.get("lever"))
    form = DecisionForm(request.POST or None, choices=choices, versioned=subject)
    form.fields["decision"].widget.choices = offer["choices"]  # offered: what the line allows; decided: the service
    response = submit(
        request, form, lambda data: services.decision_record(
            actor=request.user, action=data["decision"], reason=data["reason"], version=form.read_version,
            **subject_kwargs,
        ),
        success=_decided, redirect_to=reverse("department-detail", args=[department.pk]),
    )  # fmt: skip
    if response:
        return response
    said = form.non_field_errors()  # a refusal the form's errors say already is not said twice
    context = {
        "form": form,
        "subject": subject,
        "department": department,
        "reach": reach,
        "offer": offer,
        "refusal": "" if offer["refusal"] in said else offer["refusal"],
        "not_signable": "" if offer["not_signable"] in said else offer["not_signable"],
        **template_context,
    }
    return render(request, "mandates/review_form.html", context)


@rule_required("review_goal", Goal.objects.select_related("department", "period"))
def goal_review(request, goal: Goal):
    return _review(
        request,
        subject=goal,
        department=goal.department,
        choices=GOAL_DECISIONS,
        subject_kwargs={"goal": goal},
        template_context={"goal": goal, "kind": "goal"},
    )


@rule_required("sign_off_lever", CompensationLever.objects.select_related("department", "goal", "manager"))
def lever_review(request, lever: CompensationLever):
    return _review(
        request,
        subject=lever,
        department=lever.department,
        choices=LEVER_DECISIONS,
        subject_kwargs={"lever": lever},
        template_context={"lever": lever, "kind": "lever"},
    )


# --- the CCO's review of links -----------------------------------------------------------------------


@rule_required("review_link")
def link_review(request, pk: int):
    link = links_for_review().select_related("goal__period").filter(pk=pk).first()
    if link is None:  # a claim the head changed is a new claim (goals.services._replace_links)
        messages.warning(
            request,
            "That claim was changed or removed since the page was opened, so nothing was recorded. The queue below "
            "shows the claims as they are now.",
        )
        return redirect(f"{reverse('review-list')}#claims-heading")
    ensure_can(request.user, "review_link", link)  # their own department's claim: refused before it is shown
    form = LinkReviewForm(request.POST or None)
    response = submit(
        request, form, lambda data: services.link_review(
            actor=request.user, link=link, action=data["decision"], reason=data["reason"], strength=data["strength"]
        ),
        success=_decided, redirect_to=f"{reverse('review-list')}#claims-heading",
    )  # fmt: skip
    context = {"form": form, "link": link, "refusal": services.link_review_refusal(link)}
    return response or render(request, "mandates/link_review_form.html", context)


@rule_required("review_link", Goal.objects.select_related("department", "period"))
def conflict_assert(request, goal: Goal):
    form = ConflictForm(request.POST or None, objectives=objectives_in_strategy(goal.period).order_by("title"))
    response = submit(
        request, form, lambda data: services.conflict_assert(actor=request.user, goal=goal, **data),
        success=_decided, redirect_to=f"{reverse('department-detail', args=[goal.department_id])}#goal-{goal.pk}",
    )  # fmt: skip
    return response or render(request, "mandates/conflict_form.html", {"form": form, "goal": goal})


@rule_required(READ)
def decision_list(request):
    """50 a page; `?department=<id>` (the department page's link) or `?q=` (part of a department's name), never a
    list of every department to choose from."""
    department_id = plain_id(request.GET.get("department", ""))
    chosen = Department.objects.filter(pk=department_id).first() if department_id is not None else None
    query = (request.GET.get("q") or "").strip()[: Department._meta.get_field("name").max_length]
    rows = decisions(department=chosen, department_name=query)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "mandates/decisions.html", {"page": page, "chosen": chosen, "query": query})


@rule_required(READ)
def charter(request):
    """The charter of the current period, or with ?period=<id> of any other period as it ended. The decision log's
    full address is given because a printed charter cannot be clicked."""
    return render(
        request,
        "mandates/charter.html",
        {
            "charter": charter_data(period_asked(request.GET.get("period"))),
            "decision_log_url": request.build_absolute_uri(reverse("decision-list")),
        },
    )
