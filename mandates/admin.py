from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cco.admin_mixins import RescoreOnChangeAdmin

from .models import DataSource, Decision, EmpowermentSnapshot, MandateItem


@admin.register(MandateItem)
class MandateItemAdmin(RescoreOnChangeAdmin, SimpleHistoryAdmin):
    list_display = ("title", "kind", "status", "updated_by", "updated_at")
    readonly_fields = ("key",)


@admin.register(DataSource)
class DataSourceAdmin(RescoreOnChangeAdmin, SimpleHistoryAdmin):
    list_display = ("name", "category", "cco_has_access", "last_refreshed_at")
    list_filter = ("category", "cco_has_access")


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ("subject", "action", "department", "by", "at")
    list_filter = ("action", "department")


@admin.register(EmpowermentSnapshot)
class EmpowermentSnapshotAdmin(admin.ModelAdmin):
    list_display = ("score", "computed_at")
    readonly_fields = ("score", "items", "fingerprint", "computed_at")
