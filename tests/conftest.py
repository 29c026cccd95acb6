"""Shared fixtures: role users, a small organisation, and the real services (PostgreSQL, Redis, a worker).

Service tests need REDIS_URL (and PostgreSQL through DATABASE_URL). Without them they are skipped with
the reason; when the variable is set but the service does not answer, the test fails: CI sets both, so
a missing service there is a failure, never a silent skip.
"""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from cco import roles
from mandates.checklist import ensure_checklist
from mandates.models import MandateItem
from tests.factories import DepartmentFactory, PeriodFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop shares the test thread


_worker_summaries: list[str] = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist's controller: keep what each worker had to say at the end (the browser tests' markup checks)."""
    _worker_summaries.extend(getattr(node, "workeroutput", {}).get("summary_lines", []))


def pytest_terminal_summary(terminalreporter):
    for line in _worker_summaries:
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and at the end of the run no session left on it but this one, so that it can be
    dropped. A process that runs browser tests holds two connections: Django keeps one per context (asgiref.Local),
    and Playwright's event loop runs the tests' code in a context of its own. pytest-django closes only the one of
    the context it tears down in, and the other kept test_cco_gw0 from being dropped under pytest-xdist."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with nothing kept (cco.shared_reads, sessions, who is signed in): a transactional test's
    tables are emptied at its end by a flush, which sends no signal, so what it kept would otherwise outlive its data.
    And with the cache reachable: a test that made it unreachable leaves it set aside for a few seconds in this
    process, and a write's move of the generation owed."""
    from cco import cache_outage, shared_reads

    def reachable():
        cache_outage.reset()
        shared_reads._move_owed = False

    reachable()
    cache.clear()
    yield
    cache.clear()
    reachable()


@pytest.fixture
def role_groups(db):
    """The role groups and the mandate checklist, which migrations create: made here too, because a transactional
    test (the browser journeys) empties every table, and pytest-django may run some database tests after those."""
    ensure_checklist(MandateItem)
    return {name: Group.objects.get_or_create(name=name)[0] for name in roles.ALL_ROLES}


@pytest.fixture
def admin_user(role_groups):
    return UserFactory(username="admin-user", role=roles.ADMIN)


@pytest.fixture
def cco_user(role_groups):
    return UserFactory(username="cco-user", role=roles.CCO)


@pytest.fixture
def executive(role_groups):
    return UserFactory(username="exec-user", role=roles.EXECUTIVE)


@pytest.fixture
def period(db):
    return PeriodFactory()


@pytest.fixture
def head(role_groups):
    return UserFactory(username="head-user", role=roles.HEAD)


@pytest.fixture
def department(head):
    return DepartmentFactory(name="Service", heads=[head])


@pytest.fixture
def other_department(role_groups):
    other_head = UserFactory(username="other-head", role=roles.HEAD)
    return DepartmentFactory(name="Sales", heads=[other_head])


@pytest.fixture
def queued_scoring(settings):
    """The production mode's view of scoring, without a broker: changes are left to workers (not scored in the
    web process), and the test sets the state workers and changes leave in the database."""
    from datetime import timedelta

    from django.utils import timezone

    from cco.models import RecomputeRequest
    from scoring.models import WorkerHeartbeat

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = settings.CELERY_BROKER_URL = ""

    class State:
        @staticmethod
        def worker(seen_seconds_ago: float = 1) -> WorkerHeartbeat:
            seen = timezone.now() - timedelta(seconds=seen_seconds_ago)
            return WorkerHeartbeat.objects.create(
                hostname=f"w{seen.timestamp()}@host", pid=1, started_at=seen, seen_at=seen
            )

        @staticmethod
        def change_saved(seconds_ago: float = 0) -> RecomputeRequest:
            return RecomputeRequest.objects.create(requested_at=timezone.now() - timedelta(seconds=seconds_ago))

        @staticmethod
        def scored() -> None:
            RecomputeRequest.objects.all().delete()

    return State


# --- real services -----------------------------------------------------------------------------------


def _redis_url() -> str:
    """REDIS_URL's database, or under pytest-xdist this process's own (cco/settings/test.py)."""
    from django.conf import settings

    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: the Redis/worker tests run in CI (.ci/run) or with REDIS_URL exported")
    url = settings.REDIS_URL
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"REDIS_URL={url} is set but Redis does not answer: {exc}")
    return url


def _require_postgres() -> None:
    from django.db import connection

    if not os.environ.get("DATABASE_URL"):
        pytest.skip("DATABASE_URL is not set: this test needs PostgreSQL; it runs in CI (.ci/run)")
    if connection.vendor != "postgresql":
        pytest.fail(f"DATABASE_URL is set but the database is {connection.vendor}, not PostgreSQL")


@pytest.fixture
def postgres(transactional_db) -> None:
    """For tests that need real concurrent connections (row locks), which SQLite cannot give."""
    _require_postgres()


@pytest.fixture
def redis_url() -> str:
    return _redis_url()


@pytest.fixture
def broker(redis_url, settings):
    """Route tasks through the real Redis broker (not eager) for one test; leaves queue and keys empty.

    The broker URL itself comes from REDIS_URL through the settings; only eagerness is switched off here.
    """
    import redis

    from cco.celery import app

    if app.conf.broker_url != redis_url:
        pytest.fail(f"Celery's broker is {app.conf.broker_url}, expected REDIS_URL {redis_url}")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    client = redis.Redis.from_url(redis_url)

    def clean():
        for key in client.keys("cco:recompute:*"):
            client.delete(key)
        client.delete("celery")

    clean()
    yield client
    clean()
    app.conf.task_always_eager = True


@pytest.fixture
def celery_worker_on_redis(broker, transactional_db):
    """A real Celery worker thread consuming from the real Redis broker, on PostgreSQL."""
    _require_postgres()
    from celery.contrib.testing.worker import start_worker

    from cco.celery import app

    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture
def trusted_proxies(settings):
    """trusted_proxies(n): behave as with TRUSTED_PROXY_COUNT=n (the API's throttles and the sign-in lockout)."""

    def trust(count: int) -> None:
        settings.TRUSTED_PROXY_COUNT = count
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}

    return trust


@pytest.fixture
def rolled(period, department, other_department, head, cco_user):
    """tests.rollover_org's small organisation, for the roll-over tests of every path."""
    from tests.rollover_org import build_org

    return build_org(period=period, department=department, other_department=other_department, head=head, cco=cco_user)
