"""The scores as a download: the latest ones, or every snapshot of a date range."""

from __future__ import annotations

from django import forms
from django.http import HttpResponseBadRequest
from django.utils import timezone

from cco.downloads import csv_response
from cco.permissions import rule_required
from departments.models import Department
from goals.selectors import period_named

from .exports import write_scores, write_snapshots
from .selectors import latest_scores, snapshots_between


class DateRangeForm(forms.Form):
    start = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    end = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the range is before its start.")
        return data


@rule_required("view_dashboard")
def export_scores(request):
    """The latest score per department and for the organisation, with its components; with ?period=<name>, the
    newest of that period (how it ended, as the dashboard shows a past period); with ?start=&end= (YYYY-MM-DD, both
    days included), every snapshot stored in that range (and that period, if given), oldest first."""
    period = period_named(request.GET.get("period"))
    names = dict(Department.objects.values_list("pk", "name"))
    dates = DateRangeForm(request.GET)
    if not dates.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in dates.errors.items())
        return HttpResponseBadRequest(f"Give dates as YYYY-MM-DD. {problems}", content_type="text/plain")
    start, end = dates.cleaned_data.get("start"), dates.cleaned_data.get("end")
    if not (start or end):
        response = csv_response(f"scores-{period.name if period else timezone.localdate().isoformat()}.csv")
        write_scores(latest_scores(period), names, response)
        return response
    in_period = f"{period.name}-" if period else ""
    response = csv_response(f"scores-{in_period}{start or 'start'}-to-{end or 'now'}.csv")
    write_snapshots(snapshots_between(start=start, end=end, period=period), names, response)
    return response
