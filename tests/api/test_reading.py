"""Reading: every role reads every resource; a user without a role and an anonymous client read nothing."""

import pytest

pytestmark = pytest.mark.django_db
READABLE_BY_EVERY_ROLE = [
    "/api/v1/departments/",
    "/api/v1/reporting-lines/",
    "/api/v1/periods/",
    "/api/v1/objectives/",
    "/api/v1/goals/",
    "/api/v1/check-ins/",
    "/api/v1/levers/",
    "/api/v1/decisions/",
    "/api/v1/data-sources/",
    "/api/v1/mandate-items/",
    "/api/v1/scores/",
    "/api/v1/scores/latest/",
    "/api/v1/scores/history/",
    "/api/v1/dashboard/",
]
ROLES = ["admin", "cco", "executive", "head", "other_head"]


@pytest.mark.parametrize("url", READABLE_BY_EVERY_ROLE)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads(client_for, users, org, role, url):
    assert client_for(users[role]).get(url).status_code == 200


@pytest.mark.parametrize("url", READABLE_BY_EVERY_ROLE)
def test_a_user_without_a_role_reads_nothing(client_for, nobody, org, url):
    assert client_for(nobody).get(url).status_code == 403


@pytest.mark.parametrize("url", [*READABLE_BY_EVERY_ROLE, "/api/v1/users/me/", "/api/v1/recompute/"])
def test_anonymous_clients_read_nothing(client_for, org, url):
    assert client_for().get(url).status_code == 401


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("cco", 200), ("executive", 403), ("head", 403)])
def test_recompute_jobs_are_read_by_those_who_may_queue_them(client_for, users, org, role, status):
    assert client_for(users[role]).get("/api/v1/recompute/").status_code == status


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("cco", 403), ("executive", 403), ("head", 403)])
def test_tokens_are_read_by_admins_only(client_for, users, org, role, status):
    assert client_for(users[role]).get("/api/v1/tokens/").status_code == status


def test_a_user_without_a_role_still_sees_who_they_are(client_for, nobody, org):
    body = client_for(nobody).get("/api/v1/users/me/").json()
    assert (body["username"], body["roles"], body["headed_departments"]) == ("no-role", [], [])
