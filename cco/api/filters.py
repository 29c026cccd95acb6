"""Filter pieces every app's API shares."""

from __future__ import annotations

from datetime import UTC

from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField


class _InRangeIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time that must still exist once moved to UTC (0001-01-01T00:00+14:00 does not)."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None and value.tzinfo is not None:
            try:
                value.astimezone(UTC)
            except OverflowError:
                raise ValidationError("Date/time out of range.", code="overflow") from None
        return value


class IsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = _InRangeIsoDateTimeField
