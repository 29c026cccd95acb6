"""Goals and scores as CSV: the columns of docs/csv.md, reading a department's goals and writing exports.

Reading turns each line of an uploaded file into a `GoalRow` (the values the goal services take, or the
problems found, each with its row number and column) without writing anything; `goals.goal_import.goals_import`
does the write. Row numbers are the spreadsheet's: the header is row 1, the first goal row 2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TextIO

from django.core.exceptions import ValidationError

from departments.models import Department

from .links import LinkInput, parse_links
from .models import CustomerObjective, Direction, GoalStatus, LinkKind, Period, finite

GOAL_COLUMNS = (
    "department",
    "period",
    "title",
    "description",
    "metric",
    "unit",
    "baseline",
    "target",
    "direction",
    "weight",
    "status",
    "current_value",
    "current_confidence",
    "last_check_in",
    "links",
)
REQUIRED_COLUMNS = ("title", "metric", "baseline", "target")
EXPORT_ONLY_COLUMNS = ("current_value", "current_confidence", "last_check_in")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 1000


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str


@dataclass
class GoalRow:
    number: int
    data: dict[str, Any] = field(default_factory=dict)
    links: list[LinkInput] | None = None  # None: the file has no `links` column, so the goal's links are kept
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))


# --- reading ------------------------------------------------------------------------------------------


def read_goal_rows(text: str, *, department: Department) -> tuple[list[GoalRow], list[RowError]]:
    """Parse a department's goals file; returns the rows and any problems with the file as a whole.

    Line endings may be CRLF, LF or a lone CR (old spreadsheet exports). A NUL character or a cell longer than
    csv's field limit refuses the file with the row it is on, never an error page.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        row = text.count("\n", 0, text.index("\x00")) + 1
        return [], [RowError(row, "", "This row contains a NUL character; save the file as plain CSV text.")]
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _read_goal_rows(reader, department=department)
    except csv.Error as exc:
        too_long = "field larger than field limit" in str(exc)
        message = f"A cell is longer than {csv.field_size_limit():,} characters." if too_long else f"Unreadable: {exc}."
        return [], [RowError(reader.line_num + 1, "", message)]  # the line being read when it failed


def _read_goal_rows(reader: csv.DictReader, *, department: Department) -> tuple[list[GoalRow], list[RowError]]:
    headers = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in headers]
    if missing:
        return [], [RowError(1, name, "This column is missing from the header row.") for name in missing]
    unknown = [name for name in headers if name and name not in GOAL_COLUMNS]
    if unknown:
        return [], [RowError(1, name, "Unknown column; see the CSV format for the columns.") for name in unknown]
    reader.fieldnames = headers
    periods = {p.name: p for p in Period.objects.all()}
    current = next((p for p in periods.values() if p.is_current), None)
    objectives: dict[tuple[int, str], CustomerObjective] = {
        (o.period_id, o.title.casefold()): o for o in CustomerObjective.objects.filter(active=True)
    }
    rows: list[GoalRow] = []
    seen_titles: dict[tuple[int, str], int] = {}
    for number, raw in enumerate(reader, start=2):
        if None in raw:
            rows.append(GoalRow(number, errors=[RowError(number, "", "This row has more cells than the header.")]))
            continue
        values = {key: _unescape((value or "").strip()) for key, value in raw.items()}
        if not any(values.values()):
            continue
        if len(rows) >= MAX_ROWS:
            return [], [RowError(number, "", f"The file has more than {MAX_ROWS} goals; split it.")]
        row = _read_row(number, values, department=department, periods=periods, current=current, objectives=objectives)
        period, title = row.data.get("period"), row.data.get("title")
        if period and title:
            key = (period.pk, title.casefold())
            if key in seen_titles:
                row.error("title", f"The same title is already on row {seen_titles[key]} for {period}.")
            seen_titles.setdefault(key, number)
        rows.append(row)
    return rows, []


