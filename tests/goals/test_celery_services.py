"""Against the real Redis broker (and, for the worker, PostgreSQL): coalescing and the end-to-end path.

Skipped with a reason when REDIS_URL/DATABASE_URL are not set; CI sets both, so there they must pass.
"""

import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from celery.signals import before_task_publish
from django.db import transaction

from cco.models import RecomputeRequest
from cco.recompute import BUSY_KEY, PENDING_KEY, enqueue_recompute, recompute_queued
from goals.links import LinkInput
from goals.services import goal_update
from scoring.selectors import latest_scores
from scoring.snapshots import scores_recompute
from tests.factories import DepartmentFactory, GoalFactory, LineFactory, ObjectiveFactory

pytestmark = pytest.mark.services


@pytest.fixture
def published():
    names = []

    def record(sender=None, **kwargs):
        names.append(sender)

    before_task_publish.connect(record, weak=False)
    yield names
    before_task_publish.disconnect(record)


@pytest.mark.django_db
def test_a_burst_of_100_goal_edits_across_departments_sends_one_recompute(
    broker, published, cco_user, period, django_capture_on_commit_callbacks
):
    goals = [GoalFactory(department=DepartmentFactory(), period=period, weight=Decimal(1)) for _ in range(5)]
    for weight in range(1, 21):
        for goal in goals:
            with django_capture_on_commit_callbacks(execute=True):
                goal_update(actor=cco_user, goal=goal, data={"weight": Decimal(weight)})
    assert published == ["scoring.recompute_scores"]
    assert broker.llen("celery") == 1
    assert recompute_queued()
    assert RecomputeRequest.objects.values("department_id").distinct().count() == 5, "the task will score all five"


@pytest.mark.django_db
def test_after_the_task_starts_a_new_edit_queues_a_new_recompute(broker, published, department):
    assert enqueue_recompute(department_id=department.pk) is True
    assert enqueue_recompute(department_id=department.pk) is False
    broker.delete(PENDING_KEY)  # what the task does as it starts
    assert enqueue_recompute(department_id=department.pk) is True
    assert len(published) == 2


@pytest.mark.django_db
def test_edits_faster_than_they_are_scored_lengthen_the_next_window(broker, department, settings):
    etas = []

    def record(sender=None, headers=None, **kwargs):
        etas.append(datetime.fromisoformat(headers["eta"]) - datetime.now(UTC))

    before_task_publish.connect(record, weak=False)
    try:
        assert enqueue_recompute(department_id=department.pk) is True  # one person's edit: the short window
        assert not broker.exists(BUSY_KEY)
        assert enqueue_recompute(department_id=department.pk) is False  # a second one before it was scored
        assert broker.exists(BUSY_KEY)
        broker.delete(PENDING_KEY)  # the task started
        assert enqueue_recompute(department_id=department.pk) is True
    finally:
        before_task_publish.disconnect(record)
    short, long = (eta.total_seconds() for eta in etas)
    assert short <= settings.RECOMPUTE_COALESCE_SECONDS < settings.RECOMPUTE_BURST_SECONDS - 0.5 < long


def test_worker_scores_a_goal_edit_end_to_end(celery_worker_on_redis, role_groups):
    from tests.factories import PeriodFactory, UserFactory

    head = UserFactory(username="e2e-head", role="Department head")
    period = PeriodFactory()
    department = DepartmentFactory(name="Support", heads=[head])
    LineFactory(department=department)
    objective = ObjectiveFactory(period=period)
    goal = GoalFactory(department=department, period=period, weight=Decimal(100))
    scores_recompute()
    before = latest_scores()[department.pk].score

    with transaction.atomic():  # a real commit: the task is sent only after it
        goal_update(actor=head, goal=goal, data={}, links=[LinkInput(objective, "supports", Decimal(1))])

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if latest_scores()[department.pk].score != before:
            break
        time.sleep(0.2)
    after = latest_scores()[department.pk]
    assert after.score > before, "the worker stored a new snapshot for the edit"
    # the head's new link is a claim: it counts at half until the CCO confirms it
    assert any("50% of goal weight supports customer objectives" in reason for reason in after.reasons)
    assert not recompute_queued()
