"""Department pages and the org chart. Views ask cco.permissions, parse a form, call a service; nothing more."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from cco.forms import submit
from cco.permissions import can, rule_required

from . import services
from .forms import ReportingLineForm
from .models import ReportingLine
from .orgchart import DRAWING_LIMIT, REACH_KINDS, departments_matching, layout, reach_counts
from .selectors import department_names_like, organisation_outline, reporting_lines

DEPARTMENTS_PER_PAGE = 50


@rule_required("view_department")
def department_names(request):
    """htmx, for the reporting-line form's name fields: <option>s of the department names containing what is typed
    (the field's own value, whichever field asks)."""
    typed = next((request.GET[key] for key in ("q", "department", "target") if request.GET.get(key)), "")
    return render(request, "departments/_department_names.html", {"names": department_names_like(typed)})


def _org_chart_page(request, *, form: ReportingLineForm | None = None):
    """The drawing while the organisation is small; at any size, counts per kind of line and a paged, searchable
    table (?q=, ?reach=, ?page=) with the lines of the departments listed. Beyond the drawing's size the add-line form
    is shown when asked for (?add=1) or when it comes back with errors, and takes departments by name."""
    outline = organisation_outline()
    small = len(outline.departments) <= DRAWING_LIMIT
    chart = layout([tuple(d) for d in outline.departments], outline.lines, outline.reach) if small else None
    query = request.GET.get("q", "").strip()[:120]
    kind = request.GET.get("reach", "") if request.GET.get("reach") in REACH_KINDS else ""
    page = Paginator(departments_matching(outline.departments, outline.reach, query=query, kind=kind),
                     DEPARTMENTS_PER_PAGE).get_page(request.GET.get("page"))  # fmt: skip
    listed = [department.pk for department, _reach in page.object_list]
    may_add = can(request.user, "add_reportingline")
    context = {
        "chart": chart,
        "drawing_limit": DRAWING_LIMIT,
        "department_total": len(outline.departments),
        "counts": [(key, REACH_KINDS[key], n) for key, n in reach_counts(outline.departments, outline.reach).items()],
        "query": query,
        "kind": kind,
        "page": page,
        "lines": reporting_lines().filter(department_id__in=listed).order_by("department__name", "kind"),
        "form": form or (ReportingLineForm() if may_add and (small or request.GET.get("add")) else None),
        "may_add": may_add,
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
