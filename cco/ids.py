"""Ids read from requests (query strings, posted rows): plain ASCII digits only. `str.isdigit` also accepts "²" or
"٣", which `int()` then refuses (a 500 instead of a 404 or a field error), and an id too long for any column."""

from __future__ import annotations

MAX_ID_DIGITS = 18  # fits PostgreSQL's bigint


def plain_id(value) -> int | None:
    """`value` as an id when it is one written in plain digits, else None."""
    text = str(value) if isinstance(value, int | str) else ""
    if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS:
        return int(text)
    return None
