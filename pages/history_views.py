"""A "History" page for the objects that have no page of their own: levers, customer objectives, reporting lines
and mandate items (a goal's page shows its history itself).

One view, made once per model: rule_required loads the object (404) and asks `view_department`, so whoever may read
the object reads its history; cco.history turns the history rows into changes in a bounded number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.shortcuts import render
from django.urls import reverse

from cco.history import change_history
from cco.permissions import rule_required
from departments.models import ReportingLine
from goals.models import CompensationLever, CustomerObjective
from mandates.models import MandateItem


@dataclass(frozen=True)
class Back:
    """Where the page links back to: the list that shows the object, at its row."""

    label: str
    url: Callable[[Model], str]


def object_history_view(objects: QuerySet, *, noun: str, back: Back):
    @rule_required("view_department", objects)
    def object_history(request, obj):
        context = {"object": obj, "noun": noun, "back": back.label, "back_url": back.url(obj)}
        return render(request, "pages/history.html", {**context, "changes": change_history(obj)})

    return object_history


lever_history = object_history_view(
    CompensationLever.objects.select_related("department", "manager", "goal", "signed_off_by"),
    noun="Compensation lever",
    back=Back(
        "Department", lambda lever: f"{reverse('department-detail', args=[lever.department_id])}#lever-{lever.pk}"
    ),
)
objective_history = object_history_view(
    CustomerObjective.objects.select_related("period", "owner"),
    noun="Customer objective",
    back=Back("Customer objectives", lambda objective: f"{reverse('objective-list')}#objective-{objective.pk}"),
)
line_history = object_history_view(
    ReportingLine.objects.select_related("department", "target"),
    noun="Reporting line",
    back=Back("Org chart", lambda line: f"{reverse('org-chart')}#line-{line.pk}"),
)
mandate_item_history = object_history_view(
    MandateItem.objects.select_related("updated_by"),
    noun="Mandate item",
    back=Back("Mandate checklist", lambda item: f"{reverse('mandate-checklist')}#item-{item.pk}"),
)
