"""How fresh the scores on screen are, and whether they may be out of date; for the dashboard's status line."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cco.templatetags.cco import isotime
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


def status_line(fresh: Freshness) -> SafeString:
    """The dashboard's status line, polled by htmx: every 2 s while a recompute is pending, every 15 s otherwise (also
    while the scores may be stale, so the page recovers by itself; pages.views.dashboard_status). Written in Python,
    and the same for the same state and "computed … ago": every view of the dashboard writes it afresh, and a
    template took a third of the time of a kept copy's view."""
    natural = naturaltime(fresh.computed_at) if fresh.computed_at else ""
    return _status_line(fresh.computed_at, fresh.pending, fresh.warning, natural)


@functools.lru_cache(maxsize=64)
def _status_line(computed_at: datetime | None, pending: bool, warning: str | None, natural: str) -> SafeString:
    since = "" if computed_at is None else str(computed_at.timestamp())
    poll = format_html("{}?since={}{}", reverse("dashboard-status"), since, "&was_pending=1" if pending else "")
    state = " stale" if warning else " pending" if pending else ""
    computed = (
        format_html(
            '<time datetime="{}" title="{}">{}</time>',
            isotime(computed_at),
            formats.localize(timezone.localtime(computed_at)),
            natural,
        )
        if computed_at
        else ""
    )
    if warning:
        last = format_html('<span class="muted">Last computed {}.</span>', computed) if computed else ""
        body = format_html('<strong class="stale-warning">Scores may be out of date.</strong> {} {}', warning, last)
    elif pending:
        body = format_html(
            '<span class="spinner" aria-hidden="true"></span> <strong>Recomputing…</strong> '
            '<span class="muted">the scores below will update by themselves.</span>'
        )
    elif computed:
        body = format_html("Computed {}", computed)
    else:
        body = format_html("Not computed yet.")
    return format_html(
        '<div id="freshness" class="freshness{}" role="status" aria-live="polite" hx-get="{}" hx-trigger="every {}"'
        ' hx-swap="outerHTML">{}</div>',
        state,
        poll,
        "2s" if pending else "15s",
        body,
    )
