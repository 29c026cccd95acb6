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


def save_validated(instance, *, actor, exclude: Iterable[str] = (), always: bool = False) -> bool:
    """full_clean() then save(), recording `actor` in the change history; whether it saved.

    An existing object whose stored values all stay as they are is not saved (unless `always`): a form or request
    sent back unchanged adds no empty entry to its history, keeps its version (others' open pages stay current) and
    moves no cached read. `always` is for a change the object's own row does not hold (a goal's links)."""
    instance.full_clean(exclude=list(exclude))
    if not always and not instance._state.adding and not _differs_from_stored(instance):
        return False
    instance._history_user = actor
    instance.save()
    return True


def _differs_from_stored(instance) -> bool:
    """Whether any stored field but the bookkeeping ones Django sets itself (auto_now) would change."""
    names = [
        field.attname
        for field in instance._meta.concrete_fields
        if not field.primary_key and not getattr(field, "auto_now", False) and not getattr(field, "auto_now_add", False)
    ]
    stored = type(instance)._base_manager.filter(pk=instance.pk).values(*names).first()
    return stored is None or any(getattr(instance, name) != stored[name] for name in names)


def delete_recorded(instance, *, actor) -> None:
    """Delete, recording `actor` in the change history."""
    instance._history_user = actor
    instance.delete()
