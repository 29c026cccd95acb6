"""`make bench`: how the pages, the API lists and scoring hold up as the organisation grows.

    DATABASE_URL=postgres://… REDIS_URL=redis://…/14 python ops/bench.py [--sizes 20,200,2000] [--requests 30]

For each size it builds a synthetic organisation (manage.py synthetic_org --replace, 15 goals per department),
serves it with gunicorn (2 sync workers, production settings, ops/stack.py), signs in as the CCO, and times every
page and API list one request at a time against a floor view that does nothing (/bench/floor). Query counts and
recompute timings come from the in-process half (manage.py benchmark). Then a real Celery worker scores edits made
through the API: edit → fresh score, a burst of 50 edits in 10 s, and the worker's peak memory during a full
recompute. One markdown table is printed and written to docs/bench-latest.md.

It REPLACES the organisation in DATABASE_URL and empties Celery's queue in REDIS_URL: give it a PostgreSQL database
and a Redis database of its own. Not part of the test suite: minutes long, and it wants the machine to itself.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import redis

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ops.bench_http import Client, Timing, sign_in, time_url, token_client  # noqa: E402
from ops.bench_report import LEGEND, departments_label, duration, markdown_table, page_cell, percentile  # noqa: E402
from ops.bench_worker import (  # noqa: E402
    Database,
    burst,
    clear_broker,
    edit_to_fresh,
    full_recompute_in_worker,
    wait_for_worker,
)
from ops.stack import ROOT, Stack, free_port  # noqa: E402

HOST = "127.0.0.1"
SIGNED_IN = "/bench/floor/signed-in"  # the signed-in floor: what every page behind a login pays first


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20,200,2000", help="departments per run, comma-separated")
    parser.add_argument("--goals", type=int, default=15, help="goals per department (default 15)")
    parser.add_argument("--requests", type=int, default=30, help="measured requests per URL (default 30)")
    parser.add_argument("--warmups", type=int, default=3, help="unmeasured requests per URL first (default 3)")
    parser.add_argument("--budget", type=float, default=15, help="seconds per URL before it stops early (default 15)")
    parser.add_argument("--edits", type=int, default=10, help="edits timed to a fresh score (default 10)")
    parser.add_argument("--burst", type=int, default=50, help="edits in the burst (default 50, over 10 s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "docs" / "bench-latest.md"), help="where the table is written")
    args = parser.parse_args(argv)
    args.sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]
    return args


def stack_env() -> dict[str, str]:
    """Production settings on loopback: plain HTTP, the test client's host allowed for the in-process half, the API's
    per-user throttle out of the way (one client sends hundreds of requests a minute), task successes logged."""
    return {
        "DJANGO_SETTINGS_MODULE": "cco.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "API_THROTTLE_USER": "1000000/minute",
        "CELERY_TRACE_LOG_LEVEL": "INFO",
    }


def manage_json(stack: Stack, *args: str) -> dict:
    return json.loads(stack.manage(*args).strip().splitlines()[-1])


def time_pages(targets: dict, port: int, args) -> list[tuple[str, str]]:
    """(label, cell) for the floor, every page and every API list."""
    clients: dict[str, Client] = {
        "cco": sign_in(HOST, port, targets["cco"], targets["password"]),
        "head": sign_in(HOST, port, targets["head"], targets["password"]),
        "api": token_client(HOST, port, targets["cco"], targets["password"]),
    }
    redis_client = redis.Redis.from_url(os.environ["REDIS_URL"])

    def data_changed() -> None:
        """What any write does to the kept reads (cco.shared_reads): their generation is gone, so each is computed
        again and kept under a new one."""
        redis_client.delete(targets["generation_key"])

    head_api = token_client(HOST, port, targets["head"], targets["password"])
    values = iter(range(1_000_000))

    def checked_in() -> None:
        """The timed department's head checks in on its goal through the API, and a second later the CCO looks."""
        answer = head_api.send_json("POST", "/api/v1/check-ins/", {"goal": targets["goal"], "value": next(values) % 97,
                                                                  "confidence": "on_track"})  # fmt: skip
        if answer.status != 201:
            raise RuntimeError(f"the head's check-in answered {answer.status}: {answer.body[:300]!r}")
        time.sleep(1.0)

    def before(page: dict):
        return data_changed if page["after_a_change"] else checked_in if page["after_a_check_in"] else None

    timings = [
        time_url(
            clients[page["as"]],
            page["path"],
            requests=args.requests,
            warmups=args.warmups,
            budget=args.budget,
            before=before(page),
            floor=None if page is targets["pages"][0] else targets["pages"][0]["path"],
        )  # fmt: skip
        for page in targets["pages"]
    ]

    def median(timing) -> float | None:
        return percentile(timing.latencies, 0.5) if timing.latencies and not timing.error else None

    # One client's requests per second are 1 / latency: the medians', so that one slow request (a collection, a
    # worker computing ahead) does not move the share of every page of that size. Each page is compared with the
    # floor as timed alongside it (a floor request before each of its own): the machine's speed drifts from one
    # URL's half-minute to the next by more than the difference being measured.
    signed_in_timing = next((t for p, t in zip(targets["pages"], timings, strict=True) if p["path"] == SIGNED_IN), None)
    rows = []
    for page, timing in zip(targets["pages"], timings, strict=True):
        error = timing.error or ("" if page["status"] == 200 else f"in-process HTTP {page['status']}")
        own = median(timing)
        floor = percentile(timing.floor_latencies, 0.5) if timing.floor_latencies else None
        signed_in = _signed_in_alongside(signed_in_timing, floor)
        floors = page is targets["pages"][0] or page["path"] == SIGNED_IN
        cell = page_cell(timing.latencies, asked=args.requests, body_bytes=timing.bytes, queries=page["queries"],
                         share_of_floor=floor / own if floor and own else None,
                         share_of_signed_in=signed_in / own if signed_in and own and not floors else None,
                         error=error)  # fmt: skip
        rows.append((f"{page['label']} `{path_shape(page['path'])}`", cell))
    return rows


