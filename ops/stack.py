"""Start and stop the production shape as separate processes: redis-server, gunicorn, a Celery worker and beat.

Standard library only, so CI's production smoke test can run it from a venv that holds nothing but
requirements.txt. Each process is started in its own process group with its output in a log file, and
`Stack.stop()` (or leaving the `with` block) stops everything that was started, whatever happened.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    """Poll `predicate` until it returns something truthy; raise TimeoutError naming `what` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive:
            os.killpg(self.popen.pid, sig)

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM the main process (gunicorn and Celery shut their own children down cleanly), SIGKILL the whole
        group if it is still there after `timeout`, and leave nothing of the group behind."""
        if self.alive:
            os.kill(self.popen.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(5)

    def tail(self, lines: int = 40) -> str:
        """The last `lines` lines of the log, a run of one repeated line shown once with its count (a web process
        logs the same warning per request through an outage, which would push everything else out)."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        runs: list[list] = []
        for line in text.splitlines():
            if runs and runs[-1][0] == line:
                runs[-1][1] += 1
            else:
                runs.append([line, 1])
        return "\n".join(line if count == 1 else f"{line}  [x{count}]" for line, count in runs[-lines:])


@dataclass
class Stack:
    """A set of processes sharing one environment; `env` is added to the current environment."""

    env: dict[str, str]
    python: str = sys.executable
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="cco-stack-")))
    processes: list[Process] = field(default_factory=list)

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def bin(self, name: str) -> str:
        """A console script of the venv that `python` belongs to (gunicorn, celery)."""
        return str(Path(self.python).parent / name)

    def spawn(self, name: str, argv: list[str], *, env: dict[str, str] | None = None) -> Process:
        log = self.workdir / f"{name}.log"
        handle = log.open("ab")
        popen = subprocess.Popen(  # noqa: S603 - argv is built here, never from user input
            argv,
            cwd=ROOT,
            env={**os.environ, **self.env, **(env or {})},
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def manage(self, *args: str) -> str:
        """Run a management command to completion; its output, or CalledProcessError with the output."""
        result = subprocess.run(  # noqa: S603
            [self.python, "manage.py", *args],
            cwd=ROOT,
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode:
            raise subprocess.CalledProcessError(result.returncode, args, result.stdout, result.stderr)
        return result.stdout

    def redis(self, port: int | None = None) -> tuple[Process, int]:
        """A throwaway redis-server that keeps nothing on disk (like the machine's own)."""
        port = port or free_port()
        server = shutil.which("redis-server") or "/usr/bin/redis-server"
        argv = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        process = self.spawn(f"redis-{port}", [*argv, "--dir", str(self.workdir)])
        wait_for(lambda: port_open(port), timeout=10, what=f"redis-server on port {port}")
        return process, port

    def gunicorn(self, port: int, *, workers: int = 2) -> Process:
        argv = [self.bin("gunicorn"), "cco.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        process = self.spawn("gunicorn", [*argv, "--workers", str(workers), "--no-control-socket", "--timeout", "30"])
        wait_for(lambda: port_open(port) or not process.alive, timeout=30, what="gunicorn to listen")
        if not process.alive:
            raise RuntimeError(f"gunicorn exited:\n{process.tail()}")
        return process

    def worker(self, name: str = "worker", *extra: str) -> Process:
        argv = [self.bin("celery"), "-A", "cco", "worker", "-l", "info", "--concurrency", "1"]
        return self.spawn(name, [*argv, "-n", f"{name}-{os.getpid()}@%h", *extra])

    def beat(self) -> Process:
        schedule = self.workdir / "celerybeat-schedule"
        return self.spawn("beat", [self.bin("celery"), "-A", "cco", "beat", "-l", "info", "-s", str(schedule)])

    def stop(self) -> None:
        """Stop in reverse start order, Redis servers last (one restarted mid-run must outlive the workers using it)."""
        newest_first = list(reversed(self.processes))
        servers = [process for process in newest_first if process.name.startswith("redis-")]
        for process in [process for process in newest_first if process not in servers] + servers:
            process.stop()

    def logs(self) -> str:
        """Every process's tail, the worker and beat first: a reader whose output is cut short sees them."""
        order = sorted(self.processes, key=lambda p: (p.name.startswith("redis-"), p.name == "gunicorn"))
        return "\n\n".join(f"--- {p.name} (alive={p.alive}) ---\n{p.tail()}" for p in order)


def http_json(url: str, *, method: str = "GET", body: dict | None = None, headers: dict | None = None):
    """(status, parsed JSON or None, raw text) for one request; never raises for an HTTP error status."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback only
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            status, raw, response_headers = response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, response_headers = error.code, error.read().decode(), error.headers
    try:
        parsed = json.loads(raw) if raw else None
    except json.JSONDecodeError:
        parsed = None
    return status, parsed, raw, response_headers
