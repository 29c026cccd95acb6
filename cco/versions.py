"""Versions of the objects two people may edit at once (goals, levers, mandate items): one definition for the
API's ETag and the web forms' hidden `version`, and the one check that refuses a save made from a stale read."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from .wording import person

STALE_CODE = "stale"


def version_of(instance) -> str:
    """Changes on every save of the object (its `updated_at`)."""
    stamp = f"{instance._meta.label_lower}:{instance.pk}:{instance.updated_at.isoformat()}"
    return hashlib.sha256(stamp.encode()).hexdigest()[:32]


def unchanged(read: str, saved) -> bool:
    """Whether a save made from the version `read` wrote nothing: `saved` is still at it (cco.writes.save_validated
    leaves an object whose values all stay as they are unsaved)."""
    return bool(read) and version_of(saved) == read


def nothing_changed(instance) -> str:
    """What a page says after a save that changed nothing (so its history has no new entry)."""
    return f"Nothing changed: “{instance}” is as it was."


def ensure_current_version(instance, expected: str) -> None:
    """Lock the object's row and refuse (ValidationError, code "stale") when it was saved since the `expected`
    version was read, saying who changed what; call it inside the transaction that then saves the object."""
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    if expected and version_of(current) == expected:
        return
    raise ValidationError({NON_FIELD_ERRORS: [ValidationError(stale_message(current, expected), code=STALE_CODE)]})


def stale_message(current, expected: str) -> str:
    """One sentence naming who saved the object since `expected` and the fields they changed (from its history)."""
    records = list(current.history.select_related("history_user").order_by("-history_date", "-history_id")[:50])
    loaded = next((i for i, record in enumerate(records) if version_of(record.instance) == expected), None)
    if not expected or loaded is None or loaded == 0:
        return f"“{current}” was changed by someone else since you opened this page, so nothing was saved."
    newer, base = records[:loaded], records[loaded]
    people = sorted({_name(record.history_user) for record in newer})
    changes = [
        f"{current._meta.get_field(change.field).verbose_name}: {_shown(change.old)} → {_shown(change.new)}"
        for change in newer[0].diff_against(base).changes
        if change.field != "updated_at"
    ]
    what = "; ".join(changes) if changes else "details shown elsewhere on its page (such as its links)"
    return (
        f"{' and '.join(people)} changed “{current}” since you opened this page ({what}), so nothing was saved. "
        "The values below are yours; check them against the change and save again."
    )


def _name(user) -> str:
    return person(user)


def _shown(value) -> str:
    if isinstance(value, Decimal):
        value = format(value.normalize(), "f")
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 60 else text[:57] + "…"
