"""A stable hash of plain data: how snapshots tell whether anything they depend on changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict


def fingerprint_of(*parts) -> str:
    """A stable hash of plain data (dataclasses, lists, dicts, numbers, strings)."""

    def plain(value):
        if hasattr(value, "__dataclass_fields__"):
            return plain(asdict(value))
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
        if isinstance(value, (list, tuple, set, frozenset)):
            items = [plain(v) for v in value]
            return sorted(items, key=json.dumps) if isinstance(value, (set, frozenset)) else items
        return value

    payload = json.dumps(plain(list(parts)), sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def digest(*parts) -> str:
    """A hash of values that are already plain and in a stable order (tuples, lists, numbers, strings): the fast
    path for fingerprints computed thousands of times per recompute."""
    payload = json.dumps(parts, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()
