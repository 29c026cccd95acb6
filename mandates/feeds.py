"""Metric feeds: readings pushed to a data source become check-ins of the goals and objectives bound to its metrics.

A batch is taken whole or not at all. Every row is checked first (metric known, time and value valid, no second
value for a (metric, at) already stored or sent twice in the batch); any bad row refuses the batch with the errors
of each bad row, and nothing is stored. A row already stored with the same value is counted as unchanged, so a
batch sent again stores nothing new. Then, in one transaction: the new readings, a check-in (marked with its
source) for each bound goal or objective whose reading window holds the reading, each goal's latest reading, and
the source's freshness (its newest reading), from which the mandate checklist is evaluated again.

Bulk writes throughout: 10,000 readings in one batch are a handful of queries (`make bench` times it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from simple_history.utils import bulk_create_with_history

from cco.permissions import ensure_can
from goals.models import (
    EARLIEST_READING,
    MAX_MAGNITUDE_DIGITS,
    READING_CLOCK_SKEW,
    CheckIn,
    Confidence,
    CustomerObjective,
    Goal,
    GoalStatus,
    ObjectiveReading,
    refresh_latest_readings,
)

from .models import DataSource, Reading, SourceMetric
from .services import empowerment_refresh

MAX_BATCH = 50_000  # rows in one request or file; more is a mistake or an attack, and is refused whole
MAX_ERRORS_LISTED = 100  # a batch with more bad rows lists the first ones and says how many in all


class BatchRefused(ValidationError):
    """The whole batch was refused; `rows` lists each bad row's number (from 1) and its field errors."""

    def __init__(self, rows: list[dict], total: int, message: str = ""):
        self.rows, self.total = rows, total
        super().__init__(message or f"{total} row{'s' if total != 1 else ''} refused; nothing was stored.")


@dataclass(frozen=True)
class BatchResult:
    received: int
    stored: int  # new readings
    unchanged: int  # already stored with the same value
    check_ins: int  # goal check-ins made from the new readings
    objective_readings: int  # objective readings made from them
    newest: datetime | None  # the source's newest reading after the batch


@dataclass(frozen=True)
class _Row:
    metric: SourceMetric
    at: datetime
    value: Decimal


def _parse_at(raw) -> datetime | None:
    if isinstance(raw, datetime):
        moment = raw
    elif isinstance(raw, str):
        moment = parse_datetime(raw.strip())
        if moment is None and (day := parse_date(raw.strip())) is not None:
            moment = datetime.combine(day, datetime.min.time())
    else:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _parse_value(raw) -> Decimal | None:
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value.adjusted() >= MAX_MAGNITUDE_DIGITS - 4:
        return None
    return value.quantize(Decimal("0.0001"))


def _check_rows(source: DataSource, rows: list) -> tuple[list[_Row], list[dict]]:
    """Each row parsed, or its errors; keyed by the row's number from 1."""
    metrics = {metric.name: metric for metric in source.metrics.all()}
    known = ", ".join(sorted(metrics)) or "none yet; add one on the data source's page"
    latest_allowed = timezone.now() + READING_CLOCK_SKEW
    parsed, errors = [], []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            errors.append({"row": number, "errors": {"row": ["Each reading is an object with metric, at and value."]}})
            continue
        problems: dict[str, list[str]] = {}
        metric = metrics.get(str(row.get("metric", "")).strip())
        if metric is None:
            problems["metric"] = [f"{source} has no metric named “{row.get('metric', '')}” (it has: {known})."]
        at = _parse_at(row.get("at"))
        if at is None:
            problems["at"] = ["Give the time of the reading as an ISO 8601 date or date-time, e.g. 2026-11-24T09:00Z."]
        elif not EARLIEST_READING <= at <= latest_allowed:
            problems["at"] = ["A reading is dated between 2000 and now."]
        value = _parse_value(row.get("value"))
        if value is None:
            problems["value"] = [f"Give the value as a number with fewer than {MAX_MAGNITUDE_DIGITS - 4} digits."]
        if problems:
            errors.append({"row": number, "errors": problems})
        else:
            parsed.append((number, _Row(metric, at, value)))
    return parsed, errors


def _new_rows(parsed: list[tuple[int, _Row]], errors: list[dict]) -> tuple[list[_Row], int]:
    """Drop rows already stored (or sent twice) with the same value; a second value for the same moment is an error."""
    stored: dict[tuple[int, datetime], Decimal] = {}
    by_metric: dict[int, list[datetime]] = {}
    for _, row in parsed:
        by_metric.setdefault(row.metric.pk, []).append(row.at)
    if by_metric:
        match = Q()
        for metric_id, moments in by_metric.items():
            match |= Q(metric_id=metric_id, at__gte=min(moments), at__lte=max(moments))
        for metric_id, at, value in Reading.objects.filter(match).values_list("metric_id", "at", "value"):
            stored[(metric_id, at)] = value
    new, unchanged, seen = [], 0, {}
    for number, row in parsed:
        key = (row.metric.pk, row.at)
        earlier = stored.get(key, seen.get(key))
        if earlier is None:
            seen[key] = row.value
            new.append(row)
        elif earlier == row.value:
            unchanged += 1
        else:
            errors.append(
                {
                    "row": number,
                    "errors": {
                        "value": [
                            f"{row.metric.name} already has the value {earlier.normalize():f} at {row.at.isoformat()}; "
                            "a reading is never overwritten."
                        ]
                    },
                }
            )
    return new, unchanged


