"""A burst of edits across many departments, through gunicorn, Redis and a real worker: a handful of recompute
tasks score all of them, and nothing is left owed (the coalescing window is 0.5 s here, 1.5 s while edits keep
coming: conftest.FAST)."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest
from knox.models import AuthToken

from cco import roles
from cco.models import RecomputeRequest
from ops.stack import http_json
from scoring.models import AlignmentScore
from scoring.snapshots import scores_compute, scores_recompute
from tests.factories import DepartmentFactory, GoalFactory, LineFactory, ObjectiveFactory, UserFactory

from .conftest import FAST, eventually, serve, wait_for_worker

pytestmark = pytest.mark.services
DEPARTMENTS = 20


def scores_caught_up() -> bool:
    """Every department's newest snapshot is what the engine gives for the inputs as they are now."""
    expected = {pk: result.fingerprint for pk, result in scores_compute().departments.items()}
    newest = {}
    for department_id, fingerprint in (
        AlignmentScore.objects.filter(department__isnull=False)
        .order_by("-computed_at", "-pk")
        .values_list("department_id", "fingerprint")
    ):
        newest.setdefault(department_id, fingerprint)
    return newest == expected and not RecomputeRequest.objects.exists()


def test_a_burst_of_edits_across_departments_runs_a_bounded_number_of_tasks(stack, postgres, role_groups):
    head = UserFactory(username="burst-head", role=roles.HEAD)
    objective = ObjectiveFactory()
    goals = []
    for number in range(DEPARTMENTS):
        department = DepartmentFactory(name=f"Burst {number:02}", heads=[head])
        LineFactory(department=department)
        goals.append(GoalFactory(department=department, period=objective.period, weight=Decimal(40)))
    scores_recompute()
    token = AuthToken.objects.create(user=head)[1]
    base = serve(stack)
    worker = stack.worker("scorer")
    wait_for_worker(base)

    started = time.monotonic()
    for goal in goals:
        status, body, *_ = http_json(
            f"{base}/api/v1/goals/{goal.pk}/",
            method="PATCH",
            body={"links": [{"objective": objective.pk, "kind": "supports", "strength": "0.5"}]},
            headers={"Authorization": f"Token {token}", "If-Match": "*"},
        )
        assert status == 200, body
    burst = time.monotonic() - started
    eventually(scores_caught_up, within=60, what="every edited department's score to be stored")

    log = worker.log.read_text(errors="replace")
    tasks = len(re.findall(r"Task scoring\.recompute_scores\[[^\]]+\] received", log))
    window = float(FAST["RECOMPUTE_BURST_SECONDS"])
    assert 1 <= tasks < DEPARTMENTS, f"{tasks} tasks for {DEPARTMENTS} edits in {burst:.1f} s"
    assert tasks <= burst / window + 2, f"{tasks} tasks for {DEPARTMENTS} edits in {burst:.1f} s"
