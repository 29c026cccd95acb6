"""Scores, the dashboard and recompute jobs over the API."""

import pytest

from scoring.models import AlignmentScore, RecomputeJob
from scoring.snapshots import scores_recompute
from tests.api.helpers import goal_payload
from tests.factories import quarter

pytestmark = pytest.mark.django_db
SCORES = "/api/v1/scores/"
RECOMPUTE = "/api/v1/recompute/"


def test_creating_a_goal_moves_its_departments_score(client_for, head, org, django_capture_on_commit_callbacks):
    client = client_for(head)
    scores_recompute()
    before = client.get(f"/api/v1/departments/{org.department.pk}/").json()["alignment_score"]
    payload = goal_payload(org, links=[{"objective": org.objective.pk, "strength": "1"}], weight="60")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/api/v1/goals/", payload, format="json").status_code == 201
    after = client.get(f"/api/v1/departments/{org.department.pk}/").json()["alignment_score"]
    assert before is not None and after is not None
    assert float(after) > float(before)


def test_latest_scores_give_the_organisation_and_each_department(client_for, executive, org):
    scores_recompute()
    body = client_for(executive).get(f"{SCORES}latest/").json()
    assert body["organisation"]["department"] is None
    assert body["organisation"]["reasons"]
    assert [row["department_name"] for row in body["departments"]] == ["Sales", "Service"]
    assert set(body["departments"][1]["components"]) == {"linkage", "shared", "compensation", "reporting", "conflict"}


def test_latest_scores_are_paged_by_department_name_with_the_organisation_on_every_page(client_for, executive, org):
    scores_recompute()
    client = client_for(executive)
    first = client.get(f"{SCORES}latest/", {"page_size": 1}).json()
    second = client.get(first["next"]).json()
    assert (first["count"], first["previous"], second["next"]) == (2, None, None)
    assert [row["department_name"] for row in first["departments"] + second["departments"]] == ["Sales", "Service"]
    assert first["organisation"] == second["organisation"] and first["organisation"]["department"] is None
    assert client.get(f"{SCORES}latest/", {"page": 9}).status_code == 404


def test_history_is_oldest_first_and_limited(client_for, executive, org):
    for score in (1, 2, 3):
        AlignmentScore.objects.create(department=org.department, score=score, fingerprint=str(score))
    response = client_for(executive).get(f"{SCORES}history/", {"department": org.department.pk, "limit": 2})
    assert [row["score"] for row in response.json()] == ["2.0", "3.0"]


def test_history_of_an_unknown_department_is_a_404(client_for, executive, org):
    assert client_for(executive).get(f"{SCORES}history/", {"department": 999999}).status_code == 404


def test_history_with_a_bad_limit_is_a_400_naming_it(client_for, executive, org):
    response = client_for(executive).get(f"{SCORES}history/", {"limit": 0})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["limit"]


def test_scores_filter_to_the_organisation(client_for, executive, org):
    scores_recompute()
    response = client_for(executive).get(SCORES, {"organisation": "true"})
    assert [row["department"] for row in response.json()["results"]] == [None]


def test_score_list_queries_do_not_grow(client_for, executive, org, django_assert_max_num_queries):
    for _ in range(3):
        scores_recompute()
        org.goal.weight += 1
        org.goal.save()
    client = client_for(executive)
    with django_assert_max_num_queries(5):
        client.get(SCORES)


def test_dashboard_summarises_scores_departments_and_attention(client_for, head, org, django_assert_max_num_queries):
    scores_recompute()
    client = client_for(head)
    with django_assert_max_num_queries(39):  # +6 issue 13: a page of departments, counts of each attention group; +7
        # the attention list asked in small parts (issue 13)
        body = client.get("/api/v1/dashboard/").json()
    assert body["period"]["name"] == quarter().name
    assert body["organisation"]["score"] is not None
    assert {row["name"]: row["reach"] for row in body["departments"]} == {"Service": "direct", "Sales": "none"}
    assert body["mandate"]["total"] == 9
    unreached = next(group for group in body["attention"] if group["key"] == "unreached")
    assert [item["text"] for item in unreached["items"]] == ["Sales"]


def test_user_without_a_role_cannot_see_the_dashboard(client_for, nobody, org):
    assert client_for(nobody).get("/api/v1/dashboard/").status_code == 403


@pytest.mark.parametrize("role", ["cco", "admin"])
def test_cco_and_admin_queue_a_recompute_that_ends_done(
    client_for, users, org, role, django_capture_on_commit_callbacks
):
    client = client_for(users[role])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RECOMPUTE)
    assert response.status_code == 202
    assert response.json()["state"] == "queued"
    assert response.headers["Location"].endswith(f"/api/v1/recompute/{response.json()['id']}/")
    job = client.get(f"{RECOMPUTE}{response.json()['id']}/").json()
    assert job["state"] == "done"
    assert job["result"]["departments"] == 2
    assert AlignmentScore.objects.filter(department__isnull=True).exists()


def test_a_failing_recompute_job_ends_failed_with_the_error(client_for, cco_user, org, monkeypatch,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    def broken():
        raise RuntimeError("engine exploded")

    monkeypatch.setattr("scoring.tasks.scores_recompute", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job_id = client_for(cco_user).post(RECOMPUTE).json()["id"]
    job = RecomputeJob.objects.get(pk=job_id)
    assert (job.state, job.error) == ("failed", "RuntimeError: engine exploded")


@pytest.mark.parametrize("role", ["executive", "head"])
def test_others_cannot_queue_a_recompute(client_for, users, org, role):
    assert client_for(users[role]).post(RECOMPUTE).status_code == 403
    assert not RecomputeJob.objects.exists()


def test_an_unknown_job_is_a_404(client_for, cco_user, org):
    assert client_for(cco_user).get(f"{RECOMPUTE}00000000-0000-0000-0000-000000000000/").status_code == 404
