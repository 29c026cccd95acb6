"""Nobody types a fed goal's number or a fed source's freshness: every path refuses it (web, API, service)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from goals.models import CheckIn
from goals.services import check_in_create
from mandates import feeds
from mandates.models import SourceMetric
from mandates.services import data_source_update
from tests.factories import DataSourceFactory, GoalFactory, period_around_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed_goal(department):
    source = DataSourceFactory(name="Ticketing")
    SourceMetric.objects.create(data_source=source, name="backlog")
    return GoalFactory(department=department, period=period_around_today(), data_source=source, source_metric="backlog")


def test_a_head_cannot_check_in_a_fed_goal_by_any_path(client, head, fed_goal):
    with pytest.raises(ValidationError, match="arrive from Ticketing: backlog"):
        check_in_create(actor=head, goal=fed_goal, value=Decimal(1), confidence="on_track")
    client.force_login(head)
    page = client.get(f"/goals/{fed_goal.pk}/").content.decode()
    assert "Record a check-in" not in page and "nobody types one by hand" in page
    form = client.post(f"/goals/{fed_goal.pk}/check-in/", {"value": "1", "confidence": "on_track"})
    assert form.status_code == 400 and "takes no value typed by hand" in form.content.decode()
    api = APIClient()
    api.force_authenticate(head)
    response = api.post("/api/v1/check-ins/", {"goal": fed_goal.pk, "value": "1"}, format="json")
    assert response.status_code == 400 and "value" in response.json()["errors"]
    assert not CheckIn.objects.exists()


def test_a_fed_sources_freshness_is_its_newest_reading_not_a_typed_date(cco_user, fed_goal):
    source = fed_goal.data_source
    at = timezone.now() - timedelta(days=3)
    feeds.readings_ingest(source=source, rows=[{"metric": "backlog", "at": at.isoformat(), "value": 12}])
    source.refresh_from_db()
    with pytest.raises(ValidationError, match="refreshed by its feed"):
        data_source_update(actor=cco_user, source=source, data={"last_refreshed_at": timezone.now()})
    source.refresh_from_db()
    assert abs((source.last_refreshed_at - at).total_seconds()) < 1
    # Saved unchanged through a form (to the minute), it stays exactly the newest reading.
    data_source_update(
        actor=cco_user,
        source=source,
        data={"description": "Helpdesk", "last_refreshed_at": at.replace(second=0, microsecond=0)},
    )
    source.refresh_from_db()
    assert abs((source.last_refreshed_at - at).total_seconds()) < 1 and source.description == "Helpdesk"
