"""Department pages and the org chart. Views ask cco.permissions, parse a form, call a service; nothing more."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from cco.forms import submit
from cco.permissions import can, rule_required

from . import services
from .forms import ReportingLineForm
from .models import Department, ReportingLine
from .orgchart import layout
from .selectors import departments_reaching_cco, line_data, reporting_lines


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


@rule_required("view_department")
def org_chart(request):
    return _org_chart_page(request)


@rule_required("add_reportingline", methods=("POST",))
def line_create(request):
    form = ReportingLineForm(request.POST)
    response = submit(
        request, form,
        lambda data: services.reporting_line_create(actor=request.user, department=data["department"],
                                                    data=form.line_data()),
        success=lambda line: f"Line added: {line}. Scores are being recomputed.", redirect_to="org-chart",
    )  # fmt: skip
    return response or _org_chart_page(request, form=form)


@rule_required("change_reportingline", ReportingLine.objects.select_related("department", "target"))
def line_edit(request, line: ReportingLine):
    form = ReportingLineForm(request.POST or None, line=line)
    response = submit(
        request, form, lambda data: services.reporting_line_update(
            actor=request.user, line=line, data=form.line_data(), authority_reviewed=data["authority_reviewed"]
        ),
        success=lambda saved: f"Line saved: {saved}.", redirect_to="org-chart",
    )  # fmt: skip
    return response or render(request, "departments/line_form.html", {"form": form, "line": line})


@rule_required("delete_reportingline", ReportingLine.objects.select_related("department", "target"))
def line_delete(request, line: ReportingLine):
    if request.method == "POST":
        description = str(line)
        services.reporting_line_delete(actor=request.user, line=line)
        messages.success(request, f"Line removed: {description}.")
        return redirect("org-chart")
    return render(request, "departments/line_confirm_delete.html", {"line": line})
