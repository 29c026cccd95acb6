"""Recompute scheduling and snapshots: after commit only, idempotent, newest wins, reconcile after an outage."""

from decimal import Decimal

import pytest
from django.db import transaction

from cco.models import RecomputeRequest
from cco.recompute import enqueue_recompute
from goals.services import goal_update
from scoring.liveness import _forget_moments
from scoring.models import AlignmentScore
from scoring.selectors import latest_scores
from scoring.snapshots import scores_compute, scores_recompute, scores_store
from scoring.tasks import reconcile_scores
from tests.factories import GoalFactory, LineFactory, LinkFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked_goal(department, period):
    goal = GoalFactory(department=department, period=period, weight=Decimal(50))
    LinkFactory(goal=goal, objective=ObjectiveFactory(period=period), strength=Decimal("0.5"))
    LineFactory(department=department)
    return goal


def test_goal_edit_enqueues_exactly_one_recompute_after_commit(head, linked_goal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        goal_update(actor=head, goal=linked_goal, data={"weight": Decimal(60)})
    recomputes = [callback for callback in callbacks if getattr(callback, "func", None) is enqueue_recompute]
    assert len(recomputes) == 1
    assert recomputes[0].keywords == {"department_id": linked_goal.department_id}
    assert _forget_moments in callbacks, "and the dashboard's kept scores' state is forgotten (the change is owed)"


def test_rolled_back_edit_enqueues_nothing(head, linked_goal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        goal_update(actor=head, goal=linked_goal, data={"weight": Decimal(60)})
        raise RuntimeError("the request failed after the save")
    assert callbacks == []
    linked_goal.refresh_from_db()
    assert linked_goal.weight == Decimal(50)


def test_invalid_edit_enqueues_nothing(head, linked_goal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Exception):  # noqa: B017
        goal_update(actor=head, goal=linked_goal, data={"weight": Decimal(150)})
    assert callbacks == []


def test_committed_edit_changes_the_stored_score(head, linked_goal, django_capture_on_commit_callbacks):
    scores_recompute()
    before = latest_scores()[linked_goal.department_id].score
    with django_capture_on_commit_callbacks(execute=True):
        goal_update(actor=head, goal=linked_goal, data={"weight": Decimal(50)},
                    links=[])  # fmt: skip
    after = latest_scores()[linked_goal.department_id].score
    assert after < before


def test_recomputing_unchanged_inputs_stores_no_new_snapshot(linked_goal):
    scores_recompute()
    count = AlignmentScore.objects.count()
    assert scores_recompute()["snapshots"] == 0
    assert AlignmentScore.objects.count() == count


def test_an_older_computation_never_replaces_a_newer_snapshot(head, linked_goal):
    scores_recompute()
    stale = scores_compute()  # reads the inputs before the edit below
    goal_update(actor=head, goal=linked_goal, data={}, links=[])
    fresh = scores_compute()
    scores_store(fresh)
    assert scores_store(stale) == 0
    assert (
        latest_scores()[linked_goal.department_id].fingerprint
        == fresh.departments[linked_goal.department_id].fingerprint
    )


def test_latest_scores_is_one_query(linked_goal, django_assert_num_queries):
    scores_recompute()
    with django_assert_num_queries(1):
        latest = latest_scores()
    assert set(latest) == {linked_goal.department_id, None}


def test_edit_saved_while_the_broker_is_down_is_scored_by_reconcile(
    head, linked_goal, settings, django_capture_on_commit_callbacks
):
    scores_recompute()
    before = latest_scores()[linked_goal.department_id].score
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.RECOMPUTE_RECONCILE_GRACE_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        goal_update(actor=head, goal=linked_goal, data={}, links=[])
    linked_goal.refresh_from_db()
    assert not linked_goal.links.exists(), "the edit itself is saved"
    assert latest_scores()[linked_goal.department_id].score == before, "but nobody scored it"
    assert RecomputeRequest.objects.filter(department_id=linked_goal.department_id).exists(), "the debt is recorded"

    reconcile_scores()  # what beat runs once the broker is back

    assert latest_scores()[linked_goal.department_id].score < before
    assert not RecomputeRequest.objects.exists()


def test_reconcile_leaves_fresh_changes_to_their_own_recompute(head, linked_goal, settings):
    settings.RECOMPUTE_RECONCILE_GRACE_SECONDS = 60
    scores_recompute()
    goal_update(actor=head, goal=linked_goal, data={}, links=[])  # no commit here: nothing was sent yet

    outcome = reconcile_scores()

    assert "settled" not in outcome, "a change younger than the grace period is not recomputed by the reconcile"
    assert RecomputeRequest.objects.filter(department_id=linked_goal.department_id).exists()
    assert reconcile_scores(force=True)["settled"] == 1


def test_a_recompute_settles_only_the_requests_it_read(head, linked_goal):
    goal_update(actor=head, goal=linked_goal, data={}, links=[])
    owed = list(RecomputeRequest.objects.values_list("pk", flat=True))
    computation = scores_compute()
    later = RecomputeRequest.objects.create(department_id=linked_goal.department_id)  # committed after the read

    scores_store(computation, settles=owed)

    assert list(RecomputeRequest.objects.values_list("pk", flat=True)) == [later.pk]
