"""Periods, objectives, goals and levers in the Django admin, written through goals.services (cco.admin_mixins).

Links are edited on the goal's page and through the API (with the CCO's reviews); check-ins are the heads' own
record. Both are shown here for reading only, like every field that records a decision (a lever's sign-off, a
goal's need for approval): those are set by the CCO's decisions in mandates.services.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from cco.admin_mixins import ServiceAdmin, ViewOnlyAdmin, ViewOnlyInline

from . import services
from .models import CheckIn, CompensationLever, CustomerObjective, Goal, GoalLink, Period


@admin.register(Period)
class PeriodAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ("name", "start", "end", "is_current")
    rules = {"add": "add_period", "change": "change_period"}
    create_fields = ("name", "start", "end", "is_current")
    change_fields = ("is_current",)

    def create(self, request, data):
        return services.period_create(actor=request.user, **data)

    def update(self, request, obj, data):
        if data["is_current"] == obj.is_current:
            return obj
        if not data["is_current"]:
            raise ValidationError({"is_current": "Make another period the current one instead."})
        return services.period_make_current(actor=request.user, period=obj)


@admin.register(CustomerObjective)
class CustomerObjectiveAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ("title", "category", "metric", "baseline", "target", "period", "active")
    list_filter = ("category", "active", "period")
    search_fields = ("title",)
    autocomplete_fields = ("owner",)
    rules = {"add": "add_customerobjective", "change": "change_customerobjective"}  # archived, never deleted
    create_fields = change_fields = services.OBJECTIVE_FIELDS

    def create(self, request, data):
        if data.get("owner") is None:
            data.pop("owner", None)  # the service makes its author the owner
        return services.objective_create(actor=request.user, data=data)

    def update(self, request, obj, data):
        return services.objective_update(actor=request.user, objective=obj, data=data)


class GoalLinkInline(ViewOnlyInline, admin.TabularInline):
    model = GoalLink


@admin.register(Goal)
class GoalAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ("title", "department", "period", "weight", "status")
    list_filter = ("status", "period")  # a department is searched for by name, not listed among 2,000
    list_select_related = ("department", "period")
    search_fields = ("title", "department__name")
    autocomplete_fields = ("department",)
    inlines = [GoalLinkInline]
    rules = {"add": "add_goal", "change": "change_goal", "delete": "delete_goal"}
    versioned = True  # two people may edit it at once: a stale change form is refused
    create_fields = ("department", *services.GOAL_FIELDS)
    change_fields = services.GOAL_FIELDS
    decision_fields = ("needs_approval",)

    def create(self, request, data):
        department = data.pop("department")
        return services.goal_create(actor=request.user, department=department, data=data)

    def update(self, request, obj, data, version=None):
        return services.goal_update(actor=request.user, goal=obj, data=data, version=version)

    def delete(self, request, obj):
        services.goal_delete(actor=request.user, goal=obj)

    def delete_refusal(self, obj):
        return services.goal_delete_refusal(obj)


@admin.register(GoalLink)
class GoalLinkAdmin(ViewOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("goal", "objective", "kind", "strength")
    list_select_related = ("goal", "objective")


@admin.register(CheckIn)
class CheckInAdmin(ViewOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("goal", "value", "confidence", "by", "at")
    list_select_related = ("goal", "by")


@admin.register(CompensationLever)
class CompensationLeverAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ("manager", "department", "goal", "share", "signed_off")
    list_filter = ("signed_off",)
    list_select_related = ("manager", "department", "goal")
    search_fields = ("department__name", "manager__username", "goal__title")
    autocomplete_fields = ("department", "manager", "goal")
    rules = {"add": "add_compensationlever", "change": "change_compensationlever", "delete": "delete_compensationlever"}
    versioned = True  # two people may edit it at once: a stale change form is refused
    create_fields = ("department", *services.LEVER_FIELDS)
    change_fields = services.LEVER_FIELDS
    decision_fields = ("signed_off", "signed_off_at", "signed_off_by")

    def create(self, request, data):
        department = data.pop("department")
        return services.lever_create(actor=request.user, department=department, data=data)

    def update(self, request, obj, data, version=None):
        return services.lever_update(actor=request.user, lever=obj, data=data, version=version)

    def delete(self, request, obj):
        services.lever_delete(actor=request.user, lever=obj)
