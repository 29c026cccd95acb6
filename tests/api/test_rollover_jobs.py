"""POST /api/v1/periods/<id>/roll-over/ queues the roll-over (202 and the job), GET .../roll-over/jobs/<id>/ follows
it: its state, then the outcome in the shape the POST returned before, or why nothing was saved."""

from __future__ import annotations

from decimal import Decimal

import pytest

from goals.models import Goal
from scoring.models import RollOverJob
from tests.factories import GoalFactory, PeriodFactory, quarter
from tests.rollover_org import next_quarter, url

pytestmark = pytest.mark.django_db


def test_the_post_answers_202_with_the_job_to_follow_to_done(
    rolled, client_for, cco_user, django_capture_on_commit_callbacks
):
    target = next_quarter()
    client = client_for(cco_user)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(url(target), {"from": rolled.period.pk}, format="json")

    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["state"] == "queued" and body["result"] is None
    assert body["url"] == response.headers["Location"]
    assert body["url"].endswith(f"/api/v1/periods/{target.pk}/roll-over/jobs/{body['id']}/")
    assert (body["source"]["id"], body["target"]["id"], body["objectives"]) == (rolled.period.pk, target.pk, None)
    assert client.get(body["url"]).json()["state"] == "queued"

    for send in queued:
        send()
    job = client.get(body["url"]).json()
    assert job["state"] == "done" and job["error"] == ""
    assert job["result"]["source"] == {"id": rolled.period.pk, "name": rolled.period.name}
    assert job["result"]["counts"]["goals_created"] == 5
    assert Goal.objects.filter(period=target).count() == 5


def test_a_failed_job_gives_the_reason_and_no_result(
    rolled, client_for, cco_user, department, django_capture_on_commit_callbacks
):
    target = next_quarter()
    GoalFactory(department=department, period=target, title="Something new", weight=Decimal(80))
    client = client_for(cco_user)
    with django_capture_on_commit_callbacks(execute=True):
        location = client.post(url(target), {"from": rolled.period.pk}, format="json").headers["Location"]
    job = client.get(location).json()
    assert (job["state"], job["result"]) == ("failed", None)
    assert "the total may not exceed 100" in job["error"]
    assert Goal.objects.filter(period=target).count() == 1


def test_a_second_post_while_one_is_open_is_a_409_pointing_to_it(
    rolled, client_for, cco_user, django_capture_on_commit_callbacks
):
    target = next_quarter()
    client = client_for(cco_user)
    with django_capture_on_commit_callbacks():
        first = client.post(url(target), {"from": rolled.period.pk}, format="json").json()

    again = client.post(url(target), {"from": rolled.period.pk}, format="json")

    assert again.status_code == 409
    assert again.json()["code"] == "roll_over_open"
    assert again.headers["Location"] == first["url"] and first["url"] in again.json()["detail"]
    assert RollOverJob.objects.count() == 1


@pytest.mark.parametrize("role", ["head", "executive"])
def test_heads_and_executives_cannot_follow_a_roll_over(
    rolled, client_for, cco_user, head, executive, role, django_capture_on_commit_callbacks
):
    target = next_quarter()
    with django_capture_on_commit_callbacks():
        location = client_for(cco_user).post(url(target), {"from": rolled.period.pk}, format="json")
    other = client_for({"head": head, "executive": executive}[role])
    assert other.get(location.headers["Location"]).status_code == 403
    assert other.get(f"{url(target)}jobs/").status_code == 403


def test_the_period_lists_its_roll_overs_newest_first_with_what_each_did(
    rolled, client_for, cco_user, department, django_capture_on_commit_callbacks
):
    target = next_quarter()
    blocker = GoalFactory(department=department, period=target, title="Something new", weight=Decimal(80))
    client = client_for(cco_user)
    with django_capture_on_commit_callbacks(execute=True):
        failed = client.post(url(target), {"from": rolled.period.pk}, format="json").json()
    blocker.delete()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url(target), {"from": rolled.period.pk}, format="json").json()

    listed = client.get(f"{url(target)}jobs/")

    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 2
    assert [(job["id"], job["state"]) for job in body["results"]] == [(done["id"], "done"), (failed["id"], "failed")]
    assert "the total may not exceed 100" in body["results"][1]["error"]
    assert body["results"][0]["result"]["counts"]["goals_created"] == 5
    assert client.get(f"{url(PeriodFactory(**vars(quarter(2)), is_current=False))}jobs/").json()["count"] == 0
    assert client.get("/api/v1/periods/999999/roll-over/jobs/").status_code == 404
