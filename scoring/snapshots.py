"""Storing alignment snapshots: read inputs, run the engine, keep a snapshot where anything changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cco.models import RecomputeRequest
from departments.locks import lock_all_departments
from goals.selectors import current_period

from .engine import organisation_result, score_departments, score_organisation
from .inputs import Result
from .liveness import moments_changed
from .models import AlignmentScore
from .selectors import Stamp, departments_to_rescore, departments_with_latest_score, latest_stamps, scoring_inputs

# A recompute settles at most this many owed requests; any left over are settled by the next one.
SETTLE_LIMIT = 10_000


@dataclass(frozen=True)
class Computation:
    computed_at: datetime  # when the inputs were read
    organisation: Result
    departments: dict[int, Result]  # every department, or only those a partial recompute rescored
    period_id: int | None = None  # the period scored: the current one when the inputs were read


def scores_compute(departments: set[int] | None = None) -> Computation:
    """Score the current period's inputs (reads only): every department, or only `departments` and those their
    change can move (selectors.departments_to_rescore), with the organisation from everyone's newest scores."""
    computed_at = timezone.now()
    period = current_period()
    period_id = period.pk if period else None
    if departments is not None:
        scope, support = departments_to_rescore(period, departments)
        inputs = scoring_inputs(period=period, departments=scope, support=support)
        results = score_departments(inputs)
        facing = _facing_scores(results)
        if facing is not None:
            organisation = organisation_result(facing, inputs.objectives, inputs.support, inputs.weights)
            return Computation(computed_at, organisation, results, period_id)
    organisation, results = score_organisation(scoring_inputs(period=period))
    return Computation(computed_at, organisation, results, period_id)


def _facing_scores(fresh: dict[int, Result]) -> list[tuple[int, str, float]] | None:
    """(id, name, score) of every customer-facing department: fresh results where there are, the newest stored
    scores elsewhere. None when some department was never scored (made outside the services, or before scores
    existed): the recompute then scores everyone."""
    rows = departments_with_latest_score().values_list("pk", "name", "customer_facing", "alignment_score")
    facing = []
    for pk, name, customer_facing, stored in rows:
        score = fresh[pk].score if pk in fresh else stored
        if score is None:
            return None
        if customer_facing:
            facing.append((pk, name, float(score)))
    return facing


@transaction.atomic
def scores_store(computation: Computation, *, settles: list[int] = ()) -> int:
    """Keep a snapshot for each department (and the organisation) whose fingerprint changed; returns how many.

    A computation that read older inputs than the stored snapshot never replaces it, so two workers racing
    each other leave the newest reading on top. `settles` are the owed requests (RecomputeRequest ids) that were
    committed before the inputs were read: this computation has scored them, so they are deleted with the store.
    """
    lock_all_departments()  # two recomputes must not both store the same new snapshot
    latest = latest_stamps(computation.departments)
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
    AlignmentScore.objects.bulk_create(fresh, batch_size=500)
    RecomputeRequest.objects.filter(pk__in=settles).delete()
    if fresh or settles:
        moments_changed()
    return len(fresh)


def scores_recompute(departments: set[int] | None = None) -> dict:
    """Compute and store: every department (the default), or only `departments` and those their change can move.
    Unchanged departments store nothing (their fingerprint is the same). Returns counts for logs and the job
    endpoint.

    The owed requests are read before the inputs: each stands for a change committed before it became visible,
    so the inputs read next include that change. Requests committed later stay for the next recompute. A full
    recompute settles every owed request; a partial one only those of its departments."""
    owed = RecomputeRequest.objects.order_by("pk")
    if departments is not None:
        owed = owed.filter(department_id__in=departments)
    return _compute_and_store(departments, list(owed.values_list("pk", flat=True)[:SETTLE_LIMIT]))


def owed_recompute() -> dict:
    """Score what is owed, and only that: the departments of the owed requests (and those their changes can move),
    or everything when a request is organisation-wide or there are many. Nothing owed, nothing done: a task that
    arrives after another one already scored its change costs one query."""
    owed = list(RecomputeRequest.objects.order_by("pk").values_list("pk", "department_id")[:SETTLE_LIMIT])
    if not owed:
        return {"departments": 0, "snapshots": 0, "settled": 0, "computed_at": None}
    asked = {department_id for _, department_id in owed}
    scope = None if None in asked or len(asked) > settings.RECOMPUTE_PARTIAL_MAX else asked
    return _compute_and_store(scope, [pk for pk, _ in owed])


def _compute_and_store(departments: set[int] | None, settles: list[int]) -> dict:
    computation = scores_compute(departments)
    stored = scores_store(computation, settles=settles)
    return {
        "departments": len(computation.departments),
        "snapshots": stored,
        "settled": len(settles),
        "computed_at": computation.computed_at.isoformat(),
    }


def recomputes_owed(*, older_than: float) -> bool:
    """Whether a change committed more than `older_than` seconds ago is still waiting to be scored."""
    cutoff = timezone.now() - timedelta(seconds=older_than)
    return RecomputeRequest.objects.filter(requested_at__lt=cutoff).exists()


def _is_news(previous: Stamp | None, result: Result, computation: Computation) -> bool:
    """A snapshot is stored when nothing newer is stored and what it scored changed: its inputs, or its period (a
    new quarter starts its own trend even when its inputs fingerprint the same)."""
    if previous is None:
        return True
    changed = previous.fingerprint != result.fingerprint or previous.period_id != computation.period_id
    return changed and previous.computed_at < computation.computed_at