def readings_ingest(*, source: DataSource, rows: list, actor=None) -> BatchResult:
    """Take a batch of readings `[{"metric", "at", "value"}, …]` for `source`, whole or not at all.

    `actor` is the person uploading (the permission to change the source is checked), or None when a feed token
    scoped to `source` authenticated the request (the API view checks the token)."""
    if actor is not None:
        ensure_can(actor, "change_datasource", source)
    if not isinstance(rows, list) or not rows:
        raise BatchRefused([], 0, "Send a non-empty list of readings.")
    if len(rows) > MAX_BATCH:
        raise BatchRefused([], len(rows), f"A batch holds at most {MAX_BATCH:,} readings; split it.")
    with transaction.atomic():
        # One batch per source at a time: the check for readings already stored holds until this one is stored.
        source = DataSource.objects.select_for_update().get(pk=source.pk)
        parsed, errors = _check_rows(source, rows)
        new, unchanged = _new_rows(parsed, errors)
        if errors:
            errors.sort(key=lambda error: error["row"])
            raise BatchRefused(errors[:MAX_ERRORS_LISTED], len(errors))
        Reading.objects.bulk_create([Reading(metric=r.metric, at=r.at, value=r.value) for r in new])
        check_ins = _goal_check_ins(source, new)
        objective_readings = _objective_readings(source, new)
        if new:  # the source is as fresh as its newest reading, whatever date was typed before it had a feed
            source.last_refreshed_at = source.newest_reading_at()
            source.save(update_fields=["last_refreshed_at"])
    if new:
        empowerment_refresh()  # the checklist judges the source's freshness
    return BatchResult(len(rows), len(new), unchanged, check_ins, objective_readings, source.last_refreshed_at)


def _source_label(source: DataSource, metric: str) -> str:
    return f"{source.name}: {metric}"


def _in_window(period, rows: Iterable[_Row]) -> list[_Row]:
    begins, ends = CheckIn.reading_window(period)
    return [row for row in rows if begins <= row.at < ends]


def _goal_check_ins(source: DataSource, new: list[_Row]) -> int:
    """A check-in for each bound goal (not archived) per new reading in its window; its confidence stays the one
    the head last gave (a number says nothing about confidence), on track before any."""
    by_metric: dict[str, list[_Row]] = {}
    for row in new:
        by_metric.setdefault(row.metric.name, []).append(row)
    goals = list(
        Goal.objects.filter(data_source=source, source_metric__in=list(by_metric))
        .exclude(status=GoalStatus.ARCHIVED)
        .select_related("period")
    )
    check_ins = [
        CheckIn(
            goal=goal,
            value=row.value,
            at=row.at,
            confidence=goal.current_confidence or Confidence.ON_TRACK,
            source=_source_label(source, goal.source_metric),
        )
        for goal in goals
        for row in _in_window(goal.period, by_metric[goal.source_metric])
    ]
    if check_ins:
        bulk_create_with_history(check_ins, CheckIn, batch_size=1000)
        refresh_latest_readings(Goal.objects.filter(pk__in={c.goal_id for c in check_ins}))
    return len(check_ins)


def _objective_readings(source: DataSource, new: list[_Row]) -> int:
    by_metric: dict[str, list[_Row]] = {}
    for row in new:
        by_metric.setdefault(row.metric.name, []).append(row)
    objectives = CustomerObjective.objects.filter(data_source=source, source_metric__in=list(by_metric)).select_related(
        "period"
    )
    readings = [
        ObjectiveReading(
            objective=objective, value=row.value, at=row.at, source=_source_label(source, objective.source_metric)
        )
        for objective in objectives
        for row in _in_window(objective.period, by_metric[objective.source_metric])
    ]
    if readings:
        bulk_create_with_history(readings, ObjectiveReading, batch_size=1000)
    return len(readings)


# --- CSV ------------------------------------------------------------------------------------------------

CSV_COLUMNS = ("metric", "at", "value")


def readings_from_csv(upload: bytes | str) -> list[dict]:
    """The rows of a CSV file with the header metric,at,value (any order, extra columns ignored); refused whole
    when it is not such a file."""
    text = upload.decode("utf-8-sig", errors="replace") if isinstance(upload, bytes) else upload
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in CSV_COLUMNS if column not in header]
    if missing:
        raise BatchRefused([], 0, f"The file needs the columns metric, at and value (missing: {', '.join(missing)}).")
    reader.fieldnames = header
    return [{key: (row.get(key) or "").strip() for key in CSV_COLUMNS} for row in reader]


def metric_add(*, actor, source: DataSource, name: str, unit: str = "") -> SourceMetric:
    """Name a metric the source's feed may send."""
    ensure_can(actor, "change_datasource", source)
    metric = SourceMetric(data_source=source, name=(name or "").strip(), unit=(unit or "").strip())
    metric.full_clean()
    metric.save()
    return metric
