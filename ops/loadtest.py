"""`make loadtest`: a bounded, headless locust run against the production shape on loopback.

Starts its own redis-server, a fresh PostgreSQL database, gunicorn (2 workers), a Celery worker and beat
(ops/stack.py), loads the demo organisation, runs ops/locustfile.py for a fixed time and prints throughput,
latency percentiles, errors and 5xx answers. Exits 1 on any error or 5xx, 2 when the stack could not be set up.
With --redis-outage N, Redis is stopped for N seconds in the middle of the run and started again on the same
port: the API and the pages must keep answering without it. Not part of the test suite: it takes minutes and
needs the machine to itself to give meaningful numbers.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ops.stack import ROOT, Process, Stack, free_port, http_json, wait_for  # noqa: E402

DEFAULT_DATABASE = "cco_load"
PG = ["-h", "127.0.0.1", "-U", "postgres"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Database: LOAD_DATABASE_URL (used as it is) or a fresh 'cco_load' on 127.0.0.1:5432 (dropped and "
        "created on every run). Logs, locust's CSV and HTML report stay in the printed work directory.",
    )
    parser.add_argument("--users", type=int, default=20, help="simulated people (default 20)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="people started per second (default 5)")
    parser.add_argument("--run-time", type=int, default=60, metavar="SECONDS", help="length of the run (default 60)")
    parser.add_argument(
        "--redis-outage",
        type=float,
        default=0,
        metavar="SECONDS",
        help="stop the stack's Redis for this long in the middle of the run, then start it again on the same port",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", ""),
        help="use this database instead of a fresh cco_load (default: $LOAD_DATABASE_URL)",
    )
    args = parser.parse_args(argv)
    if args.redis_outage and args.redis_outage >= args.run_time:
        parser.error("--redis-outage must be shorter than --run-time")
    return args


def fresh_database(name: str) -> str:
    """A new, empty database on every run, so the numbers never depend on what an earlier run left."""
    subprocess.run(["dropdb", *PG, "--if-exists", "--force", name], check=True)  # noqa: S603, S607
    subprocess.run(["createdb", *PG, name], check=True)  # noqa: S603, S607
    return f"postgres://postgres@127.0.0.1:5432/{name}"


@dataclass
class Outage:
    """Stops Redis at `start` seconds into the run and starts it again `length` seconds later, on the same port."""

    stack: Stack
    redis: Process
    port: int
    start: float
    length: float
    cancelled: threading.Event = field(default_factory=threading.Event)
    events: list[tuple[float, str]] = field(default_factory=list)
    stopped_at: float = 0.0
    restarted_at: float = 0.0
    error: str = ""
    origin: float = 0.0

    def __post_init__(self):
        self.thread = threading.Thread(target=self._run, name="redis-outage", daemon=True)

    def begin(self, origin: float) -> None:
        self.origin = origin
        self.thread.start()

    def _say(self, what: str) -> None:
        self.events.append((time.monotonic() - self.origin, what))
        print(f"  [+{time.monotonic() - self.origin:5.1f}s] {what}", flush=True)

    def _run(self) -> None:
        if self.cancelled.wait(self.start):
            return
        self.redis.stop()
        self.stopped_at = time.time()
        self._say(f"Redis stopped (port {self.port}) for {self.length:g} s")
        if self.cancelled.wait(self.length):
            return
        try:
            self.redis, _ = self.stack.redis(self.port)
        except Exception as exc:  # noqa: BLE001 - reported with the results
            self.error = f"Redis did not start again on port {self.port}: {exc}"
            self._say(self.error)
            return
        self.restarted_at = time.time()
        self._say(f"Redis running again on port {self.port}")

    def cancel(self) -> None:
        self.cancelled.set()
        if self.thread.is_alive():
            self.thread.join(30)


def healthy(base: str) -> bool:
    try:
        status, body, *_ = http_json(f"{base}/healthz")
    except OSError:
        return False
    return status == 200 and bool(body) and body.get("broker") == "ok"


def newest_score_time(base: str) -> datetime | None:
    """When the organisation's newest score was computed, as the API tells a head."""
    status, body, *_ = http_json(
        f"{base}/api/v1/auth/token/", method="POST", body={"username": "head-sales", "password": "demo"}
    )
    if status != 200:
        return None
    status, scores, *_ = http_json(f"{base}/api/v1/scores/latest/", headers={"Authorization": f"Token {body['token']}"})
    stamp = ((scores or {}).get("organisation") or {}).get("computed_at") if status == 200 else None
    return datetime.fromisoformat(stamp) if stamp else None


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def number(value: str | None) -> float:
    try:
        return float(value or "nan")
    except ValueError:
        return float("nan")


