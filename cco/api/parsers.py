"""The API's JSON parser: DRF's, with a bound on nesting. Python's json module recurses once per level, so a
body nested a thousand deep raises RecursionError (a 500) instead of a parse error; no request of this API nests
more than a few levels."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_NESTING = 32


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(f"JSON parse error - nested more than {MAX_NESTING} levels deep.") from exc
        if _depth(data) > MAX_NESTING:
            raise ParseError(f"JSON parse error - nested more than {MAX_NESTING} levels deep.")
        return data


def _depth(value, level: int = 0) -> int:
    """Nesting depth, stopping as soon as it passes MAX_NESTING (so it never recurses deeply itself)."""
    if level > MAX_NESTING or not isinstance(value, dict | list):
        return level
    children = value.values() if isinstance(value, dict) else value
    return max((_depth(child, level + 1) for child in children), default=level + 1)
