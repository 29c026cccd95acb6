"""A data source feeding goals or customer objectives cannot be deleted on any path: their values come from it, and a
goal left with a metric and no source could not be saved again (archived, edited, imported). Bind them elsewhere or
unbind them first."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from rest_framework.test import APIClient

from goals import services as goal_services
from goals.models import Goal, GoalStatus
from mandates import feeds, services
from mandates.models import DataSource
from tests.factories import DataSourceFactory, GoalFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

REFUSAL = "“Survey tool” feeds 1 goal and 1 customer objective, whose values come from it"


@pytest.fixture
def source(cco_user, department, period):
    source = DataSourceFactory(name="Survey tool")
    feeds.metric_add(actor=cco_user, source=source, name="nps")
    GoalFactory(department=department, period=period, title="Raise NPS", data_source=source, source_metric="nps")
    ObjectiveFactory(period=period, title="Happier customers", data_source=source, source_metric="nps")
    return source


def test_the_service_refuses_and_names_what_the_source_feeds(cco_user, source):
    with pytest.raises(ValidationError) as refused:
        services.data_source_delete(actor=cco_user, source=source)

    assert REFUSAL in refused.value.messages[0]
    assert DataSource.objects.filter(pk=source.pk).exists()


def test_once_unbound_the_goal_keeps_working_and_the_source_can_go(cco_user, head, source):
    goal = Goal.objects.get(title="Raise NPS")
    goal_services.goal_update(actor=cco_user, goal=goal, data={"data_source": None, "source_metric": ""})
    objective = goal.period.objectives.get()
    goal_services.objective_update(actor=cco_user, objective=objective, data={"data_source": None, "source_metric": ""})

    services.data_source_delete(actor=cco_user, source=source)

    goal_services.goal_archive(actor=head, goal=Goal.objects.get(pk=goal.pk))
    assert Goal.objects.get(pk=goal.pk).status == GoalStatus.ARCHIVED


def test_the_database_refuses_too(source):
    with pytest.raises(ProtectedError):
        source.delete()


def test_the_web_page_says_why_and_deletes_nothing(client, cco_user, source):
    client.force_login(cco_user)
    page = reverse("data-source-delete", args=[source.pk])

    confirm = client.get(page)
    response = client.post(page, follow=True)

    assert REFUSAL in confirm.content.decode()
    assert "Delete the data source" not in confirm.content.decode()
    assert REFUSAL in response.content.decode()
    assert DataSource.objects.filter(pk=source.pk).exists()


def test_the_api_answers_400(cco_user, source):
    api = APIClient()
    api.force_authenticate(cco_user)

    response = api.delete(f"/api/v1/data-sources/{source.pk}/")

    assert response.status_code == 400
    assert REFUSAL in str(response.json())
    assert DataSource.objects.filter(pk=source.pk).exists()


def test_the_admin_lists_the_refusal_and_deletes_nothing(client, admin_user, source):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    page = f"/admin/mandates/datasource/{source.pk}/delete/"

    confirm = client.get(page)
    client.post(page, {"post": "yes"})

    assert REFUSAL in confirm.content.decode()
    assert DataSource.objects.filter(pk=source.pk).exists()