def _signed_in_alongside(signed_in: Timing | None, floor: float | None) -> float | None:
    """The signed-in floor's latency as it would have been alongside a page whose own floor was `floor`: its share
    of the floor it was timed with, applied to that one."""
    if signed_in is None or signed_in.error or not signed_in.latencies or not signed_in.floor_latencies or not floor:
        return None
    return percentile(signed_in.latencies, 0.5) * floor / percentile(signed_in.floor_latencies, 0.5)


def path_shape(path: str) -> str:
    """/goals/117/edit/ → /goals/<id>/edit/: the same row label at every size."""
    return "/".join("<id>" if part.isdigit() else part for part in path.split("/"))


def worker_rows(stack: Stack, targets: dict, port: int, departments: int, args) -> list[tuple[str, str]]:
    redis_url = os.environ["REDIS_URL"]
    clear_broker(redis_url)
    worker = stack.worker(f"worker-{departments}")
    db = Database(os.environ["DATABASE_URL"])
    try:
        wait_for_worker(worker)
        api = token_client(HOST, port, targets["cco"], targets["password"])
        full = full_recompute_in_worker(api, worker)
        fresh = edit_to_fresh(api, db, targets["edits"][0], edits=args.edits)
        timed = [seconds for seconds in fresh if seconds is not None]
        fresh_cell = f"{duration(percentile(timed, 0.5))} / {duration(percentile(timed, 0.95))}"
        if len(timed) < len(fresh):
            fresh_cell += f" ({len(fresh) - len(timed)} of {len(fresh)} never scored)"
        wait_owed = time.monotonic() + 60
        while db.owed() and time.monotonic() < wait_owed:
            time.sleep(0.1)
        spread = burst(api, db, worker, targets["edits"], edits=args.burst, over=10, redis_url=redis_url)
    finally:
        worker.stop()
        db.close()
        clear_broker(redis_url)
    settled = duration(spread["settled_after"]) if spread["settled_after"] is not None else "**not within 300 s**"
    burst_cell = (
        f"{spread['tasks']} tasks run, {spread['still_queued']} still queued; nothing owed {settled} after the last "
        f"edit ({spread['departments']} departments, sent in {spread['sending_seconds']:.1f} s"
        + (f", {spread['refused']} refused)" if spread["refused"] else ")")
    )
    memory = (
        f"{full['memory_kb'] / 1024:.0f} MB (after start {full['memory_before_kb'] / 1024:.0f} MB)"
        if "memory_kb" in full
        else "–"
    )
    coalesce = f"{targets['coalesce_seconds']:g}"
    return [
        ("full recompute in the worker (API recompute job)", full.get("error") or duration(full.get("seconds"))),
        ("worker peak memory (VmHWM, largest process) after a full recompute", memory),
        (f"edit → fresh score via worker, p50 / p95 of {args.edits} (PATCH to new snapshot; {coalesce} s coalescing)",
         fresh_cell),
        (f"burst: {args.burst} edits in 10 s → recompute tasks, time until nothing owed", burst_cell),
    ]  # fmt: skip


def recompute_rows(stack: Stack, departments: int) -> list[tuple[str, str]]:
    recompute = manage_json(stack, "benchmark", "recompute", "--repeat", "5" if departments < 1000 else "3")
    scope = recompute["edit_scope"]
    how = f"`scores_recompute({scope})`" if scope else "full `scores_recompute()`: no `departments=` keyword"
    low, high = recompute["edit_range"]
    edit = (
        f"{duration(recompute['edit_seconds'])} (median; {duration(low)}–{duration(high)}) · "
        f"{recompute['edit_queries']} q · {how}"
    )
    return [
        ("full recompute, in-process (`scores_recompute()`, median)",
         f"{duration(recompute['full_seconds'])} · {recompute['full_queries']} q"),
        ("one goal's weight edited → recompute of its department, in-process", edit),
        (f"feed batch of {recompute['feed_rows']:,} readings → stored and checked in to a bound goal, in-process",
         f"{duration(recompute['feed_seconds'])} · {recompute['feed_queries']} q"),
    ]  # fmt: skip


