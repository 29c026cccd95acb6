"""API tokens in the Django admin: who holds one, its prefix, when it was issued and when it expires.

Keys are stored hashed and never shown here; deleting a token revokes it. Tokens are issued through the API
(`POST /api/v1/tokens/`, which shows the key once), so there is no add or change form. This replaces the admin
django-rest-knox registers, which lists digests and shows a key in a message when one is added by hand.
"""

import knox.admin  # noqa: F401 - registers knox's own admin first, so that it can be replaced here
from django.contrib import admin
from knox.models import AuthToken

admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "token_key", "created", "expiry")
    list_select_related = ("user",)
    search_fields = ("user__username", "token_key")
    ordering = ("-created",)
    fields = ("user", "token_key", "created", "expiry")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
