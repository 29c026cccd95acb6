"""A quarter's roll-over as a job (scoring.rollover_jobs): queued after the same checks as before, run on commit as
the person who asked (asked again), all or nothing with the reason kept, one at a time into a period, and looked
after by the reconcile like the recompute jobs."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cco import roles
from goals.models import Goal
from goals.rollover import roll_over_plan
from scoring.jobs import recompute_jobs_recover
from scoring.models import RollOverJob, WorkerHeartbeat
from scoring.rollover_jobs import RollOverAlreadyOpen, roll_over_job_create
from tests.factories import GoalFactory, PeriodFactory, UserFactory, quarter
from tests.rollover_org import counts, next_quarter

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(rolled):
    return rolled


def test_a_queued_roll_over_runs_once_committed_and_keeps_what_it_did(
    org, cco_user, django_capture_on_commit_callbacks
):
    target = next_quarter()
    planned = roll_over_plan(source=org.period, target=target).counts

    with django_capture_on_commit_callbacks(execute=True):
        job = roll_over_job_create(actor=cco_user, source=org.period, target=target)
        assert not Goal.objects.filter(period=target).exists(), "queuing carries nothing"

    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == ("done", 1, "")
    assert job.result == {
        "source": {"id": org.period.pk, "name": org.period.name},
        "target": {"id": target.pk, "name": target.name},
        "counts": planned,
    }
    assert Goal.objects.filter(period=target).count() == 5


def test_a_refused_run_saves_nothing_and_the_job_says_why(
    org, cco_user, department, django_capture_on_commit_callbacks
):
    """Service already has 80 weight in the next period: its 40-weight goal cannot fit, so nothing is carried."""
    target = next_quarter()
    GoalFactory(department=department, period=target, title="Something new", weight=Decimal(80))
    stored = counts()

    with django_capture_on_commit_callbacks(execute=True):
        job = roll_over_job_create(actor=cco_user, source=org.period, target=target)

    job.refresh_from_db()
    assert job.state == "failed" and job.result == {}
    assert "would weigh 120" in job.error and "ValidationError" not in job.error, "the rule's own words"
    assert f"{department}, the goal “Answer first time”: " in job.error, "which of the copies was refused"
    assert counts() == stored


def test_the_checks_of_the_plan_refuse_before_anything_is_queued(org, cco_user):
    earlier = PeriodFactory(**vars(quarter(-1)), is_current=False)
    with pytest.raises(ValidationError) as refused:
        roll_over_job_create(actor=cco_user, source=org.period, target=earlier)
    assert "source" in refused.value.message_dict
    assert not RollOverJob.objects.exists()


@pytest.mark.parametrize("role", ["head", "executive"])
def test_heads_and_executives_cannot_queue_a_roll_over(org, head, executive, role):
    with pytest.raises(PermissionDenied):
        roll_over_job_create(
            actor={"head": head, "executive": executive}[role], source=org.period, target=next_quarter()
        )
    assert not RollOverJob.objects.exists()


def test_the_run_asks_again_whether_the_person_may_roll_over(org, cco_user, django_capture_on_commit_callbacks):
    """They were the CCO when they queued it, and no longer are when a worker takes it."""
    target = next_quarter()
    stored = counts()
    with django_capture_on_commit_callbacks() as queued:
        job = roll_over_job_create(actor=cco_user, source=org.period, target=target)
    cco_user.groups.remove(Group.objects.get(name=roles.CCO))
    for send in queued:
        send()

    job.refresh_from_db()
    assert job.state == "failed" and job.error
    assert counts() == stored


def test_a_second_roll_over_into_the_period_is_refused_while_the_first_is_open(
    org, cco_user, admin_user, django_capture_on_commit_callbacks
):
    target = next_quarter()
    with django_capture_on_commit_callbacks() as first_sent:
        first = roll_over_job_create(actor=cco_user, source=org.period, target=target)

    with pytest.raises(RollOverAlreadyOpen) as refused:
        roll_over_job_create(actor=admin_user, source=org.period, target=target)
    assert refused.value.job == first
    assert f"A roll-over into {target} is already queued" in refused.value.messages[0]
    assert RollOverJob.objects.count() == 1

    for send in first_sent:
        send()
    assert roll_over_job_create(actor=admin_user, source=org.period, target=target).state == "queued", (
        "once the first is done, another may be queued"
    )


def test_the_index_refuses_a_second_open_job_that_slipped_past_the_check(org, cco_user, monkeypatch):
    """Two requests at the same instant both find no open job; the database's partial unique index refuses one."""
    target = next_quarter()
    first = RollOverJob.objects.create(requested_by=cco_user, source=org.period, target=target)
    looked = []

    def not_yet_committed(target):
        looked.append(target)
        return None if len(looked) == 1 else first

    monkeypatch.setattr("scoring.rollover_jobs.open_roll_over_job", not_yet_committed)
    with pytest.raises(RollOverAlreadyOpen) as refused:
        roll_over_job_create(actor=cco_user, source=org.period, target=target)
    assert refused.value.job == first
    assert RollOverJob.objects.count() == 1


