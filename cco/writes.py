"""The two steps every service's write shares: assign only the fields a caller may set, validate, then save; and
one change's history rows dated as one (one_change)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

# Inside one_change: the moment its first history row was written ([] until then); None outside.
_change_moment: ContextVar[list[datetime] | None] = ContextVar("change_moment", default=None)


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


@contextmanager
def one_change() -> Iterator[None]:
    """Date every history row written inside at one moment, that of the first: what a person changed in one go (a
    goal and its links, saved together) then reads as one change. A history tells which rows of related objects
    belong together by it (goals.history); a block inside another is part of the outer change."""
    if _change_moment.get() is not None:
        yield
        return
    token = _change_moment.set([])
    try:
        yield
    finally:
        _change_moment.reset(token)


@receiver(pre_create_historical_record, dispatch_uid="cco.writes.one_change")
def _dated_as_one_change(sender, history_instance, **kwargs) -> None:
    moment = _change_moment.get()
    if moment is None:
        return
    if moment:
        history_instance.history_date = moment[0]
    else:
        moment.append(history_instance.history_date)  # taken once the lock is held: rows stay in the order written
