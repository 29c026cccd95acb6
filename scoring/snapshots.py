"""Storing alignment snapshots: read inputs, run the engine, keep a snapshot where anything changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cco.models import RecomputeRequest
from departments.locks import lock_all_departments
from goals.selectors import current_period

from .engine import score_organisation
from .inputs import Result
from .models import AlignmentScore
from .selectors import latest_scores, scoring_inputs

# A recompute settles at most this many owed requests; any left over are settled by the next one.
SETTLE_LIMIT = 10_000


@dataclass(frozen=True)
class Computation:
    computed_at: datetime  # when the inputs were read
    organisation: Result
    departments: dict[int, Result]
    period_id: int | None = None  # the period scored: the current one when the inputs were read


def scores_compute() -> Computation:
    """Score every department and the organisation from the current period's inputs (reads only)."""
    computed_at = timezone.now()
    period = current_period()
    organisation, departments = score_organisation(scoring_inputs(period=period))
    return Computation(computed_at, organisation, departments, period.pk if period else None)


@transaction.atomic
def scores_store(computation: Computation, *, settles: list[int] = ()) -> int:
    """Keep a snapshot for each department (and the organisation) whose fingerprint changed; returns how many.

    A computation that read older inputs than the stored snapshot never replaces it, so two workers racing
    each other leave the newest reading on top. `settles` are the owed requests (RecomputeRequest ids) that were
    committed before the inputs were read: this computation has scored them, so they are deleted with the store.
    """
    lock_all_departments()  # two recomputes must not both store the same new snapshot
    latest = latest_scores()
    candidates: list[tuple[int | None, Result]] = [*computation.departments.items(), (None, computation.organisation)]
    fresh = [
        AlignmentScore(
            department_id=department_id,
            score=result.score,
            components=result.components,
            reasons=result.reasons,
            fingerprint=result.fingerprint,
            computed_at=computation.computed_at,
            period_id=computation.period_id,
        )
        for department_id, result in candidates
        if _is_news(latest.get(department_id), result, computation)
    ]
    AlignmentScore.objects.bulk_create(fresh)
    RecomputeRequest.objects.filter(pk__in=settles).delete()
    return len(fresh)


def scores_recompute() -> dict:
    """Compute and store; a change in one department can move another's shared-objectives component, so
    every department is scored and compared by fingerprint. Returns counts for logs and the job endpoint.

    The owed requests are read before the inputs: each stands for a change committed before it became visible,
    so the inputs read next include that change. Requests committed later stay for the next recompute.
    """
    owed = list(RecomputeRequest.objects.order_by("pk").values_list("pk", flat=True)[:SETTLE_LIMIT])
    computation = scores_compute()
    stored = scores_store(computation, settles=owed)
    return {
        "departments": len(computation.departments),
        "snapshots": stored,
        "settled": len(owed),
        "computed_at": computation.computed_at.isoformat(),
    }


def recomputes_owed(*, older_than: float) -> bool:
    """Whether a change committed more than `older_than` seconds ago is still waiting to be scored."""
    cutoff = timezone.now() - timedelta(seconds=older_than)
    return RecomputeRequest.objects.filter(requested_at__lt=cutoff).exists()


def _is_news(previous: AlignmentScore | None, result: Result, computation: Computation) -> bool:
    """A snapshot is stored when nothing newer is stored and what it scored changed: its inputs, or its period (a
    new quarter starts its own trend even when its inputs fingerprint the same)."""
    if previous is None:
        return True
    changed = previous.fingerprint != result.fingerprint or previous.period_id != computation.period_id
    return changed and previous.computed_at < computation.computed_at
