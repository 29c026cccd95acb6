"""Scores, recompute jobs and roll-over jobs record what the engine and the workers did: the admin shows them and
changes nothing."""

from django.contrib import admin

from cco.admin_mixins import ViewOnlyAdmin

from .models import AlignmentScore, RecomputeJob, RollOverJob


@admin.register(AlignmentScore)
class AlignmentScoreAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    list_display = ("department", "score", "computed_at")
    list_filter = ("period",)
    list_select_related = ("department",)
    search_fields = ("department__name",)


@admin.register(RecomputeJob)
class RecomputeJobAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    list_display = ("pk", "state", "requested_by", "created_at", "finished_at")
    list_filter = ("state",)


@admin.register(RollOverJob)
class RollOverJobAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    list_display = ("pk", "source", "target", "state", "requested_by", "created_at", "finished_at")
    list_filter = ("state",)
    list_select_related = ("source", "target", "requested_by")
