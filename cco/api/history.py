"""`GET …/<id>/history/` on a viewset: the object's changes, as its page shows them (cco.history).

The action loads the object with `get_object()`, so the viewset's queryset and object rules apply: a viewset that
adds the mixin names the rule in its `rules` (`"history": "view_department"`, whoever may read the object). A viewset
whose page shows more than the object's own history (a goal's, with its links') says so in `history_of`, as the page
does.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from cco.history import DEFAULT_LIMIT, ChangeHistory, change_history


class FieldChangeSerializer(serializers.Serializer):
    label = serializers.CharField(
        help_text="The field's name as the pages show it; a goal's links read 'Link to “<objective>”' (added or "
        "removed) or 'Link to “<objective>” · <field>' (changed)."
    )
    before = serializers.CharField(allow_blank=True, help_text="The value before the change; empty for none.")
    after = serializers.CharField(allow_blank=True, help_text="The value after the change; empty for none.")


class ChangeSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    who = serializers.CharField(help_text='Full name (or username) of who made the change; "system" when unknown.')
    kind = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    fields = FieldChangeSerializer(many=True, help_text="What changed; on creation, the values it started with.")


class ChangeHistorySerializer(serializers.Serializer):
    changes = ChangeSerializer(many=True, help_text=f"The newest {DEFAULT_LIMIT} changes, newest first.")
    older = serializers.IntegerField(help_text="How many older changes are not shown.")


class HistoryMixin:
    """Adds the `history` action to a viewset."""

    @extend_schema(
        summary="Who changed this object, what and when (newest first).",
        description=(
            "The object's history, field by field: each change with when, who and its kind (created, changed, "
            "deleted); at most the newest 50, `older` counts the rest. A goal's includes its links' changes (added, "
            "removed, changed, reviewed by the CCO), named by their objectives. Whoever may read the object may read "
            "it."
        ),
        request=None,
        responses=ChangeHistorySerializer,
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, *args, **kwargs):
        changes = self.history_of(self.get_object())
        return Response(ChangeHistorySerializer({"changes": changes, "older": changes.older}).data)

    def history_of(self, obj) -> ChangeHistory:
        """The changes the object's page shows."""
        return change_history(obj)
