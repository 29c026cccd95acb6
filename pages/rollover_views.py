"""The CCO's roll-over page: the plan and the organisation score it will give first, then one all-or-nothing run,
queued as a job (scoring.rollover_jobs) whose page follows it to the end: at 2,000 departments the run takes minutes.

It sits in pages because the preview needs the engine (scoring.rollover) and the plan is goals' (goals.rollover).
The plan's table lists only the departments that lose something on the way (links, reviews, levers, sign-offs),
hardest hit first and paged, and counts the rest: at 2,000 departments a row for each was 350 KB the CCO had to
search for the few that matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from cco.forms import show_service_errors
from cco.ids import plain_id
from cco.permissions import rule_required
from cco.shared_reads import kept
from goals import rollover
from goals.models import CustomerObjective, Period
from goals.selectors import current_period, next_period
from scoring.models import RollOverJob
from scoring.rollover import RollOverPreview, roll_over_preview
from scoring.rollover_jobs import RollOverAlreadyOpen, roll_over_job_create, roll_over_progress

DEPARTMENTS_PER_PAGE = 50


class RollOverForm(forms.Form):
    source = forms.ModelChoiceField(Period.objects.none(), label="Carry over from", empty_label=None)
    objectives = forms.ModelMultipleChoiceField(
        CustomerObjective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Objectives to carry",
        help_text="Links to objectives left out are dropped.",
    )
    error_targets = {"source": "roll-over-from"}  # the error summary's link: the page's own period picker

    def __init__(self, *args, target: Period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Period.objects.exclude(pk=target.pk).order_by("-start")
        source_id = self.data.get("source") if self.is_bound else None
        chosen = str(source_id) if source_id is not None else ""
        self.fields["objectives"].queryset = CustomerObjective.objects.filter(
            period_id=plain_id(chosen), active=True
        ).order_by("category", "title")


def _default_source(request, target: Period) -> Period | None:
    """`?from=<id>`, else the current period (or, when rolling into the current period, the one before it)."""
    requested = request.GET.get("from") or request.GET.get("source", "")  # the preview button sends `source`
    if plain_id(requested) is not None:
        return Period.objects.filter(pk=plain_id(requested)).first()
    current = current_period()
    if current is None or current.pk == target.pk:
        return Period.objects.filter(end__lte=target.start).order_by("-start").first()
    return current


@rule_required("change_period", Period)
def roll_over_page(request, target: Period):
    if request.method == "POST":
        form = RollOverForm(request.POST, target=target)
    else:
        source = _default_source(request, target)
        data = {"source": source.pk if source else ""}
        if source is not None:
            data["objectives"] = request.GET.getlist("objectives") or [
                o.pk for o in CustomerObjective.objects.filter(period=source, active=True)
            ]
        form = RollOverForm(data, target=target)
    plan = preview = open_job = None
    if form.is_valid():
        source, chosen = form.cleaned_data["source"], {o.pk for o in form.cleaned_data["objectives"]}
        if request.method == "POST" and "preview" not in request.POST:  # the preview posts too: no token in a URL
            try:
                job = roll_over_job_create(actor=request.user, source=source, target=target, objective_ids=chosen)
            except RollOverAlreadyOpen as refusal:
                form.add_error(None, refusal)
                open_job = refusal.job
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                return redirect("period-roll-over-job", pk=target.pk, job_id=job.pk)
        try:
            plan, preview = _plan_and_preview(source, target, chosen)
        except ValidationError as error:
            if not form.errors:
                show_service_errors(form, error)
    context = {"target": target, "form": form, "plan": plan, "preview": preview, "open_job": open_job}
    if plan is not None:
        context.update(_losses(request, plan, preview))
    status = 400 if form.errors and request.method == "POST" and "preview" not in request.POST else 200
    return render(request, "pages/roll_over.html", context, status=status)


def _plan_and_preview(
    source: Period, target: Period, chosen: set[int]
) -> tuple[rollover.RollOverPlan, RollOverPreview]:
    """The plan and its scores, kept until the data changes (cco.shared_reads): at 2,000 departments they take about
    a second, mostly scoring the organisation, and paging through the departments or previewing the same choice
    again asks for them again."""

    def compute():
        plan = rollover.roll_over_plan(source=source, target=target, objective_ids=chosen)
        return plan, roll_over_preview(plan)

    return kept("roll-over-plan", source.pk, target.pk, "-".join(map(str, sorted(chosen))), compute=compute)


@dataclass(frozen=True)
class LossRow:
    department: rollover.DepartmentCarry
    score_now: float
    score_after: float


def _losses(request, plan: rollover.RollOverPlan, preview: RollOverPreview) -> dict:
    """The page of departments that lose something, the score falling most first, and how many lose nothing."""
    rows = sorted(
        (LossRow(d, *preview.departments.get(d.id, (0.0, 0.0))) for d in plan.departments if d.loses_something),
        key=lambda row: (row.score_after - row.score_now, row.department.name, row.department.id),
    )
    page = Paginator(rows, DEPARTMENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({"from": plan.source.pk, "objectives": sorted(plan.carried_ids)}, doseq=True)
    return {
        "losses": page,
        "losses_query": query,
        "unaffected": len(plan.departments) - len(rows),
        "unaffected_with_goals_there": sum(1 for d in plan.departments if d.goals_skipped and not d.loses_something),
    }


@rule_required("change_period", Period)
def roll_over_job_page(request, target: Period, job_id):
    """A queued roll-over's state; while queued or running the page asks htmx to fetch its status part again."""
    job = get_object_or_404(
        RollOverJob.objects.select_related("source", "target", "requested_by"), pk=job_id, target=target
    )
    done = _done(job.result["counts"], job.source, target) if job.state == "done" else ""
    progress = roll_over_progress(job.pk) if job.state == "running" else None
    context = {"target": target, "job": job, "done": done, "progress": progress}
    template = "pages/_roll_over_job_state.html" if request.htmx else "pages/roll_over_job.html"
    return render(request, template, context)


def _done(counts: dict[str, int], source: Period, target: Period) -> str:
    if not (counts["objectives_created"] or counts["goals_created"]):
        return f"Nothing new to carry: {target} already holds everything of {source}."
    done = (
        f"Rolled {source} over into {target}: {counts['objectives_created']} objective(s) and "
        f"{counts['goals_created']} goal(s) created, {counts['levers_created']} lever(s) followed; scores are "
        "being recomputed."
    )
    if target.is_current:
        return done
    return f"{done} {target} counts once it is made the current period: “Make {target} the current period” below."


@rule_required("change_period")
def next_roll_over_page(request):
    """The objectives page's link: roll the current period over into the next one, once it exists."""
    current = current_period()
    target = next_period(current) if current else None
    if target is None:
        return render(request, "pages/roll_over.html", {"target": None, "current": current})
    return redirect(f"{reverse('period-roll-over', args=[target.pk])}?from={current.pk}")