def test_the_reconcile_queues_again_a_roll_over_whose_worker_died(
    org, cco_user, settings, django_capture_on_commit_callbacks
):
    settings.WORKER_HEARTBEAT_SECONDS, settings.WORKER_STALE_SECONDS = 10, 45
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        hostname="dead@host", pid=1, started_at=now - timedelta(hours=1), seen_at=now - timedelta(minutes=2)
    )
    job = RollOverJob.objects.create(
        requested_by=cco_user,
        source=org.period,
        target=next_quarter(),
        state="running",
        worker="dead@host",
        started_at=now - timedelta(minutes=3),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert recompute_jobs_recover()["requeued_jobs"] == 1

    job.refresh_from_db()
    assert (job.state, job.attempts) == ("done", 1), "sent again, and run by the (eager) worker"
    assert Goal.objects.filter(period=job.target).count() == 5


def test_a_roll_over_no_worker_takes_in_half_an_hour_fails_with_the_reason(org, cco_user):
    job = RollOverJob.objects.create(requested_by=cco_user, source=org.period, target=next_quarter())
    RollOverJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert recompute_jobs_recover()["expired_jobs"] == 1
    job.refresh_from_db()
    assert job.state == "failed" and "No worker took it" in job.error


def test_an_open_roll_over_whose_requester_has_left_still_refuses_a_second_and_says_so(org, cco_user, admin_user):
    target = next_quarter()
    leaver = UserFactory(role="CCO")
    RollOverJob.objects.create(requested_by=leaver, source=org.period, target=target)
    leaver.delete()

    with pytest.raises(RollOverAlreadyOpen) as refused:
        roll_over_job_create(actor=admin_user, source=org.period, target=target)

    assert "asked for by someone who has since left" in refused.value.messages[0]


def test_the_admin_lists_roll_over_jobs_and_changes_none(org, cco_user, admin_user, client):
    job = RollOverJob.objects.create(requested_by=cco_user, source=org.period, target=next_quarter())
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)

    listing = client.get("/admin/scoring/rolloverjob/")

    assert listing.status_code == 200 and str(job.target) in listing.content.decode()
    assert client.get("/admin/scoring/rolloverjob/add/").status_code == 403
    assert client.post(f"/admin/scoring/rolloverjob/{job.pk}/change/", {"state": "done"}).status_code == 403
    job.refresh_from_db()
    assert job.state == "queued"


def test_a_finished_run_has_reported_every_goal_copied_and_the_api_shows_progress_only_while_running(
    org, cco_user, django_capture_on_commit_callbacks
):
    from scoring.rollover_jobs import roll_over_progress

    with django_capture_on_commit_callbacks(execute=True):
        job = roll_over_job_create(actor=cco_user, source=org.period, target=next_quarter())
    job.refresh_from_db()
    assert job.state == "done"
    assert roll_over_progress(job.pk) == (5, 5)
