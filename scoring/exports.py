"""The scores as CSV: the newest snapshot per department and for the organisation, with every component."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import TextIO

from goals.csv_io import csv_cell

from .inputs import DEPARTMENT_COMPONENTS, ORGANISATION_COMPONENTS
from .models import AlignmentScore

SCORE_COLUMNS = (
    "scope",
    "department",
    "score",
    "computed_at",
    *(f"{name}_{part}" for name in (*DEPARTMENT_COMPONENTS, *ORGANISATION_COMPONENTS) for part in ("value", "points")),
    "reasons",
)


def write_scores(scores: Mapping[int | None, AlignmentScore], names: Mapping[int, str], out: TextIO) -> None:
    """The latest snapshot per department (by name) and for the organisation (first row)."""
    ordered = sorted(scores.items(), key=lambda item: (item[0] is not None, names.get(item[0] or 0, "")))
    write_snapshots((snapshot for _, snapshot in ordered), names, out)


def write_snapshots(snapshots: Iterable[AlignmentScore], names: Mapping[int, str], out: TextIO) -> None:
    """One row per snapshot, in the order given (a history for a date range, or the latest scores)."""
    writer = csv.writer(out)
    writer.writerow(SCORE_COLUMNS)
    for snapshot in snapshots:
        department_id = snapshot.department_id
        components = snapshot.components or {}
        cells = []
        for name in (*DEPARTMENT_COMPONENTS, *ORGANISATION_COMPONENTS):
            part = components.get(name, {})
            cells += [csv_cell(part.get("value")), csv_cell(part.get("points"))]
        writer.writerow(
            [
                "organisation" if department_id is None else "department",
                csv_cell(names.get(department_id, "")) if department_id else "",
                csv_cell(snapshot.score),
                snapshot.computed_at.isoformat(),
                *cells,
                csv_cell(" | ".join(snapshot.reasons or [])),
            ]
        )
