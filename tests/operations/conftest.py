"""The production shape in separate processes for the fault tests: gunicorn, a Celery worker and beat with
production settings, on the test's own PostgreSQL database and a redis-server of the test's own that the test
may stop and start. Edits go through the API, as a client's would; the test reads the database directly."""

from __future__ import annotations

import sys
import time
from decimal import Decimal
from urllib.parse import quote

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken

from cco import roles
from ops.stack import Stack, free_port, http_json, wait_for
from scoring.models import AlignmentScore
from scoring.snapshots import scores_compute, scores_recompute
from tests.factories import DepartmentFactory, GoalFactory, LineFactory, LinkFactory, ObjectiveFactory, UserFactory

pytestmark = pytest.mark.services

# Fast clocks so a test sees in seconds what production does in under a minute (docs/operations.md).
FAST = {
    "CCO_RECONCILE_SECONDS": "2",
    "RECOMPUTE_RECONCILE_GRACE_SECONDS": "2",
    "RECOMPUTE_COALESCE_SECONDS": "0.5",
    "RECOMPUTE_BURST_SECONDS": "1.5",
    "WORKER_HEARTBEAT_SECONDS": "1",
    "WORKER_STALE_SECONDS": "5",
}


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def stack(postgres, redis_url, request):
    """A Stack with a private redis-server; start gunicorn, worker and beat as the test needs them."""
    env = {
        "DJANGO_SETTINGS_MODULE": "cco.settings.production",
        "SECRET_KEY": "fault-tests-only-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, no TLS in front
        "LOG_LEVEL": "INFO",
        **FAST,
    }
    with Stack(env=env, python=sys.executable) as running:
        redis_process, port = running.redis()
        running.env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        running.redis_process, running.redis_port = redis_process, port
        yield running
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            print(running.logs())  # noqa: T201 - pytest shows it with the failed test only


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


class Organisation:
    """One department whose score a head can move, and a bystander department the test can lock."""

    def __init__(self):
        self.head = UserFactory(username="fault-head", role=roles.HEAD)
        self.cco = UserFactory(username="fault-cco", role=roles.CCO)
        self.department = DepartmentFactory(name="Service", heads=[self.head])
        self.bystander = DepartmentFactory(name="Research")
        LineFactory(department=self.department)
        self.objective = ObjectiveFactory()
        self.goal = GoalFactory(department=self.department, weight=Decimal(60))
        LinkFactory(goal=self.goal, objective=self.objective, strength=Decimal("0.2"))
        scores_recompute()
        self.head_token = AuthToken.objects.create(user=self.head)[1]
        self.cco_token = AuthToken.objects.create(user=self.cco)[1]

    def edit(self, base: str, strength: str):
        """Change how strongly the goal supports the objective: a change that moves the department's score."""
        links = [{"objective": self.objective.pk, "kind": "supports", "strength": strength}]
        return http_json(
            f"{base}/api/v1/goals/{self.goal.pk}/",
            method="PATCH",
            body={"links": links},
            headers={"Authorization": f"Token {self.head_token}", "If-Match": "*"},
        )

    def scores_are_current(self) -> bool:
        """The stored snapshot of the department is what the engine gives for the inputs as they are now."""
        expected = scores_compute().departments[self.department.pk].fingerprint
        latest = AlignmentScore.objects.filter(department=self.department).order_by("-computed_at").first()
        return latest is not None and latest.fingerprint == expected

    def scoring_state(self) -> str:
        """What the database holds about the department's scoring, for a failure message."""
        from cco.models import RecomputeRequest

        expected = scores_compute().departments[self.department.pk].fingerprint
        snapshots = AlignmentScore.objects.filter(department=self.department).order_by("-computed_at")[:5]
        owed = RecomputeRequest.objects.order_by("pk")
        return "\n".join(
            [
                f"now {timezone.now().isoformat()}; the inputs now fingerprint {expected[:16]}",
                f"owed requests ({owed.count()}): "
                + ", ".join(f"{r.department_id}@{r.requested_at:%X.%f}" for r in owed[:10]),
                "newest snapshots: "
                + ", ".join(f"{s.fingerprint[:16]}@{s.computed_at:%X.%f} score {s.score}" for s in snapshots),
            ]
        )


@pytest.fixture
def organisation(postgres):
    return Organisation()


def serve(stack) -> str:
    port = free_port()
    stack.gunicorn(port)
    return f"http://127.0.0.1:{port}"


def wait_for_worker(base: str, timeout: float = 30):
    def ready():
        status, body, *_ = http_json(f"{base}/healthz")
        return status == 200 and body["worker"].startswith("ok")

    wait_for(ready, timeout=timeout, what="a worker heartbeat on /healthz")


class RowLock:
    """Holds a department row locked from another connection, so a recompute (which locks every department row
    before storing) waits mid-task where the test can kill its worker or its database connection."""

    def __init__(self, department_id: int):
        self.conn = psycopg2.connect(database_url())
        self.conn.autocommit = False
        with self.conn.cursor() as cursor:
            cursor.execute("SELECT id FROM departments_department WHERE id = %s FOR UPDATE", [department_id])

    def waiting_backend(self, timeout: float = 20) -> int:
        """The pid of the database backend that is waiting for this lock (the worker's)."""

        def find():
            with psycopg2.connect(database_url()) as probe, probe.cursor() as cursor:
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                row = cursor.fetchone()
            probe.close()
            return row and row[0]

        return wait_for(find, timeout=timeout, what="a recompute waiting for the locked department row")

    def release(self):
        """Let the waiting recompute go on, and close the connection: an open one would keep the test database from
        being dropped at the end of the run."""
        if not self.conn.closed:
            self.conn.rollback()
            self.conn.close()
            self.conn.close()


@pytest.fixture
def row_lock(organisation):
    locks = []

    def take():
        lock = RowLock(organisation.bystander.pk)
        locks.append(lock)
        return lock

    yield take
    for lock in locks:
        lock.release()


def eventually(predicate, *, within: float, what: str, explain=None):
    """Seconds until `predicate` held; on timeout the error carries `explain()`, what the test could see then."""
    started = time.monotonic()
    try:
        wait_for(predicate, timeout=within, interval=0.5, what=what)
    except TimeoutError as exc:
        if explain is None:
            raise
        raise TimeoutError(f"{exc}\n{explain()}") from None
    return time.monotonic() - started
