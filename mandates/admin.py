"""The mandate in the Django admin, written through mandates.services (cco.admin_mixins).

The decision log and the empowerment snapshots are records: only the CCO's decisions and the recompute write
them, so here they are for reading only.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from cco.admin_mixins import ServiceAdmin, ViewOnlyAdmin

from . import feeds, services
from .models import DataSource, Decision, EmpowermentSnapshot, FeedToken, MandateItem, Reading, SourceMetric


@admin.register(MandateItem)
class MandateItemAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ("title", "kind", "status", "updated_by", "updated_at")
    rules = {"change": "change_mandateitem"}  # the nine items come with the product; the CCO records their state
    versioned = True  # two people may edit it at once: a stale change form is refused
    change_fields = ("status", "evidence")
    actions = ["confirm_status", "withdraw_confirmation"]

    def update(self, request, obj, data, version=None):
        return services.mandate_item_update(actor=request.user, item=obj, **data, version=version)

    @admin.action(description="Confirm the CCO's status of the selected items")
    def confirm_status(self, request, queryset):
        self._confirm(request, queryset, confirmed=True)

    @admin.action(description="Withdraw the confirmation of the selected items")
    def withdraw_confirmation(self, request, queryset):
        self._confirm(request, queryset, confirmed=False)

    def _confirm(self, request, queryset, *, confirmed: bool) -> None:
        """All or nothing, through the service (an executive or an admin, never the CCO; self-assessed items only)."""
        try:
            with transaction.atomic():
                for item in queryset.order_by("order"):
                    services.mandate_item_confirm(actor=request.user, item=item, confirmed=confirmed)
        except (ValidationError, PermissionDenied) as exc:
            reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            self.message_user(request, f"Nothing was changed. {reason}", level=messages.ERROR)
        else:
            done = "confirmed" if confirmed else "no longer confirmed"
            self.message_user(request, f"{queryset.count()} item(s) {done}.", level=messages.SUCCESS)


@admin.register(DataSource)
class DataSourceAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ("name", "category", "cco_has_access", "last_refreshed_at")
    list_filter = ("category", "cco_has_access")
    rules = {"add": "add_datasource", "change": "change_datasource", "delete": "delete_datasource"}
    create_fields = change_fields = services.DATA_SOURCE_FIELDS

    def create(self, request, data):
        return services.data_source_create(actor=request.user, data=data)

    def update(self, request, obj, data):
        return services.data_source_update(actor=request.user, source=obj, data=data)

    def delete(self, request, obj):
        services.data_source_delete(actor=request.user, source=obj)

    def delete_refusal(self, obj):
        return services.data_source_delete_refusal(obj)


@admin.register(Decision)
class DecisionAdmin(ViewOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("subject", "action", "department", "by", "at")
    list_filter = ("action",)
    list_select_related = ("department", "by")
    search_fields = ("subject", "department__name")


@admin.register(EmpowermentSnapshot)
class EmpowermentSnapshotAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    list_display = ("score", "computed_at")
    readonly_fields = ("score", "items", "fingerprint", "computed_at")


@admin.register(SourceMetric)
class SourceMetricAdmin(ServiceAdmin, admin.ModelAdmin):
    """Metrics are named through mandates.feeds (a metric with readings is kept: delete the source instead)."""

    list_display = ("name", "data_source", "unit")
    rules = {"add": "change_datasource"}
    create_fields = ("data_source", "name", "unit")

    def create(self, request, data):
        return feeds.metric_add(actor=request.user, source=data["data_source"], name=data["name"], unit=data["unit"])


@admin.register(Reading)
class ReadingAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """Readings arrive only through a feed or an upload (mandates.feeds), which checks them and checks goals in."""

    list_display = ("metric", "at", "value", "received_at")
    list_filter = ("metric__data_source",)


@admin.register(FeedToken)
class FeedTokenAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """Keys are issued and revoked on the data source's page, where the key is shown once."""

    list_display = ("name", "data_source", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("digest",)
