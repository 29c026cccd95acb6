"""The base of every API viewset: authenticated, the web's rules, writes through services."""

from __future__ import annotations

from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated

from .permissions import RulePermission


class ServiceViewSet(viewsets.GenericViewSet):
    """Subclasses add DRF's mixins and implement perform_create/perform_update/perform_destroy with services.

    After a write, `serializer.instance = self.fresh(obj)` so the response shows the object exactly as a
    read does (with its annotations).
    """

    permission_classes = [IsAuthenticated, RulePermission]
    metadata_class = None  # no OPTIONS introspection: the schema describes everything
    rules: dict[str, str | tuple[str, ...]] = {}

    def fresh(self, instance):
        return self.get_queryset().get(pk=instance.pk)


class ServiceModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ServiceViewSet,
):
    """List, retrieve, create, update and delete; subclasses leave out what has no service or rule."""
