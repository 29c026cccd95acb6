"""A worker killed outright in the middle of a recompute, and a database connection dropped under one: the work
is done again within a minute, and a recompute job's state says what happened."""

from __future__ import annotations

import signal
from contextlib import closing

import psycopg2
import pytest

from scoring.models import RecomputeJob

from .conftest import database_url, eventually, serve, wait_for_worker

pytestmark = pytest.mark.services


def kill_worker_mid_recompute(stack, lock, worker):
    lock.waiting_backend()  # the worker's recompute is blocked on the row: it is mid-task
    worker.signal(signal.SIGKILL)
    worker.popen.wait(10)
    lock.release()


def test_a_recompute_whose_worker_was_killed_runs_again_within_a_minute(stack, organisation, row_lock):
    base = serve(stack)
    worker = stack.worker("scorer")
    stack.beat()
    wait_for_worker(base)
    lock = row_lock()

    status, *_ = organisation.edit(base, "1.0")
    assert status == 200
    kill_worker_mid_recompute(stack, lock, worker)
    assert not organisation.scores_are_current()

    stack.worker("scorer")  # what the supervisor does
    eventually(
        organisation.scores_are_current,
        within=60,
        what="the killed recompute to run again",
        explain=organisation.scoring_state,
    )


def test_a_job_whose_worker_was_killed_is_run_again_and_says_so(stack, organisation, row_lock):
    from ops.stack import http_json

    base = serve(stack)
    worker = stack.worker("scorer")
    stack.beat()
    wait_for_worker(base)
    lock = row_lock()
    headers = {"Authorization": f"Token {organisation.cco_token}"}

    status, job, *_ = http_json(f"{base}/api/v1/recompute/", method="POST", headers=headers)
    assert status == 202
    kill_worker_mid_recompute(stack, lock, worker)
    assert RecomputeJob.objects.get(pk=job["id"]).state == "running"

    stack.worker("scorer")
    eventually(
        lambda: RecomputeJob.objects.get(pk=job["id"]).state == "done", within=60, what="the job to be run again"
    )
    finished = RecomputeJob.objects.get(pk=job["id"])
    assert finished.attempts == 2
    assert finished.result["departments"] == 2


def test_a_recompute_that_loses_its_database_connection_is_retried(stack, organisation, row_lock):
    base = serve(stack)
    stack.worker()  # no beat: only the task's own retry can rescue it
    wait_for_worker(base)
    lock = row_lock()

    status, *_ = organisation.edit(base, "1.0")
    assert status == 200
    backend = lock.waiting_backend()
    with closing(psycopg2.connect(database_url())) as admin, admin.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend])  # what a PostgreSQL restart does to it
    lock.release()

    eventually(
        organisation.scores_are_current,
        within=30,
        what="the recompute to be retried",
        explain=organisation.scoring_state,
    )
