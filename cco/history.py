"""Who changed what and when, for people: an object's django-simple-history rows as field-level changes.

Works on any model with `history = HistoricalRecords()` and imports no app. The rows are read in one query (with
who made each change); consecutive rows are compared in Python (`diff_against`); the objects foreign keys point to
are named with one query per field that changed, whatever the number of changes. Pages and the API show the same
data (`templates/partials/_history.html`, `cco.api.history`). A history that merges in related objects' (a goal's,
with its links': goals.history) is built from the same parts: `object_versions` and `field_changes`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import timezone

DEFAULT_LIMIT = 50
MAX_VALUE_LENGTH = 300
# Bookkeeping, not something a person changed.
NOISE_FIELDS = frozenset({"id", "created_at", "updated_at"})
KINDS = {"+": "created", "~": "changed", "-": "deleted"}
SYSTEM = "system"


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    name: str = field(default="", compare=False)  # the model field's name, for a caller that regroups changes


@dataclass(frozen=True)
class Change:
    at: datetime
    who: str
    kind: str
    fields: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class Version:
    """One history row and the change a person reads in it, for a caller that merges histories (goals.history)."""

    row: Any
    change: Change


class ChangeHistory(list):
    """The newest changes first (a list of Change); `older` counts the earlier ones left out."""

    def __init__(self, changes=(), *, older: int = 0):
        super().__init__(changes)
        self.older = older


def change_history(obj, *, limit: int = DEFAULT_LIMIT) -> ChangeHistory:
    """The newest `limit` changes of `obj`, newest first, each with who made it and what it changed.

    A creation lists the values the object started with; a change lists each field that differs from the
    version before it (labelled with the field's verbose name, choices by their labels, foreign keys by the
    related object's name, "#id" when that object no longer exists); a deletion lists what differed, if anything.
    Bookkeeping fields (id, created_at, updated_at, the history's own columns) are left out.
    """
    versions, total = object_versions(obj, limit=limit)
    return ChangeHistory([version.change for version in versions], older=total - len(versions))


def object_versions(obj, *, limit: int = DEFAULT_LIMIT) -> tuple[list[Version], int]:
    """The newest `limit` versions of `obj`, newest first, as change_history describes them, and how many versions
    it has in all (counted only when there are more than `limit`)."""
    limit = max(1, int(limit))
    rows = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    shown = rows[:limit]
    total = obj.history.count() if len(rows) > limit else len(rows)
    pairs = [(row, rows[index + 1] if index + 1 < len(rows) else None) for index, row in enumerate(shown)]
    described = field_changes(type(obj), pairs, loaded=obj)
    versions = [
        Version(
            row,
            Change(
                at=row.history_date,
                who=who(row.history_user),
                kind=KINDS.get(row.history_type, "changed"),
                fields=fields,
            ),
        )
        for row, fields in zip(shown, described, strict=True)
    ]
    return versions, total


def field_changes(model, pairs, *, names: list[str] | None = None, loaded=None) -> list[list[FieldChange]]:
    """For each (row, previous) pair of `model`'s history rows, the fields of `names` (by default every field a person
    can change) that differ, in the model's field order; against no previous row, the non-empty values `row` holds.

    The objects foreign keys point to are named with one query per foreign-key field, whatever the number of pairs,
    and none for one already loaded with `loaded` (an instance of `model`, select_related).
    """
    names = tracked_fields(model) if names is None else names
    raw = [_field_differences(row, previous, names) for row, previous in pairs]
    related = _related_names(model, raw, loaded)
    return [
        [
            FieldChange(
                label=_label(model._meta.get_field(name)),
                before=_shown(model._meta.get_field(name), before, related),
                after=_shown(model._meta.get_field(name), after, related),
                name=name,
            )
            for name, before, after in differences
        ]
        for differences in raw
    ]


def tracked_fields(model) -> list[str]:
    """The concrete, editable fields a person can change (no many-to-many: diffing those costs a query per row)."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in NOISE_FIELDS and not f.name.startswith("history_")
    ]


def _field_differences(row, previous, names: list[str]) -> list[tuple[str, object, object]]:
    """(field name, before, after) in the model's field order; against nothing, the non-empty starting values."""
    if previous is None:
        return [(name, None, value) for name in names if (value := _value(row, name)) not in (None, "")]
    delta = row.diff_against(previous, included_fields=names)
    changed = {change.field: change for change in delta.changes}
    return [(name, changed[name].old, changed[name].new) for name in names if name in changed]


def _value(row, name: str):
    model_field = row._meta.get_field(name)
    return getattr(row, model_field.attname)


def _related_names(model, raw, loaded) -> dict[tuple[type, object], str]:
    """The name of every object a shown foreign key points to: at most one query per foreign-key field, not per
    change, and none for the related object the caller loaded with `loaded` (select_related)."""
    wanted: dict[str, set] = defaultdict(set)
    for differences in raw:
        for name, before, after in differences:
            if isinstance(model._meta.get_field(name), models.ForeignKey):
                wanted[name].update(value for value in (before, after) if value is not None)
    names: dict[tuple[type, object], str] = {}
    for name, ids in wanted.items():
        model_field = model._meta.get_field(name)
        related_model = model_field.related_model
        current = None if loaded is None else model_field.get_cached_value(loaded, default=None)  # no query
        if current is not None and current.pk in ids:
            names[(related_model, current.pk)] = _person_or_str(current)
            ids.discard(current.pk)
        if ids:
            for related in related_model._base_manager.filter(pk__in=ids):
                names[(related_model, related.pk)] = _person_or_str(related)
    return names


def who(user) -> str:
    """Who made a change, as a person reads it: their full name (or username), "system" for nobody."""
    if user is None:
        return SYSTEM
    return _person_or_str(user) or SYSTEM


def _person_or_str(related) -> str:
    full_name = getattr(related, "get_full_name", None)
    if callable(full_name) and hasattr(related, "get_username"):
        return (full_name() or related.get_username()).strip()
    return str(related)


def _label(model_field) -> str:
    return str(model_field.verbose_name)


def _shown(model_field, value, related: dict[tuple[type, object], str]) -> str:
    """A stored value as a person reads it; "" for nothing (the page shows a dash)."""
    if value is None or value == "":
        return ""
    if isinstance(model_field, models.ForeignKey):
        return related.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d %b %Y %H:%M") if timezone.is_aware(value) else f"{value:%c}"
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    text = str(value)
    return text if len(text) <= MAX_VALUE_LENGTH else text[: MAX_VALUE_LENGTH - 1] + "…"


def _number(value: Decimal) -> str:
    """30.00 → 30, 0.50 → 0.5 (as the pages' `num` filter shows numbers)."""
    try:
        return f"{value.normalize():f}"
    except InvalidOperation:
        return str(value)