def measure(stack: Stack, departments: int, args) -> list[tuple[str, str]]:
    """Every figure for one size, as (row label, cell); a phase that fails is recorded in the table and the rest go
    on (the build and the targets are needed by everything after them, so their failure ends the size)."""
    started = time.monotonic()
    stack.manage(
        "synthetic_org", "--departments", str(departments), "--goals", str(args.goals), "--seed", str(args.seed),
        "--replace",
    )  # fmt: skip
    rows = [
        (
            f"synthetic_org --replace ({args.goals} goals per department; deletes the previous size first), wall time",
            duration(time.monotonic() - started),
        )
    ]
    speed = "this machine's speed before this size's figures (a pure-Python sum of 10,000,000 squares, best of 3)"
    rows.append((speed, f"{cpu_reference():.2f} s"))
    targets = manage_json(stack, "benchmark", "targets")
    port = free_port()
    server = stack.gunicorn(port, workers=2)
    phases = [
        ("pages", lambda: time_pages(targets, port, args)),
        ("in-process recompute", lambda: recompute_rows(stack, departments)),
        ("worker figures", lambda: worker_rows(stack, targets, port, departments, args)),
    ]
    try:
        for name, phase in phases:
            try:
                rows += phase()
            except Exception as exc:  # noqa: BLE001 - recorded in the table; the other figures still count
                detail = exc.stderr[-300:] if isinstance(exc, subprocess.CalledProcessError) else ""
                rows.append((name, f"**failed: {type(exc).__name__}: {exc} {detail}**".strip()))
                print(f"  {name} failed: {exc}\n{detail}", file=sys.stderr, flush=True)
    finally:
        server.stop()
    return rows


def cpu_reference() -> float:
    """Seconds for a fixed pure-Python loop: the same code runs 1.5× slower on some machines this is run on."""
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(10_000_000))
        runs.append(time.perf_counter() - started)
    return min(runs)


def header(args, elapsed: float) -> str:
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)  # noqa: S603, S607
    db = Database(os.environ["DATABASE_URL"])
    try:
        server = db.scalar("SHOW server_version")
    finally:
        db.close()
    return (
        f"# Benchmark ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n\n"
        f"This machine's speed, to compare runs made on different machines or minutes: {cpu_reference():.2f} s for a "
        "pure-Python sum of 10,000,000 squares (best of 3) at the end of the run; each size has its own reading.\n\n"
        f"`make bench` (ops/bench.py) at {commit.stdout.strip() or 'unknown commit'}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL {server}, gunicorn with 2 sync workers and production "
        f"settings on loopback, one Celery worker (concurrency 1). {args.goals} goals per department, "
        f"{args.requests} requests per URL after {args.warmups} warm-ups (at most {args.budget:g} s per URL). "
        f"Took {elapsed / 60:.1f} minutes.\n\n{LEGEND} Pages are asked by the CCO, the check-in form by the timed "
        "department's head, the API lists with the CCO's token.\n"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing or not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL (PostgreSQL; its organisation is replaced) and REDIS_URL (its queue is emptied), e.g.\n"
              "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/cco_bench REDIS_URL=redis://127.0.0.1:6379/14 "
              "make bench", file=sys.stderr)  # fmt: skip
        return 2
    started = time.monotonic()
    columns: dict[str, dict[str, str]] = {}
    order: list[str] = []
    with Stack(env=stack_env()) as stack:
        print(f"Logs in {stack.workdir}", flush=True)
        stack.manage("migrate", "--noinput", "-v0")
        stack.manage("collectstatic", "--noinput", "-v0")
        for departments in args.sizes:
            print(f"{departments} departments…", flush=True)
            try:
                rows = measure(stack, departments, args)
            except Exception as exc:  # noqa: BLE001 - one size failing still reports the others
                detail = exc.stderr[-500:] if isinstance(exc, subprocess.CalledProcessError) else ""
                rows = [("run", f"**failed: {exc} {detail}**".strip())]
                print(f"  failed: {exc}\n{detail}\n{stack.logs()}", file=sys.stderr)
            for label, cell in rows:
                if label not in order:
                    order.append(label)
                columns.setdefault(label, {})[departments_label(departments)] = cell
    table = markdown_table([departments_label(d) for d in args.sizes], [(label, columns[label]) for label in order])
    report = f"{header(args, time.monotonic() - started)}\n{table}\n"
    Path(args.out).write_text(report)
    print(f"\n{table}\n\nWritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
