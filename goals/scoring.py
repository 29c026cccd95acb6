"""Storing alignment snapshots: read inputs, run the engine, keep a snapshot where anything changed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from departments.models import Department

from .alignment import Result, score_organisation
from .models import AlignmentScore
from .selectors import latest_scores, scoring_inputs


def scores_recompute() -> dict:
    """Score every department and the organisation; store a snapshot for each whose inputs changed.

    A change in one department can move another's score (the shared-objectives component), so every
    department is scored and compared by fingerprint. `computed_at` is the moment the inputs were read:
    a computation that read older inputs than the stored snapshot never replaces it, so two workers
    racing each other leave the newest reading on top. Returns counts for logs and the job endpoint.
    """
    computed_at = timezone.now()
    organisation, departments = score_organisation(scoring_inputs())
    candidates: list[tuple[int | None, Result]] = [*departments.items(), (None, organisation)]
    with transaction.atomic():
        # Serialise writers so two recomputes do not both store the same new snapshot.
        list(Department.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
        latest = latest_scores()
        fresh = [
            AlignmentScore(
                department_id=department_id,
                score=result.score,
                components=result.components,
                reasons=result.reasons,
                fingerprint=result.fingerprint,
                computed_at=computed_at,
            )
            for department_id, result in candidates
            if _is_news(latest.get(department_id), result, computed_at)
        ]
        AlignmentScore.objects.bulk_create(fresh)
    return {"departments": len(departments), "snapshots": len(fresh), "computed_at": computed_at.isoformat()}


def _is_news(previous: AlignmentScore | None, result: Result, computed_at) -> bool:
    if previous is None:
        return True
    return previous.fingerprint != result.fingerprint and previous.computed_at < computed_at
