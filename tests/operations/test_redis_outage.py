"""Redis goes away under a busy worker and comes back empty (it keeps nothing on disk): the API keeps answering in
its JSON shape, the same worker process carries on, and the changes saved during the outage get scored with no
one restarting anything."""

from __future__ import annotations

import time

import pytest

from cco.models import RecomputeRequest

from .conftest import eventually, serve, wait_for_worker

pytestmark = pytest.mark.services


def scoring_resumed(organisation, worker, beat) -> None:
    """The edits made around the outage are scored, and the worker and beat that saw it are still running."""
    eventually(
        organisation.scores_are_current,
        within=60,
        what="the department's score to catch up with the edits",
        explain=organisation.scoring_state,
    )
    assert worker.alive, "the worker lived through the outage:\n" + worker.tail()
    assert beat.alive, "beat lived through the outage:\n" + beat.tail()


def test_scoring_resumes_by_itself_after_a_redis_outage_during_edits(stack, organisation):
    base = serve(stack)
    worker = stack.worker()
    beat = stack.beat()
    wait_for_worker(base)
    answers = []

    def edit_for(seconds: float):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            strength = "0.9" if len(answers) % 2 else "0.3"
            status, body, raw, headers = organisation.edit(base, strength)
            answers.append((status, headers.get("Content-Type", ""), raw[:200]))
            time.sleep(0.1)

    edit_for(3)  # the worker is busy: recomputes queued and running
    stack.redis_process.stop()
    edit_for(6)
    during = list(answers)
    stack.redis(stack.redis_port)  # back, and empty
    organisation.edit(base, "0.75")

    assert all(status == 200 for status, *_ in during), [a for a in during if a[0] != 200][:3]
    assert all(kind.startswith("application/json") for _, kind, _ in during)
    # About 7 s here: the worker's reconnects back off (2, 4, 6, 8 s ...) and beat's reconcile runs every 2 s. (A CI
    # run timed out at 30 s: a recompute was running when Redis stopped and the worker died; see the test below.)
    scoring_resumed(organisation, worker, beat)
    eventually(lambda: not RecomputeRequest.objects.exists(), within=10, what="every owed recompute to be settled")


def test_a_recompute_caught_mid_task_by_the_outage_does_not_take_the_worker_down(stack, organisation, row_lock):
    """The case CI met once: Redis goes away while a recompute is running. Celery cancels it to have it delivered
    again; with a result backend in the same Redis it also recorded the retry there, outside its reconnect loop, and
    the worker exited ("Unrecoverable error"), so nothing was scored again. There is no result backend now."""
    base = serve(stack)
    worker = stack.worker()
    beat = stack.beat()
    wait_for_worker(base)
    lock = row_lock()
    organisation.edit(base, "0.3")
    lock.waiting_backend()  # the recompute is mid-task, waiting for the locked department row

    stack.redis_process.stop()
    time.sleep(2)  # the worker finds its broker gone and cancels the task
    lock.release()
    during = [organisation.edit(base, strength)[0] for strength in ("0.9", "0.4")]
    stack.redis(stack.redis_port)
    organisation.edit(base, "0.75")

    assert during == [200, 200]
    scoring_resumed(organisation, worker, beat)


def test_healthz_and_the_api_say_what_is_down_while_redis_is_away(stack, organisation):
    base = serve(stack)
    stack.worker()
    wait_for_worker(base)
    stack.redis_process.stop()

    from ops.stack import http_json

    status, health, *_ = http_json(f"{base}/healthz")
    assert status == 200, "the web app itself is up"
    assert health["status"] == "degraded"
    assert health["database"] == "ok" and health["broker"].startswith("unreachable")

    headers = {"Authorization": f"Token {organisation.head_token}"}
    status, board, *_ = http_json(f"{base}/api/v1/dashboard/", headers=headers)
    assert status == 200
    assert "cannot be reached" in board["freshness"]["warning"]
    assert board["freshness"]["pending"] is False


def test_healthz_answers_503_json_when_the_database_is_down(stack):
    stack.env["DATABASE_URL"] = "postgres://cco:cco@127.0.0.1:1/cco"  # nothing listens there
    base = serve(stack)

    from ops.stack import http_json

    status, health, raw, headers = http_json(f"{base}/healthz")
    assert status == 503, raw[:300]
    assert headers["Content-Type"] == "application/json"
    assert health["status"] == "down" and health["database"].startswith("error")

    status, body, raw, headers = http_json(f"{base}/api/v1/departments/")
    assert status == 500 and headers["Content-Type"] == "application/json", raw[:300]
    assert body["code"] == "server_error"
