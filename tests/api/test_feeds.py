"""Metric feeds through the API: a key scoped to one data source pushes readings; bound goals and objectives move."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from goals.models import CheckIn, ObjectiveReading
from mandates import feed_tokens
from mandates.models import DataSource, Reading, SourceMetric
from tests.factories import (
    DataSourceFactory,
    GoalFactory,
    LinkFactory,
    ObjectiveFactory,
    period_around_today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed(cco_user, department):
    """A survey source with an NPS metric; a goal and an objective bound to it; a key for the source."""
    period = period_around_today()
    period.is_current = True
    period.save()
    source = DataSourceFactory(name="Survey tool", category="satisfaction")
    SourceMetric.objects.create(data_source=source, name="nps")
    SourceMetric.objects.create(data_source=source, name="csat")
    goal = GoalFactory(
        department=department, period=period, baseline=Decimal(20), target=Decimal(40), data_source=source,
        source_metric="nps",
    )  # fmt: skip
    objective = ObjectiveFactory(
        period=period, baseline=Decimal(20), target=Decimal(60), data_source=source, source_metric="nps"
    )
    LinkFactory(goal=goal, objective=objective, review="confirmed")
    _token, key = feed_tokens.feed_token_issue(actor=cco_user, source=source, name="Survey export")
    return source, goal, objective, key


def _push(client, source, rows, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Feed {key}"} if key else {}
    return client.post(f"/api/v1/data-sources/{source.pk}/readings/", rows, format="json", **headers)


def test_a_pushed_reading_becomes_the_bound_goals_value_and_moves_the_objective(client_for, fed, cco_user):
    source, goal, objective, key = fed
    at = timezone.now() - timedelta(hours=1)
    response = _push(client_for(), source, [{"metric": "nps", "at": at.isoformat(), "value": 30}], key)
    assert response.status_code == 200, response.content
    assert response.json()["stored"] == 1 and response.json()["check_ins"] == 1
    assert response.json()["objective_readings"] == 1
    goal.refresh_from_db()
    assert goal.current_value == Decimal(30)
    check_in = CheckIn.objects.get(goal=goal)
    assert check_in.source == "Survey tool: nps" and check_in.by is None
    # The objective's value and progress over the API: (30 - 20) / (60 - 20) = 25 %.
    body = client_for(cco_user).get(f"/api/v1/objectives/{objective.pk}/").json()
    assert Decimal(body["current_value"]) == Decimal(30)
    assert body["progress"] == pytest.approx(0.25)
    # The source is as fresh as its newest reading.
    source.refresh_from_db()
    assert abs((source.last_refreshed_at - at).total_seconds()) < 1


def test_a_batch_sent_twice_stores_nothing_new(client_for, fed):
    source, goal, _objective, key = fed
    rows = [{"metric": "nps", "at": (timezone.now() - timedelta(hours=h)).isoformat(), "value": h} for h in (1, 2)]
    assert _push(client_for(), source, rows, key).json()["stored"] == 2
    again = _push(client_for(), source, rows, key).json()
    assert again["stored"] == 0 and again["unchanged"] == 2 and again["check_ins"] == 0
    assert Reading.objects.count() == 2 and CheckIn.objects.filter(goal=goal).count() == 2


def test_a_bad_batch_is_refused_whole_with_errors_per_row(client_for, fed):
    source, goal, _objective, key = fed
    now = timezone.now()
    rows = [
        {"metric": "nps", "at": (now - timedelta(hours=1)).isoformat(), "value": 31},
        {"metric": "unknown", "at": now.isoformat(), "value": 1},
        {"metric": "nps", "at": "yesterday", "value": "a lot"},
        {"metric": "nps", "at": (now + timedelta(days=2)).isoformat(), "value": 5},
    ]
    response = _push(client_for(), source, rows, key)
    assert response.status_code == 400
    body = response.json()
    assert body["refused_rows"] == 3
    by_row = {row["row"]: row["errors"] for row in body["rows"]}
    assert set(by_row) == {2, 3, 4}
    assert "no metric named “unknown”" in by_row[2]["metric"][0] and "csat, nps" in by_row[2]["metric"][0]
    assert set(by_row[3]) == {"at", "value"}
    assert "between 2000 and now" in by_row[4]["at"][0]
    assert Reading.objects.count() == 0 and not CheckIn.objects.filter(goal=goal).exists()


def test_a_second_value_for_the_same_moment_is_refused_not_overwritten(client_for, fed):
    source, _goal, _objective, key = fed
    at = (timezone.now() - timedelta(hours=1)).isoformat()
    _push(client_for(), source, [{"metric": "nps", "at": at, "value": 30}], key)
    response = _push(client_for(), source, [{"metric": "nps", "at": at, "value": 35}], key)
    assert response.status_code == 400
    assert "never overwritten" in response.json()["rows"][0]["errors"]["value"][0]
    assert Reading.objects.get().value == Decimal(30)


def test_a_key_feeds_its_own_source_only_and_a_revoked_key_nothing(client_for, fed, cco_user):
    source, _goal, _objective, key = fed
    other = DataSourceFactory(name="Web analytics")
    SourceMetric.objects.create(data_source=other, name="nps")
    row = [{"metric": "nps", "at": timezone.now().isoformat(), "value": 1}]
    assert _push(client_for(), other, row, key).status_code == 403
    token = source.feed_tokens.get()
    feed_tokens.feed_token_revoke(actor=cco_user, token=token)
    assert _push(client_for(), source, row, key).status_code == 401
    assert _push(client_for(), source, row, "not-a-key").status_code == 401
    assert _push(client_for(), source, row).status_code == 401  # no credentials at all
    assert Reading.objects.count() == 0


def test_people_push_only_where_they_may_change_the_source(client_for, fed, cco_user, head, executive):
    source, _goal, _objective, _key = fed
    row = [{"metric": "csat", "at": timezone.now().isoformat(), "value": 80}]
    assert _push(client_for(head), source, row).status_code == 403
    assert _push(client_for(executive), source, row).status_code == 403
    assert _push(client_for(cco_user), source, row).status_code == 200
    assert Reading.objects.count() == 1


def test_metrics_are_named_over_the_api_by_those_who_may_change_the_source(client_for, cco_user, head):
    source = DataSourceFactory(name="CRM")
    assert client_for(head).post(f"/api/v1/data-sources/{source.pk}/metrics/", {"name": "churn"}).status_code == 403
    bad = client_for(cco_user).post(f"/api/v1/data-sources/{source.pk}/metrics/", {"name": "Churn Rate!"})
    assert bad.status_code == 400 and "name" in bad.json()["errors"]
    created = client_for(cco_user).post(f"/api/v1/data-sources/{source.pk}/metrics/", {"name": "churn_rate"})
    assert created.status_code == 201 and created.json()["metrics"] == [{"name": "churn_rate", "unit": ""}]
    again = client_for(cco_user).post(f"/api/v1/data-sources/{source.pk}/metrics/", {"name": "churn_rate"})
    assert again.status_code == 400


def test_binding_a_goal_to_a_metric_the_source_lacks_is_refused(client_for, fed, cco_user):
    """The CCO may rebind a fed goal (its heads may not: test_fed_goal_binding), but only to a metric that exists."""
    source, goal, _objective, _key = fed
    client = client_for(cco_user)
    etag = client.get(f"/api/v1/goals/{goal.pk}/")["ETag"]
    response = client.patch(
        f"/api/v1/goals/{goal.pk}/", {"source_metric": "revenue"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400
    assert "has no metric named “revenue”" in str(response.json())
    goal.refresh_from_db()
    assert goal.source_metric == "nps"


def test_the_cco_records_an_objectives_value_by_hand(client_for, cco_user, head, period):
    objective = ObjectiveFactory(period=period, baseline=Decimal(70), target=Decimal(80))
    url = f"/api/v1/objectives/{objective.pk}/readings/"
    assert client_for(head).post(url, {"value": 75}).status_code == 403
    assert client_for(cco_user).post(url, {"value": "lots"}).status_code == 400
    assert client_for(cco_user).post(url, {"value": 75}).status_code == 201
    assert ObjectiveReading.objects.get().by == cco_user
    body = client_for(cco_user).get(f"/api/v1/objectives/{objective.pk}/").json()
    assert body["progress"] == pytest.approx(0.5)


def test_ten_thousand_readings_in_one_batch_are_taken(client_for, fed):
    """Size, not speed: `make bench` times the batch; here it must simply be taken whole."""
    source, goal, _objective, key = fed
    start = timezone.now() - timedelta(days=9)
    rows = [
        {"metric": "nps", "at": (start + timedelta(seconds=60 * i)).isoformat(), "value": i % 50} for i in range(10_000)
    ]
    response = _push(client_for(), source, rows, key)
    assert response.status_code == 200, response.content[:500]
    assert response.json()["stored"] == 10_000
    assert CheckIn.objects.filter(goal=goal).count() == 10_000
    goal.refresh_from_db()
    assert goal.current_value == Decimal(9_999 % 50)
    assert DataSource.objects.get(pk=source.pk).last_refreshed_at is not None


def test_a_value_typed_for_an_objective_is_dated_in_its_period_as_a_fed_one_is(client_for, cco_user, period):
    """A value of another quarter would become this quarter's current value, as a goal's check-in would."""
    objective = ObjectiveFactory(period=period, baseline=Decimal(70), target=Decimal(80))
    long_before = timezone.make_aware(datetime.combine(period.start - timedelta(days=200), datetime.min.time()))

    response = client_for(cco_user).post(
        f"/api/v1/objectives/{objective.pk}/readings/", {"value": "99", "at": long_before.isoformat()}, format="json"
    )

    assert response.status_code == 400
    assert "a value of this objective cannot be dated before" in response.json()["errors"]["at"][0]
    assert not ObjectiveReading.objects.exists()