def _read_row(
    number: int,
    values: Mapping[str, str],
    *,
    department: Department,
    periods: Mapping[str, Period],
    current: Period | None,
    objectives: Mapping[tuple[int, str], CustomerObjective],
) -> GoalRow:
    row = GoalRow(number)
    named = values.get("department", "")
    if named and named.casefold() != department.name.casefold():
        row.error("department", f"This row is for “{named}”; import it on that department's page.")
    for column in ("title", "metric"):
        if not values.get(column):
            row.error(column, "This field is required.")
        else:
            row.data[column] = values[column]
    for column in ("description", "unit"):
        if values.get(column):
            row.data[column] = values[column]
    for column in ("baseline", "target"):
        _read_number(row, column, values.get(column, ""), required=True)
    _read_number(row, "weight", values.get("weight", ""), required=False)
    _read_choice(row, "direction", values.get("direction", ""), Direction)
    _read_choice(row, "status", values.get("status", ""), GoalStatus)
    period_name = values.get("period", "")
    period = periods.get(period_name) if period_name else current
    if period is None:
        row.error(
            "period", f"There is no period named “{period_name}”." if period_name else "There is no current period."
        )
    else:
        row.data["period"] = period
        if "links" in values:
            _read_links(row, values["links"], period, objectives)
    return row


def _read_number(row: GoalRow, column: str, text: str, *, required: bool) -> None:
    if not text:
        if required:
            row.error(column, "This field is required.")
        return
    try:
        value = Decimal(text.replace(" ", ""))
    except InvalidOperation:
        row.error(column, f"“{text}” is not a number.")
        return
    if not finite(value):
        row.error(column, f"“{text}” is not a finite number of a sensible size.")
        return
    row.data[column] = value


def _read_choice(row: GoalRow, column: str, text: str, choices) -> None:
    """A choice by value or label; blank leaves the goal's value (the model's default for a new goal)."""
    if not text:
        return
    by_word = {value: value for value in choices.values} | {label.casefold(): value for value, label in choices.choices}
    value = by_word.get(text.casefold())
    if value is None:
        row.error(column, f"“{text}” is not one of: {', '.join(choices.values)}.")
    else:
        row.data[column] = value


def _read_links(
    row: GoalRow, text: str, period: Period, objectives: Mapping[tuple[int, str], CustomerObjective]
) -> None:
    """`objective title:kind:strength;...`; the title is an active objective of the row's period."""
    wanted: list[dict[str, Any]] = []
    for part in (piece.strip() for piece in text.split(";")):
        if not part:
            continue
        pieces = part.rsplit(":", 2)
        if len(pieces) != 3 or pieces[1].strip() not in LinkKind.values:
            row.error("links", f"“{part}” should read objective title:supports|conflicts:strength.")
            continue
        title, kind, strength = (piece.strip() for piece in pieces)
        objective = objectives.get((period.pk, title.casefold()))
        if objective is None:
            row.error("links", f"There is no active customer objective “{title}” in {period}.")
            continue
        wanted.append({"objective": objective, "kind": kind, "strength": strength})
    try:
        row.links = parse_links(wanted)
    except ValidationError as exc:
        for message in exc.message_dict.get("links", []):
            row.error("links", message)


def _unescape(text: str) -> str:
    """Undo the export's guard against spreadsheet formulas (a leading apostrophe)."""
    if text.startswith("'") and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


# --- writing ------------------------------------------------------------------------------------------


def csv_cell(value: Any) -> str:
    """One cell: numbers without trailing zeros, text guarded against formulas, empty for None."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float | int):
        return f"{value:g}"
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def links_cell(links: Iterable[tuple[str, str, Decimal]]) -> str:
    """A goal's links as the import reads them: objective title:kind:strength, separated by ";"."""
    return ";".join(f"{title}:{kind}:{format(strength.normalize(), 'f')}" for title, kind, strength in links)


def write_goals(goals: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    """Goals (goals.selectors.goals_for_export's rows) with their latest reading (current_value, current_confidence,
    last_check_in_at, kept on the goal)."""
    writer = csv.writer(out)
    writer.writerow(GOAL_COLUMNS)
    for goal in goals:
        at = goal["last_check_in_at"]
        writer.writerow(
            [
                csv_cell(goal["department__name"]),
                csv_cell(goal["period__name"]),
                csv_cell(goal["title"]),
                csv_cell(goal["description"]),
                csv_cell(goal["metric"]),
                csv_cell(goal["unit"]),
                csv_cell(goal["baseline"]),
                csv_cell(goal["target"]),
                goal["direction"],
                csv_cell(goal["weight"]),
                goal["status"],
                csv_cell(goal["current_value"]),
                goal["current_confidence"] or "",
                at.isoformat() if at else "",
                csv_cell(links_cell(goal["links"])),
            ]
        )
