"""Department pages and the org chart. Views ask cco.permissions, parse a form, call a service; nothing more."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cco.forms import submit
from cco.permissions import can, ensure_can
from mandates.department_page import department_overview, departments_overview

from . import services
from .forms import ReportingLineForm
from .models import Department, ReportingLine
from .orgchart import layout
from .selectors import departments_reaching_cco, line_data, reporting_lines


@login_required
def department_list(request):
    ensure_can(request.user, "view_department")
    return render(request, "departments/list.html", {"rows": departments_overview()})


@login_required
def department_detail(request, pk: int):
    department = get_object_or_404(Department.objects.prefetch_related("heads"), pk=pk)
    ensure_can(request.user, "view_department", department)
    return render(request, "departments/detail.html", {"page": department_overview(department)})


def _org_chart_page(request, *, form: ReportingLineForm | None = None):
    reach = departments_reaching_cco()
    departments = list(Department.objects.order_by("-customer_facing", "name"))
    chart = layout([(d.pk, d.name, d.customer_facing) for d in departments], line_data(), reach)
    may_add = can(request.user, "add_reportingline")
    context = {
        "chart": chart,
        "lines": reporting_lines().order_by("department__name", "kind"),
        "departments": [(d, reach[d.pk]) for d in departments],
        "form": form or (ReportingLineForm() if may_add else None),
    }
    return render(request, "departments/org_chart.html", context)


@login_required
def org_chart(request):
    ensure_can(request.user, "view_department")
    return _org_chart_page(request)


@login_required
@require_POST
def line_create(request):
    ensure_can(request.user, "add_reportingline")
    form = ReportingLineForm(request.POST)
    response = submit(
        request, form,
        lambda data: services.reporting_line_create(actor=request.user, department=data["department"],
                                                    data=form.line_data()),
        success=lambda line: f"Line added: {line}. Scores are being recomputed.", redirect_to="org-chart",
    )  # fmt: skip
    return response or _org_chart_page(request, form=form)


@login_required
def line_edit(request, pk: int):
    line = get_object_or_404(ReportingLine.objects.select_related("department", "target"), pk=pk)
    ensure_can(request.user, "change_reportingline", line)
    form = ReportingLineForm(request.POST or None, line=line)
    response = submit(
        request, form, lambda _data: services.reporting_line_update(actor=request.user, line=line,
                                                                    data=form.line_data()),
        success=lambda saved: f"Line saved: {saved}.", redirect_to="org-chart",
    )  # fmt: skip
    return response or render(request, "departments/line_form.html", {"form": form, "line": line})


@login_required
def line_delete(request, pk: int):
    line = get_object_or_404(ReportingLine.objects.select_related("department", "target"), pk=pk)
    ensure_can(request.user, "delete_reportingline", line)
    if request.method == "POST":
        description = str(line)
        services.reporting_line_delete(actor=request.user, line=line)
        messages.success(request, f"Line removed: {description}.")
        return redirect("org-chart")
    return render(request, "departments/line_confirm_delete.html", {"line": line})
