"""The benchmark's arithmetic and its one table: percentiles, cells, the markdown file. Standard library only."""

from __future__ import annotations

import math
from collections.abc import Sequence

LEGEND = (
    "Pages and API lists: p50 / p95 latency over sequential requests by one client (n when fewer than asked) · "
    "response size · queries (one request, in-process, test client) · throughput as a share of the floor's "
    "(one client's requests per second of the page ÷ those of /bench/floor: the floor's median latency ÷ the page's, "
    "the floor timed alongside the page, one floor request before each of the page's). "
    "The signed-in floor's own share is the most any signed-in page can reach: it reads who asks and nothing else; "
    "so each page behind a login also gives its share of the signed-in floor's rate, in brackets."
)


def percentile(values: Sequence[float], share: float) -> float:
    """The `share` (0–1) percentile by linear interpolation between the closest ranks; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * share
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def duration(seconds: float | None) -> str:
    """Milliseconds below a second, seconds above: "7.4 ms", "312 ms", "2.41 s"; "–" for nothing."""
    if seconds is None or math.isnan(seconds):
        return "–"
    if seconds < 0.01:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count / 1024 / 1024:.1f} MB"


def page_cell(
    latencies: Sequence[float],
    *,
    asked: int,
    body_bytes: int,
    queries: int | None,
    share_of_floor: float | None,
    share_of_signed_in: float | None = None,
    error: str = "",
) -> str:
    """One page at one size, e.g. "41 ms / 55 ms · 120 KB · 18 q · 9% (40% signed in)"; a failure is said, not
    hidden."""
    if error and not latencies:
        return f"**{error}**"
    parts = [f"{duration(percentile(latencies, 0.5))} / {duration(percentile(latencies, 0.95))}"]
    if len(latencies) < asked:
        parts[0] += f" (n={len(latencies)})"
    parts.append(size(body_bytes))
    if queries is not None:
        parts.append(f"{queries} q")
    if share_of_floor is not None:
        parts.append(percent(share_of_floor))
        if share_of_signed_in is not None:
            parts[-1] += f" ({percent(share_of_signed_in)} signed in)"
    if error:
        parts.append(f"**{error}**")
    return " · ".join(parts)


def percent(share: float) -> str:
    """0.093 → "9%", 0.00037 → "0.037%"."""
    return f"{share:.0%}" if share >= 0.01 else f"{share * 100:.2g}%"


def markdown_table(sizes: Sequence[str], rows: Sequence[tuple[str, dict[str, str]]]) -> str:
    """Rows of figures, one column per size; a size a row has no figure for shows "–"."""
    lines = [
        "| figure | " + " | ".join(sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for label, cells in rows:
        values = [cells.get(name, "–").replace("|", "\\|") for name in sizes]
        lines.append(f"| {label} | " + " | ".join(values) + " |")
    return "\n".join(lines)


def departments_label(count: int) -> str:
    """The column heading of one size: "2,000 departments"."""
    return f"{count:,} departments"
