"""The data source's feed page: metrics, keys shown once, CSV uploads refused whole with their bad rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from goals.models import CheckIn
from mandates.models import FeedToken, Reading, SourceMetric
from tests.factories import DataSourceFactory, GoalFactory, period_around_today

pytestmark = pytest.mark.django_db


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("readings.csv", text.encode(), content_type="text/csv")


@pytest.fixture
def source():
    source = DataSourceFactory(name="Ticketing")
    SourceMetric.objects.create(data_source=source, name="first_contact_resolution", unit="%")
    return source


def test_the_cco_uploads_a_csv_and_the_bound_goal_is_checked_in(client, cco_user, department, source):
    goal = GoalFactory(department=department, period=period_around_today(), data_source=source,
                       source_metric="first_contact_resolution")  # fmt: skip
    client.force_login(cco_user)
    now = timezone.now().isoformat()
    response = client.post(
        f"/data-sources/{source.pk}/",
        {"action": "upload", "file": _csv(f"metric,at,value\nfirst_contact_resolution,{now},71.5\n")},
        follow=True,
    )
    assert "1 new reading stored" in response.content.decode()
    goal.refresh_from_db()
    assert goal.current_value == Decimal("71.5")
    assert CheckIn.objects.get(goal=goal).source == "Ticketing: first_contact_resolution"


def test_a_csv_with_a_bad_row_is_refused_whole_and_says_which_row(client, cco_user, source):
    client.force_login(cco_user)
    now = timezone.now().isoformat()
    text = f"metric,at,value\nfirst_contact_resolution,{now},70\nfirst_contact_resolution,{now},seventy\n"
    response = client.post(f"/data-sources/{source.pk}/", {"action": "upload", "file": _csv(text)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The file was not taken" in html and "Line 3 of the file" in html  # the header is line 1
    assert not Reading.objects.exists()
    missing = client.post(f"/data-sources/{source.pk}/", {"action": "upload", "file": _csv("when,amount\n1,2\n")})
    assert "missing: metric, at, value" in missing.content.decode()


def test_a_key_is_shown_once_and_only_its_hash_is_kept(client, cco_user, source):
    client.force_login(cco_user)
    response = client.post(f"/data-sources/{source.pk}/", {"action": "token", "token_name": "Helpdesk export"})
    html = response.content.decode()
    token = FeedToken.objects.get()
    key = html.split('<code class="key">')[1].split("</code>")[0]
    assert key.startswith(token.prefix) and key != token.digest and key not in token.digest
    assert '<code class="key">' not in client.get(f"/data-sources/{source.pk}/").content.decode()


def test_only_those_who_may_change_the_source_manage_its_feed(client, head, source):
    client.force_login(head)
    page = client.get(f"/data-sources/{source.pk}/")
    assert page.status_code == 200 and "Upload readings" not in page.content.decode()
    refused = client.post(f"/data-sources/{source.pk}/", {"action": "metric", "name": "nps"})
    assert refused.status_code == 403
    assert list(source.metrics.values_list("name", flat=True)) == ["first_contact_resolution"]


def test_a_metric_name_is_checked_with_a_field_error(client, cco_user, source):
    client.force_login(cco_user)
    response = client.post(f"/data-sources/{source.pk}/", {"action": "metric", "name": "First contact!"})
    assert response.status_code == 400 and "Use lower-case letters" in response.content.decode()
    duplicate = client.post(f"/data-sources/{source.pk}/", {"action": "metric", "name": "first_contact_resolution"})
    assert duplicate.status_code == 400
    assert source.metrics.count() == 1


def test_the_page_says_what_each_metric_feeds(client, executive, department, source):
    GoalFactory(department=department, period=period_around_today(), title="Fix it first time", data_source=source,
                source_metric="first_contact_resolution")  # fmt: skip
    client.force_login(executive)
    html = client.get(f"/data-sources/{source.pk}/").content.decode()
    assert "feeds the goal “Fix it first time” (Service)" in html
