"""How fresh the scores on screen are, and whether they may be out of date; for the dashboard's status line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mandates.models import EmpowermentSnapshot
from scoring.liveness import scoring_health
from scoring.selectors import newest_first


@dataclass(frozen=True)
class Freshness:
    computed_at: datetime | None  # the newest snapshot, alignment or empowerment
    pending: bool  # a recompute is on its way and something is alive to run it
    warning: str | None = None  # why the scores may be out of date (queue unreachable, no worker, changes owed)


def freshness() -> Freshness:
    """When the scores on screen were computed, whether a recompute is on its way, and whether the scores may be
    out of date (two queries, and two more with a broker: scoring.liveness)."""
    moments = [
        newest_first().values_list("computed_at", flat=True)[:1],
        EmpowermentSnapshot.objects.order_by("-computed_at").values_list("computed_at", flat=True)[:1],
    ]
    found = [moment for query in moments for moment in query]
    health = scoring_health()
    warning = health.warning
    return Freshness(computed_at=max(found, default=None), pending=health.pending and not warning, warning=warning)
