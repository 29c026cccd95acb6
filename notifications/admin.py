"""What was sent, for reading (the senders write it), and people's choices (each person sets their own on their
profile page)."""

from django.contrib import admin

from cco.admin_mixins import ViewOnlyAdmin

from .models import Notice, NotificationPreference


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    list_display = ("user", "check_in_reminders", "escalations", "weekly_digest", "updated_at")


@admin.register(Notice)
class NoticeAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    list_display = ("sent_at", "kind", "user", "goal")
    list_filter = ("kind",)
    list_select_related = ("user", "goal")
