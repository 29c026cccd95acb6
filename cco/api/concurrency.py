"""Optimistic concurrency for objects two people may edit at once (goals, levers, mandate items).

Every response showing one such object carries an `ETag` derived from its primary key and `updated_at`.
PUT, PATCH and DELETE must send `If-Match` with that tag (428 without it; `*` accepts whatever is there).
The object is read again under a row lock inside the request's transaction and compared: a stale tag gets
412 and nothing is written, so of two people editing from the same version only the first one succeeds.
"""

from __future__ import annotations

from django.db import transaction
from rest_framework import status
from rest_framework.response import Response

from cco.versions import version_of

from .exceptions import PreconditionFailed, PreconditionRequired


def etag_for(instance) -> str:
    """A strong ETag for the row as last saved: its version (cco.versions), quoted."""
    return f'"{version_of(instance)}"'


def if_match_allows(header: str, current: str) -> bool:
    """RFC 9110 If-Match with strong comparison: `*`, or a comma-separated list that includes `current`."""
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or current in tags


class ConcurrencyMixin:
    """Retrieve and update for a viewset whose writes call services: ETags out, If-Match checked on the locked row."""

    etag_protected = True  # read by cco.api.schema to document the headers and 412/428

    def lock_for_write(self, instance):
        """Lock and re-read the row; viewsets lock parents first where the service does (same lock order)."""
        return type(instance).objects.select_for_update().get(pk=instance.pk)

    def check_precondition(self, request, instance) -> None:
        header = request.headers.get("If-Match")
        if header is None:
            raise PreconditionRequired()
        if not if_match_allows(header, etag_for(instance)):
            raise PreconditionFailed()

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return Response(self.get_serializer(instance).data, headers={"ETag": etag_for(instance)})

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            locked = self.lock_for_write(self.get_object())
            self.check_precondition(request, locked)
            serializer = self.get_serializer(locked, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            self.perform_update(serializer)
        instance = serializer.instance
        return Response(serializer.data, headers={"ETag": etag_for(instance)})

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


class ConcurrentCreateDestroyMixin(ConcurrencyMixin):
    """ConcurrencyMixin for viewsets that also create (ETag on the 201) and delete (If-Match required)."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        instance = serializer.instance
        return Response(serializer.data, status=status.HTTP_201_CREATED, headers={"ETag": etag_for(instance)})

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            locked = self.lock_for_write(self.get_object())
            self.check_precondition(request, locked)
            self.perform_destroy(locked)
        return Response(status=status.HTTP_204_NO_CONTENT)
