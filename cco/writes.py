"""The two steps every service's write shares: assign only the fields a caller may set, validate, then save."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError


def assign_fields(instance, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Set `data` on `instance`, refusing (by field name) anything outside `allowed`."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))
    for name, value in data.items():
        setattr(instance, name, value)


def save_validated(instance, *, actor, exclude: Iterable[str] = ()) -> None:
    """full_clean() then save(), recording `actor` in the change history."""
    instance.full_clean(exclude=list(exclude))
    instance._history_user = actor
    instance.save()


def delete_recorded(instance, *, actor) -> None:
    """Delete, recording `actor` in the change history."""
    instance._history_user = actor
    instance.delete()
