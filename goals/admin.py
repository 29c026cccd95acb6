from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cco.admin_mixins import RescoreOnChangeAdmin

from .models import AlignmentScore, CheckIn, CompensationLever, CustomerObjective, Goal, GoalLink, Period, RecomputeJob


@admin.register(Period)
class PeriodAdmin(RescoreOnChangeAdmin, SimpleHistoryAdmin):
    list_display = ("name", "start", "end", "is_current")


@admin.register(CustomerObjective)
class CustomerObjectiveAdmin(RescoreOnChangeAdmin, SimpleHistoryAdmin):
    list_display = ("title", "category", "metric", "baseline", "target", "period", "active")
    list_filter = ("category", "active", "period")
    search_fields = ("title",)


class GoalLinkInline(admin.TabularInline):
    model = GoalLink
    extra = 0


@admin.register(Goal)
class GoalAdmin(RescoreOnChangeAdmin, SimpleHistoryAdmin):
    list_display = ("title", "department", "period", "weight", "status")
    list_filter = ("status", "period", "department")
    list_select_related = ("department", "period")
    search_fields = ("title",)
    inlines = [GoalLinkInline]


@admin.register(GoalLink)
class GoalLinkAdmin(RescoreOnChangeAdmin, SimpleHistoryAdmin):
    list_display = ("goal", "objective", "kind", "strength")
    list_select_related = ("goal", "objective")

    def _department_id(self, obj):
        return obj.goal.department_id


@admin.register(CheckIn)
class CheckInAdmin(RescoreOnChangeAdmin, SimpleHistoryAdmin):
    list_display = ("goal", "value", "confidence", "by", "at")
    list_select_related = ("goal", "by")

    def _department_id(self, obj):
        return obj.goal.department_id


@admin.register(CompensationLever)
class CompensationLeverAdmin(RescoreOnChangeAdmin, SimpleHistoryAdmin):
    list_display = ("manager", "department", "goal", "share", "signed_off")
    list_filter = ("signed_off", "department")
    list_select_related = ("manager", "department", "goal")


@admin.register(AlignmentScore)
class AlignmentScoreAdmin(admin.ModelAdmin):
    list_display = ("department", "score", "computed_at")
    list_filter = ("department",)
    readonly_fields = ("department", "score", "components", "reasons", "fingerprint", "computed_at")

    def has_add_permission(self, request):
        return False


@admin.register(RecomputeJob)
class RecomputeJobAdmin(admin.ModelAdmin):
    list_display = ("pk", "state", "requested_by", "created_at", "finished_at")
    list_filter = ("state",)
    readonly_fields = ("state", "requested_by", "created_at", "started_at", "finished_at", "result", "error")

    def has_add_permission(self, request):
        return False