def server_error_excerpts(log: Path, limit: int = 5) -> list[str]:
    """Django's "Internal Server Error" entries from the gunicorn log, one per distinct final exception line."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    excerpts: dict[str, str] = {}
    for index, line in enumerate(lines):
        if "Internal Server Error" not in line and "Error handling request" not in line:
            continue
        block = [line]
        for follow in lines[index + 1 : index + 60]:
            if re.match(r"^\S", follow) and not follow.startswith(("Traceback", "During handling", "The above")):
                block.append(follow)
                break
            block.append(follow)
        excerpts.setdefault(block[-1], "\n".join(block[:3] + ["    …"] + block[-8:]))
    return list(excerpts.values())[:limit]


def report(workdir: Path, stack: Stack, outage: Outage | None, base: str) -> int:
    rows = read_csv(workdir / "stats_stats.csv")
    total = next((row for row in rows if row["Name"] == "Aggregated"), None)
    if total is None:
        print(f"locust wrote no statistics; see {workdir}/locust.log", file=sys.stderr)
        return 2
    statuses_file = workdir / "statuses.json"
    statuses = json.loads(statuses_file.read_text()) if statuses_file.exists() else {}
    failures = read_csv(workdir / "stats_failures.csv")
    exceptions = read_csv(workdir / "stats_exceptions.csv")
    server_errors = statuses.get("server_errors", {})
    errors = int(total["Failure Count"])
    exception_count = sum(int(row["Count"]) for row in exceptions)
    fives = sum(count for code, count in statuses.get("statuses", {}).items() if int(code) >= 500)

    print("\nPer request (ms):")
    print(f"  {'request':<72} {'count':>6} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6}")
    for row in rows:
        label = f"{row['Type']} {row['Name']}".strip()
        print(
            f"  {label:<72} {row['Request Count']:>6} {row['Failure Count']:>5} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )
    print(f"\nStatus codes: {json.dumps(statuses.get('statuses', {}))}")
    for what, count in statuses.get("concurrency", {}).items():
        print(f"Goal edits answered 412 ({what}): {count}")
    if outage:
        if outage.error:
            print(f"Outage: {outage.error}")
        for name in ("gunicorn", "worker", "beat"):
            process = next(p for p in stack.processes if p.name == name)
            print(f"After the outage: {name} {'running' if process.alive else 'EXITED'}")
        if outage.restarted_at:
            try:
                wait_for(lambda: healthy(base), timeout=30, what="healthz to report the broker ok")
                print("After the outage: /healthz reports the broker ok")
            except TimeoutError:
                print("After the outage: /healthz does NOT report the broker ok after 30 s")
            try:
                newest = newest_score_time(base)
            except OSError:
                newest = None
            if newest and newest.timestamp() > outage.restarted_at:
                after = newest.timestamp() - outage.restarted_at
                print(f"After the outage: scores recomputed again (newest {after:.1f} s after Redis came back)")
            else:
                print("After the outage: NO score computed since Redis came back")
    for row in failures:
        print(f"Failure: {row['Occurrences']} × {row['Method']} {row['Name']}: {row['Error']}")
    for row in exceptions:
        print(f"Exception in the locustfile: {row['Count']} × {row['Message']}")
    for name, samples in server_errors.items():
        print(f"5xx: {len(samples)} × {name}; first: {', '.join(samples[:3])}")
    if fives:
        print(f"\nTracebacks in {workdir / 'gunicorn.log'}:")
        for excerpt in server_error_excerpts(workdir / "gunicorn.log"):
            print(excerpt, "\n")

    print("\n=== load test summary ===")
    print(f"requests:   {total['Request Count']}")
    print(f"requests/s: {number(total['Requests/s']):.1f}")
    slowest = number(total["Max Response Time"])
    print(f"latency ms: p50 {total['50%']}  p95 {total['95%']}  p99 {total['99%']}  max {slowest:.0f}")
    print(f"errors:     {errors + exception_count} ({errors} failed requests, {exception_count} locustfile exceptions)")
    print(f"5xx:        {fives}")
    if outage and outage.stopped_at:
        down = (outage.restarted_at or time.time()) - outage.stopped_at
        print(f"redis outage: {down:.1f} s, from +{outage.events[0][0]:.1f}s")
    print(f"logs:       {workdir}")
    return 1 if errors or exception_count or fives or (outage and outage.error) else 0


def run(args: argparse.Namespace) -> int:
    database_url = args.database_url or fresh_database(DEFAULT_DATABASE)
    redis_port = free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    env = {
        "DJANGO_SETTINGS_MODULE": "cco.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, no TLS in front
        "DEBUG": "false",
        "PYTHONUNBUFFERED": "1",
    }
    stack = Stack(env=env, python=sys.executable)
    outage: Outage | None = None
    try:
        print(f"Setting up in {stack.workdir} (database {database_url.rsplit('/', 1)[-1]}, Redis port {redis_port})")
        redis, _ = stack.redis(redis_port)
        stack.manage("migrate", "--noinput", "-v0")
        stack.manage("load_demo")
        stack.manage("collectstatic", "--noinput", "-v0")
        web_port = free_port()
        base = f"http://127.0.0.1:{web_port}"
        stack.gunicorn(web_port, workers=2)
        stack.worker()
        stack.beat()
        wait_for(lambda: healthy(base), timeout=60, what=f"{base}/healthz to answer 200 with the broker ok")

        print(f"Running {args.users} users for {args.run_time} s against {base}", flush=True)
        argv = [
            stack.bin("locust"),
            "-f",
            str(ROOT / "ops" / "locustfile.py"),
            "--headless",
            "--only-summary",
            *("--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.run_time}s"),
            *("--stop-timeout", "5", "--host", base),
            *("--csv", str(stack.workdir / "stats"), "--html", str(stack.workdir / "report.html")),
            *("--status-report", str(stack.workdir / "statuses.json")),
        ]
        locust = stack.spawn("locust", argv)
        if args.redis_outage:
            start = max(0.0, (args.run_time - args.redis_outage) / 2)
            outage = Outage(stack, redis, redis_port, start, args.redis_outage)
            outage.begin(time.monotonic())
        locust.popen.wait(args.run_time + 120)
        if outage:
            outage.cancel()
        if locust.popen.returncode not in (0, 1):
            print(f"locust exited with {locust.popen.returncode}:\n{locust.tail()}", file=sys.stderr)
            return 2
        return report(stack.workdir, stack, outage, base)
    except (subprocess.CalledProcessError, TimeoutError, RuntimeError, subprocess.TimeoutExpired) as exc:
        detail = getattr(exc, "stderr", "") or ""
        print(f"Load test could not run: {exc}\n{detail}\n{stack.logs()}", file=sys.stderr)
        return 2
    finally:
        if outage:
            outage.cancel()
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def interrupted(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("Interrupted; everything the load test started has been stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
