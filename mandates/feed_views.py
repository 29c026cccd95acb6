"""A data source's feed page: its metrics, the keys its feed pushes with, a CSV upload, and its newest readings.

Every change goes through mandates.feeds or mandates.feed_tokens, which check the permission again; a refused
upload lists each bad row and stores nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from cco.permissions import can, rule_required
from goals.models import CustomerObjective, Goal, GoalStatus

from . import feed_tokens, feeds
from .models import DataSource, FeedToken, Reading

READ = "view_dashboard"
READINGS_SHOWN = 20
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class MetricForm(forms.Form):
    name = forms.CharField(max_length=60, help_text="Lower-case, e.g. “nps” or “churn_rate”.")
    unit = forms.CharField(max_length=30, required=False)


class TokenForm(forms.Form):
    token_name = forms.CharField(label="Used by", max_length=80, help_text="Which system will push with the key.")


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns metric, at, value; at most 5 MB.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The file is larger than 5 MB; split it.")
        return upload


FIELD_LABELS = {"metric": "Metric", "at": "Time (at)", "value": "Value", "row": "Row"}
BOUND_NAMED = 5  # goals or objectives named per metric; more are counted


def bound_to(source: DataSource) -> dict[str, list[str]]:
    """What each metric feeds: “goal …” (department) and “objective …”, the first few named and the rest counted."""
    fed: dict[str, list[str]] = {}
    goals = Goal.objects.filter(data_source=source).exclude(status=GoalStatus.ARCHIVED).select_related("department")
    for goal in goals.order_by("department__name", "title")[:200]:
        fed.setdefault(goal.source_metric, []).append(f"the goal “{goal.title}” ({goal.department.name})")
    for objective in CustomerObjective.objects.filter(data_source=source, active=True).order_by("title")[:200]:
        fed.setdefault(objective.source_metric, []).append(f"the objective “{objective.title}”")
    return {name: names[:BOUND_NAMED] + ([f"{len(names) - BOUND_NAMED} more"] if len(names) > BOUND_NAMED else [])
            for name, names in fed.items()}  # fmt: skip


def refused_lines(refused: feeds.BatchRefused) -> list[dict]:
    """The refused rows as lines of the file (its header is line 1), each field's errors under a label."""
    return [
        {"line": row["row"] + 1, "errors": [(FIELD_LABELS.get(f, f), errors) for f, errors in row["errors"].items()]}
        for row in refused.rows
    ]


def _page(request, source, *, status=200, **forms_and_more):
    context = {
        "source": source,
        "metrics": source.metrics.all(),
        "tokens": FeedToken.objects.filter(data_source=source).select_related("created_by"),
        "readings": Reading.objects.filter(metric__data_source=source)
        .select_related("metric")
        .order_by("-at", "-pk")[:READINGS_SHOWN],
        "may_change": can(request.user, "change_datasource", source),
        "feeds": bound_to(source),
        "metric_form": MetricForm(),
        "token_form": TokenForm(),
        "upload_form": UploadForm(),
        **forms_and_more,
    }
    return render(request, "mandates/data_source_detail.html", context, status=status)


@rule_required(READ)
def data_source_detail(request, pk: int):
    source = get_object_or_404(DataSource, pk=pk)
    if request.method != "POST":
        return _page(request, source)
    if not can(request.user, "change_datasource", source):
        return _page(request, source, status=403)
    action = request.POST.get("action")
    if action == "metric":
        form = MetricForm(request.POST)
        if form.is_valid():
            try:
                metric = feeds.metric_add(actor=request.user, source=source, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, f"Metric “{metric.name}” added.")
                return redirect("data-source-detail", pk=source.pk)
        return _page(request, source, status=400, metric_form=form)
    if action == "token":
        form = TokenForm(request.POST)
        if form.is_valid():
            token, key = feed_tokens.feed_token_issue(
                actor=request.user, source=source, name=form.cleaned_data["token_name"]
            )
            return _page(request, source, issued=token, issued_key=key)
        return _page(request, source, status=400, token_form=form)
    if action == "revoke":
        token = get_object_or_404(FeedToken, pk=request.POST.get("token"), data_source=source)
        feed_tokens.feed_token_revoke(actor=request.user, token=token)
        messages.success(request, f"Key “{token}” revoked: it can no longer push readings.")
        return redirect("data-source-detail", pk=source.pk)
    if action == "upload":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = feeds.readings_from_csv(form.cleaned_data["file"].read())
                result = feeds.readings_ingest(source=source, rows=rows, actor=request.user)
            except feeds.BatchRefused as refused:
                form.add_error("file", refused.messages[0])
                refused.lines = refused_lines(refused)
                return _page(request, source, status=400, upload_form=form, refused=refused)
            messages.success(
                request,
                f"{result.stored} new reading{'s' if result.stored != 1 else ''} stored, {result.unchanged} already "
                f"there; {result.check_ins} goal check-in{'s' if result.check_ins != 1 else ''} and "
                f"{result.objective_readings} objective reading{'s' if result.objective_readings != 1 else ''} made.",
            )
            return redirect("data-source-detail", pk=source.pk)
        return _page(request, source, status=400, upload_form=form)
    return _page(request, source, status=400)


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)
