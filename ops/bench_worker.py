"""The benchmark's scoring figures through a real Celery worker and Redis: edit → fresh score, a burst of edits, and
the worker's peak memory. The database is read directly (psycopg2, as the app does), never through the app."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import psycopg2
import redis

from ops.bench_http import Client
from ops.stack import Process, wait_for

SUCCEEDED = re.compile(r"Task scoring\.recompute_scores\[[^\]]+\] succeeded")
POLL_SECONDS = 0.05


def clear_broker(redis_url: str) -> None:
    """Drop queued and unacknowledged tasks and the coalescing keys, so no size inherits work from the one before."""
    client = redis.Redis.from_url(redis_url)
    keys = ["celery", "unacked", "unacked_index", *client.scan_iter(match="cco:recompute:pending:*", count=500)]
    client.delete(*keys)


def queued_tasks(redis_url: str) -> int:
    return redis.Redis.from_url(redis_url).llen("celery")


def tasks_succeeded(log: Path) -> int:
    """Recompute tasks the worker finished, counted in its log (CELERY_TRACE_LOG_LEVEL=INFO keeps those lines)."""
    return len(SUCCEEDED.findall(log.read_text(errors="replace"))) if log.exists() else 0


def peak_memory_kb(pid: int) -> int:
    """The largest VmHWM (peak resident memory) among the process and its children, in KB."""
    family, peak = {pid}, 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        parent = re.search(r"^PPid:\s+(\d+)", text, re.M)
        if parent and int(parent[1]) == pid:
            family.add(int(status.parent.name))
    for member in family:
        try:
            match = re.search(r"^VmHWM:\s+(\d+) kB", Path(f"/proc/{member}/status").read_text(), re.M)
        except OSError:
            continue
        peak = max(peak, int(match[1]) if match else 0)
    return peak


@dataclass
class Database:
    """Reads the scoring tables directly, outside any transaction, to see what workers committed."""

    url: str
    connection: object = field(init=False)

    def __post_init__(self):
        self.connection = psycopg2.connect(self.url)
        self.connection.autocommit = True

    def scalar(self, sql: str, *params):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return row[0] if row else None

    def newest_score_id(self, department_id: int) -> int:
        return self.scalar("SELECT max(id) FROM scoring_alignmentscore WHERE department_id = %s", department_id) or 0

    def owed(self) -> int:
        return self.scalar("SELECT count(*) FROM cco_recomputerequest")

    def close(self) -> None:
        self.connection.close()


def wait_for_worker(worker: Process, timeout: float = 60) -> None:
    wait_for(lambda: "ready." in worker.log.read_text(errors="replace") or not worker.alive, timeout=timeout,
             what="the Celery worker to be ready")  # fmt: skip
    if not worker.alive:
        raise RuntimeError(f"the worker exited:\n{worker.tail()}")


def full_recompute_in_worker(api: Client, worker: Process, *, timeout: float = 600) -> dict:
    """Ask for a full recompute through the API (a recompute job) and wait for it; the job's own duration and the
    worker's peak memory before and after."""
    before = peak_memory_kb(worker.popen.pid)
    answer = api.send_json("POST", "/api/v1/recompute/", {})
    if answer.status != 202:
        return {"error": f"HTTP {answer.status}"}
    job = answer.json()["id"]

    def finished():
        state = api.get(f"/api/v1/recompute/{job}/").json()
        return state if state["state"] in {"done", "failed"} else None

    try:
        state = wait_for(finished, timeout=timeout, interval=0.2, what="the recompute job")
    except TimeoutError:
        return {"error": "timeout", "memory_before_kb": before, "memory_kb": peak_memory_kb(worker.popen.pid)}
    seconds = None
    if state.get("started_at") and state.get("finished_at"):
        finished_at, started_at = (datetime.fromisoformat(state[key]) for key in ("finished_at", "started_at"))
        seconds = (finished_at - started_at).total_seconds()
    return {"state": state["state"], "seconds": seconds, "memory_before_kb": before,
            "memory_kb": peak_memory_kb(worker.popen.pid)}  # fmt: skip


def patch_weight(api: Client, goal_id: int, weight: Decimal) -> int:
    answer = api.send_json("PATCH", f"/api/v1/goals/{goal_id}/", {"weight": str(weight)}, headers={"If-Match": "*"})
    return answer.status


def edit_to_fresh(api: Client, db: Database, target: dict, *, edits: int, timeout: float = 120) -> list[float | None]:
    """Seconds from sending each edit (the goal's weight, lowered by 0.5 and back in turn) to a new snapshot of its
    department in the database; None for an edit refused or never scored within `timeout`."""
    original = Decimal(target["weight"])
    seconds: list[float | None] = []
    for number in range(edits):
        newest = db.newest_score_id(target["department"])
        weight = original - Decimal("0.5") if number % 2 == 0 else original
        sent = time.perf_counter()
        if patch_weight(api, target["goal"], weight) != 200:
            seconds.append(None)
            continue
        target["weight"] = str(weight)
        deadline = sent + timeout
        while db.newest_score_id(target["department"]) <= newest and time.perf_counter() < deadline:
            time.sleep(POLL_SECONDS)
        seconds.append(time.perf_counter() - sent if time.perf_counter() < deadline else None)
    return seconds


def burst(api: Client, db: Database, worker: Process, targets: list[dict], *, edits: int, over: float,
          redis_url: str, timeout: float = 300) -> dict:  # fmt: skip
    """`edits` edits spread evenly over `over` seconds, across the targets' departments in turn; then how long
    until no recompute is owed, and how many recompute tasks the worker ran meanwhile (and how many wait still)."""
    ran_before = tasks_succeeded(worker.log)
    started = time.perf_counter()
    refused = 0
    for number in range(edits):
        time.sleep(max(0.0, started + number * over / edits - time.perf_counter()))
        target = targets[number % len(targets)]
        target["weight"] = str(Decimal(target["weight"]) - Decimal("0.25"))
        refused += patch_weight(api, target["goal"], Decimal(target["weight"])) != 200
    last_edit = time.perf_counter()
    deadline = last_edit + timeout
    while db.owed() and time.perf_counter() < deadline:
        time.sleep(POLL_SECONDS)
    settled = time.perf_counter() - last_edit if time.perf_counter() < deadline else None
    time.sleep(0.5)  # the task that settled the last request logs its success just after its commit
    return {
        "departments": len({t["department"] for t in targets[:edits]}),
        "refused": refused,
        "sending_seconds": last_edit - started,
        "settled_after": settled,
        "tasks": tasks_succeeded(worker.log) - ran_before,
        "still_queued": queued_tasks(redis_url),
    }
