"""The scores' state (scoring.liveness.moments: the snapshot stored last, the newest empowerment, the oldest change
owed, the worker's last heartbeat) is read on every view of the dashboard and poll of its status line. It is kept in
the cache and read from the database again only after a change of one of them, which every writer makes known."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cco.models import RecomputeRequest
from scoring import liveness
from scoring.heartbeat import heartbeat_write, heartbeats_prune
from scoring.models import AlignmentScore
from scoring.snapshots import scores_recompute
from tests.factories import DepartmentFactory, GoalFactory, PeriodFactory
from tests.web.test_shared_reads import DEAD_CACHE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def organisation():
    period = PeriodFactory(is_current=True)
    department = DepartmentFactory(name="Customer Service")
    GoalFactory(department=department, period=period)
    return department


def read() -> tuple[liveness.Moments, int]:
    with CaptureQueriesContext(connection) as queries:
        moments = liveness.moments()
    return moments, len(queries)


def test_unchanged_they_are_read_from_the_cache(organisation):
    scores_recompute()
    first, queries = read()
    assert queries == 1
    again, queries = read()
    assert (again, queries) == (first, 0)


def test_a_new_score_shows_at_once(organisation):
    scores_recompute()
    before, _ = read()
    GoalFactory(department=organisation, period=organisation.goals.first().period, title="Answer within a day")
    scores_recompute()  # stores snapshots in bulk: no signal, the store says so itself
    after, queries = read()
    assert queries == 1
    assert after.last_score_id == AlignmentScore.objects.order_by("-pk").first().pk != before.last_score_id


def test_a_change_owed_and_its_settling_show_at_once(organisation):
    scores_recompute()
    assert read()[0].owed_since is None
    with transaction.atomic():
        owed = RecomputeRequest.objects.create(department_id=organisation.pk)  # as cco.recompute writes it
        assert read()[0].owed_since == owed.requested_at, "a transaction that wrote it reads its own"
    assert read()[0].owed_since == owed.requested_at
    scores_recompute()
    assert read()[0].owed_since is None


def test_a_workers_heartbeat_and_its_going_show_at_once(organisation):
    assert read()[0].worker_seen_at is None
    heartbeat_write(hostname="worker@host", started_at=timezone.now())
    seen = read()[0].worker_seen_at
    assert seen is not None
    heartbeat_write(hostname="worker@host", started_at=timezone.now())
    assert read()[0].worker_seen_at > seen
    assert heartbeats_prune(older_than=timedelta(0)) == 1
    assert read()[0].worker_seen_at is None


def test_a_change_nobody_made_known_shows_within_moments_seconds(organisation, monkeypatch):
    monkeypatch.setattr(liveness, "MOMENTS_SECONDS", 1)
    scores_recompute()
    before, _ = read()
    AlignmentScore.objects.all().delete()  # a cascade's delete, say: nothing forgets the kept moments
    assert read()[0] == before
    time.sleep(1.2)
    assert read()[0].last_score_id is None


def test_with_the_cache_unreachable_they_are_read_from_the_database(organisation, settings):
    settings.CACHES = DEAD_CACHE
    scores_recompute()
    assert read()[1] == 1
    assert read()[1] == 1, "the database every time"
    assert read()[0].last_score_id == AlignmentScore.objects.order_by("-pk").first().pk
