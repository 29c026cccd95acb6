from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cco.admin_mixins import RescoreOnChangeAdmin

from .models import Department, ReportingLine


class LineInline(admin.TabularInline):
    model = ReportingLine
    fk_name = "department"
    extra = 0


@admin.register(Department)
class DepartmentAdmin(RescoreOnChangeAdmin, SimpleHistoryAdmin):
    list_display = ("name", "function", "customer_facing")
    list_filter = ("function", "customer_facing")
    search_fields = ("name",)
    filter_horizontal = ("heads",)
    inlines = [LineInline]


@admin.register(ReportingLine)
class ReportingLineAdmin(RescoreOnChangeAdmin, SimpleHistoryAdmin):
    list_display = ("department", "target_name", "kind", "sets_goals", "signs_off_compensation", "can_veto")
    list_filter = ("kind",)
    list_select_related = ("department", "target")
