"""POST/GET /api/v1/periods/<id>/roll-over/: the roll-over's plan (with the previewed organisation score), and the run
queued as a job (202) whose outcome the job gives once done."""

from __future__ import annotations

import pytest

from goals.models import CompensationLever, CustomerObjective, Goal, GoalLink
from goals.services import period_make_current
from tests.factories import PeriodFactory, quarter
from tests.rollover_org import next_quarter, scores_now, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """POST the roll-over (queued: 202), let it run as it does on commit, and return the finished job's outcome."""

    def post(client, target, data) -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            queued = client.post(url(target), data, format="json")
        assert queued.status_code == 202, queued.json()
        job = client.get(queued.headers["Location"]).json()
        assert job["state"] == "done", job
        return job["result"]

    return post


def stored() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (CustomerObjective, Goal, GoalLink, CompensationLever)}


def test_the_plan_previews_the_score_the_roll_over_gives(rolled, client_for, cco_user, run):
    target = next_quarter()
    plan = client_for(cco_user).get(url(target), {"from": rolled.period.pk})
    assert plan.status_code == 200, plan.json()
    body = plan.json()
    assert body["counts"]["goals_created"] == 5 and body["counts"]["sign_offs_kept"] == 1
    assert body["organisation_score"] == body["source_organisation_score"]
    assert stored()["Goal"] == 5, "a plan saves nothing"

    done = run(client_for(cco_user), target, {"from": rolled.period.pk})
    assert done["counts"] == body["counts"]
    period_make_current(actor=cco_user, period=target)
    assert float(scores_now()[None]) == body["organisation_score"]


def test_a_second_post_creates_nothing(rolled, client_for, cco_user, run):
    target = next_quarter()
    client = client_for(cco_user)
    run(client, target, {"from": rolled.period.pk})
    before = stored()
    again = run(client, target, {"from": rolled.period.pk})
    assert again["counts"]["goals_created"] == 0 and again["counts"]["objectives_created"] == 0
    assert stored() == before


def test_objectives_left_out_are_counted_in_the_plan(rolled, client_for, cco_user, run):
    target = next_quarter()
    body = client_for(cco_user).get(url(target), {"from": rolled.period.pk, "objectives": [rolled.happier.pk]}).json()
    assert body["counts"]["links_dropped"] == 2
    assert len(body["objectives_left_out"]) == 2
    done = run(client_for(cco_user), target, {"from": rolled.period.pk, "objectives": [rolled.happier.pk]})
    assert done["counts"]["objectives_created"] == 1


def test_a_target_before_the_source_is_a_400_naming_from(rolled, client_for, cco_user):
    earlier = PeriodFactory(**vars(quarter(-1)), is_current=False)
    before = stored()
    response = client_for(cco_user).post(url(earlier), {"from": rolled.period.pk}, format="json")
    assert response.status_code == 400
    assert "from" in response.json()["errors"]
    assert stored() == before


def test_an_unknown_period_is_a_404(rolled, client_for, cco_user):
    assert client_for(cco_user).get("/api/v1/periods/999999/roll-over/", {"from": rolled.period.pk}).status_code == 404


@pytest.mark.parametrize("role", ["head", "executive"])
def test_heads_and_executives_are_refused(rolled, client_for, head, executive, role):
    target = next_quarter()
    client = client_for({"head": head, "executive": executive}[role])
    before = stored()
    assert client.get(url(target), {"from": rolled.period.pk}).status_code == 403
    assert client.post(url(target), {"from": rolled.period.pk}, format="json").status_code == 403
    assert stored() == before


def test_anonymous_is_a_401(rolled, client_for):
    response = client_for().post(url(next_quarter()), {"from": rolled.period.pk}, format="json")
    assert response.status_code == 401


def test_an_admin_may_roll_over(rolled, client_for, admin_user, run):
    assert run(client_for(admin_user), next_quarter(), {"from": rolled.period.pk})["counts"]["goals_created"] == 5


def test_an_archived_objective_is_refused_by_its_title(client_for, cco_user, rolled):
    """Issue 15: the refusal printed a Python list of ids ("not [12]")."""
    from tests.factories import ObjectiveFactory

    stranger = ObjectiveFactory(period=rolled.period, title="Someone else's objective", active=False)
    response = client_for(cco_user).post(
        url(next_quarter()), {"from": rolled.period.pk, "objectives": [stranger.pk]}, format="json"
    )
    assert response.status_code == 400
    message = " ".join(response.json()["errors"]["objectives"])
    assert "“Someone else's objective” is not one of them" in message and "[" not in message


def test_an_objective_archived_in_the_target_is_refused_under_objectives_and_nothing_is_carried(
    rolled, client_for, cco_user
):
    from tests.factories import ObjectiveFactory

    target = next_quarter()
    ObjectiveFactory(period=target, title="Happier customers", active=False)
    before = stored()

    response = client_for(cco_user).post(url(target), {"from": rolled.period.pk}, format="json")

    assert response.status_code == 400
    assert "“Happier customers” is archived in" in response.json()["errors"]["objectives"][0]
    assert stored() == before
