"""Departments, their heads and reporting lines in the Django admin, written through departments.services
(cco.admin_mixins), so a line that would close a cycle is refused here as on the org chart."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cco.admin_mixins import ServiceAdmin, ServiceModelForm, ViewOnlyInline

from . import services
from .forms import ReportingLineForm
from .models import Department, ReportingLine


class ReportingLineAdminForm(ServiceModelForm):
    """The org chart's confirmation, here too: a change of kind asks again what the line lets the CCO do."""

    authority_reviewed = ReportingLineForm.base_fields["authority_reviewed"]


class LineInline(ViewOnlyInline, admin.TabularInline):
    """A department's lines, for reading; each is edited on its own admin page or on the org chart."""

    model = ReportingLine
    fk_name = "department"


@admin.register(Department)
class DepartmentAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ("name", "function", "customer_facing")
    list_filter = ("function", "customer_facing")
    search_fields = ("name",)
    autocomplete_fields = ("heads",)  # searched, not every account listed
    inlines = [LineInline]
    rules = {"add": "add_department", "change": "change_department", "delete": "delete_department"}
    create_fields = change_fields = (*services.DEPARTMENT_FIELDS, "heads")

    def create(self, request, data):
        heads = data.pop("heads")
        return services.department_create(actor=request.user, data=data, heads=heads)

    def update(self, request, obj, data):
        heads = data.pop("heads")
        return services.department_update(actor=request.user, department=obj, data=data, heads=heads)

    def delete(self, request, obj):
        services.department_delete(actor=request.user, department=obj)


@admin.register(ReportingLine)
class ReportingLineAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ("department", "target_name", "kind", "sets_goals", "signs_off_compensation", "can_veto")
    list_filter = ("kind",)
    list_select_related = ("department", "target")
    search_fields = ("department__name", "target__name")
    autocomplete_fields = ("department", "target")
    rules = {"add": "add_reportingline", "change": "change_reportingline", "delete": "delete_reportingline"}
    form = ReportingLineAdminForm
    create_fields = ("department", *services.LINE_FIELDS)
    change_fields = (*services.LINE_FIELDS, "authority_reviewed")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [*fields, "authority_reviewed"] if obj is not None else fields

    def create(self, request, data):
        department = data.pop("department")
        data.pop("authority_reviewed", None)  # a new line's authority is answered on the same form
        return services.reporting_line_create(actor=request.user, department=department, data=data)

    def update(self, request, obj, data):
        reviewed = data.pop("authority_reviewed", False)
        return services.reporting_line_update(actor=request.user, line=obj, data=data, authority_reviewed=reviewed)

    def delete(self, request, obj):
        services.reporting_line_delete(actor=request.user, line=obj)
