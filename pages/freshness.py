"""How fresh the scores on screen are, and whether they may be out of date; for the dashboard's status line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from scoring.liveness import moments, scoring_health


@dataclass(frozen=True)
class Freshness:
    computed_at: datetime | None  # the newest snapshot, alignment or empowerment
    pending: bool  # a recompute is on its way and something is alive to run it
    warning: str | None = None  # why the scores may be out of date (queue unreachable, no worker, changes owed)
    last_score_id: int | None = None  # the alignment snapshot stored last: any new score moves it

    @property
    def key(self) -> tuple:
        """What tells one state of the scores and of the status line from another (a kept page's key; the warning
        by a digest, since a cache key holds no spaces)."""
        warning = hashlib.sha256(self.warning.encode()).hexdigest()[:16] if self.warning else ""
        return (self.last_score_id, self.computed_at.isoformat() if self.computed_at else "", self.pending, warning)


def freshness() -> Freshness:
    """When the scores on screen were computed, whether a recompute is on its way, and whether the scores may be
    out of date (one query, and a Redis call with a broker: scoring.liveness)."""
    read = moments()
    health = scoring_health(read)
    warning = health.warning
    return Freshness(
        computed_at=max((moment for moment in (read.scored_at, read.empowered_at) if moment), default=None),
        pending=health.pending and not warning,
        warning=warning,
        last_score_id=read.last_score_id,
    )
