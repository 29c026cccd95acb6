"""The demo's customer outcomes: values of the CCO's objectives over the quarter, one of them fed by a data source.

So that the dashboard's "Is the strategy working?" scorecard has values and trends on a fresh `make run`, and the
survey platform shows a metric feed at work. Idempotent like the rest of the demo: an objective that already has a
reading, or a metric that already exists, is left as it is, whatever users did to them since.
"""

from __future__ import annotations

from decimal import Decimal

from goals.models import CustomerObjective, ObjectiveReading, Period
from goals.outcome_services import objective_reading_record
from goals.services import objective_update
from mandates.feeds import metric_add, readings_ingest
from mandates.models import DataSource

# objective key -> its values 60, 30 and 3 days ago (oldest first); "sat" arrives from the survey platform's feed.
OUTCOME_VALUES = {
    "acq": (405, 432, 451),
    "sat": (78.4, 79.6, 80.9),
    "ret": (82.0, 82.6, 82.3),
    "ret2": (14.0, 13.1, 12.4),
    "pro": (4210, 4260, 4330),
    "gap": (18.0, 17.5, 16.0),
}
DAYS_AGO = (60, 30, 3)
FED = ("sat", "Satisfaction survey platform", "csat")


def demo_outcomes(users, objectives: dict[str, CustomerObjective], period: Period, reading_times) -> None:
    times = reading_times(period, *DAYS_AGO)
    fed_key, source_name, metric = FED
    source = DataSource.objects.filter(name=source_name).first()
    if source is not None and not source.metrics.filter(name=metric).exists():
        metric_add(actor=users["cco"], source=source, name=metric, unit="%")
        objective = objectives[fed_key]
        if not objective.data_source_id and not ObjectiveReading.objects.filter(objective=objective).exists():
            objective_update(
                actor=users["cco"], objective=objective, data={"data_source": source, "source_metric": metric}
            )
            rows = [
                {"metric": metric, "at": at, "value": value}
                for at, value in zip(times, OUTCOME_VALUES[fed_key], strict=True)
            ]
            readings_ingest(source=source, rows=_one_per_moment(period, rows))
    for key, values in OUTCOME_VALUES.items():
        objective = objectives.get(key)
        if key == fed_key or objective is None or ObjectiveReading.objects.filter(objective=objective).exists():
            continue
        for at, value in _distinct(zip(times, values, strict=True)):
            objective_reading_record(actor=users["cco"], objective=objective, value=Decimal(str(value)), at=at)


def _one_per_moment(period: Period, rows: list[dict]) -> list[dict]:
    """Early in a quarter the three moments can coincide (demo.build spreads them from its start): keep one each."""
    return [{**row, "at": at} for at, row in _distinct((row["at"], row) for row in rows)]


def _distinct(pairs):
    seen, kept = set(), []
    for at, value in pairs:
        if at not in seen:
            seen.add(at)
            kept.append((at, value))
    return kept
