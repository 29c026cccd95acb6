"""Issue 12, items 2 and 3 (first part): every snapshot records its period; a past quarter's scores can be read as
it ended (?period= on the scores API); a trend reads one reading a day; "change" is since the period began."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.services import goal_update, period_make_current
from scoring.models import AlignmentScore
from scoring.selectors import latest_scores, score_history
from scoring.snapshots import scores_recompute
from tests.factories import PeriodFactory, quarter

pytestmark = pytest.mark.django_db

LATEST = reverse("api:score-latest")
HISTORY = reverse("api:score-history")


def test_every_snapshot_records_the_period_it_scored(org):
    scores_recompute()
    assert set(AlignmentScore.objects.values_list("period", flat=True)) == {org.period.pk}


def test_a_new_quarter_starts_its_own_scores_and_the_last_quarter_can_be_read_as_it_ended(org, cco_user, client_for):
    scores_recompute()
    ended = latest_scores()
    following = PeriodFactory(**vars(quarter(1)), is_current=False)
    period_make_current(actor=cco_user, period=following)
    scores_recompute()

    assert latest_scores()[None].period_id == following.pk
    assert latest_scores(org.period)[None].pk == ended[None].pk
    body = client_for(cco_user).get(LATEST, {"period": org.period.pk}).json()
    assert body["organisation"]["id"] == ended[None].pk
    assert body["organisation"]["period"] == org.period.pk
    assert {row["id"] for row in body["departments"]} == {
        ended[org.department.pk].pk,
        ended[org.other_department.pk].pk,
    }
    assert client_for(cco_user).get(LATEST).json()["organisation"]["period"] == following.pk


def test_the_history_of_one_period_with_one_reading_a_day(org, head, client_for):
    scores_recompute()
    today = AlignmentScore.objects.filter(department=org.department).latest()
    AlignmentScore.objects.filter(pk=today.pk).update(computed_at=timezone.now() - timedelta(days=1, hours=2))
    for weight in (30, 25, 20):  # three changes today: only the last counts for today
        goal_update(actor=head, goal=org.goal, data={"weight": Decimal(weight)})
        scores_recompute()

    daily = score_history(department=org.department, period=org.period, daily=True)
    assert len(daily) == 2
    assert daily[-1] == AlignmentScore.objects.filter(department=org.department).latest()
    body = (
        client_for(head)
        .get(HISTORY, {"department": org.department.pk, "period": org.period.pk, "daily": "true"})
        .json()
    )
    assert [row["id"] for row in body] == [row.pk for row in daily]


def test_an_unknown_period_is_a_404_and_a_bad_one_a_400(org, head, client_for):
    client = client_for(head)
    assert client.get(LATEST, {"period": 999999}).status_code == 404
    assert client.get(LATEST, {"period": "last"}).status_code == 400
    assert client.get(HISTORY, {"period": 999999}).status_code == 404


def test_the_department_change_is_since_the_period_began_and_says_so(org, head, client):
    scores_recompute()
    opening = AlignmentScore.objects.get(department=org.department)
    goal_update(actor=head, goal=org.goal, data={"weight": Decimal(20)})
    scores_recompute()
    goal_update(actor=head, goal=org.goal, data={"weight": Decimal(10)})
    scores_recompute()
    latest = latest_scores()[org.department.pk]

    client.force_login(head)
    response = client.get(reverse("department-detail", args=[org.department.pk]))

    assert response.context["page"].change == latest.score - opening.score
    assert "since the period began" in response.content.decode()


def _rows(response) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_scores_csv_exports_the_history_of_a_date_range(org, head, executive, client):
    scores_recompute()
    old = AlignmentScore.objects.get(department=org.department)
    AlignmentScore.objects.filter(pk=old.pk).update(computed_at=timezone.now() - timedelta(days=40))
    goal_update(actor=head, goal=org.goal, data={"weight": Decimal(20)})
    scores_recompute()
    client.force_login(executive)
    today = timezone.localdate()

    everything = _rows(client.get(reverse("export-scores"), {"start": str(today - timedelta(days=60))}))
    recent = _rows(client.get(reverse("export-scores"), {"start": str(today - timedelta(days=7)), "end": str(today)}))

    service = [row for row in everything if row["department"] == org.department.name]
    assert [row["score"] for row in service] == [str(old.score), str(latest_scores()[org.department.pk].score)]
    assert [row["department"] for row in recent].count(org.department.name) == 1


def test_scores_csv_refuses_a_range_it_cannot_read(org, executive, client):
    client.force_login(executive)
    assert client.get(reverse("export-scores"), {"start": "yesterday"}).status_code == 400
    backwards = client.get(reverse("export-scores"), {"start": "2026-11-20", "end": "2026-11-01"})
    assert backwards.status_code == 400
    assert b"before its start" in backwards.content


def test_the_trend_shows_its_dates_and_values_without_hovering(org, head, client):
    scores_recompute()
    client.force_login(head)
    html = client.get(reverse("department-detail", args=[org.department.pk])).content.decode()
    assert 'data-testid="trend-axis"' in html
    latest = latest_scores()[org.department.pk]
    assert f"<strong>{latest.score:.1f}</strong>" in html
