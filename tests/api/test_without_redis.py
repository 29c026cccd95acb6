"""The API does not need Redis to answer: with the throttle cache and the broker unreachable, reads and writes
work, every change is saved and recorded as owed to the scores, and the outage is logged, not shown as a 500."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import RequestFactory, override_settings

from cco.error_pages import server_error
from cco.models import RecomputeRequest

pytestmark = pytest.mark.django_db

NOBODY_LISTENS = "redis://127.0.0.1:1/0"
DEAD_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": NOBODY_LISTENS}}


def detail(goal) -> str:
    return f"/api/v1/goals/{goal.pk}/"


def test_reads_and_writes_work_and_throttling_degrades_when_its_cache_is_down(client_for, org, head, caplog):
    client = client_for(head)
    with override_settings(CACHES=DEAD_CACHE), caplog.at_level(logging.WARNING, logger="cco.api.throttles"):
        read = client.get("/api/v1/goals/")
        write = client.patch(detail(org.goal), {"title": "Resolve on the first call"}, HTTP_IF_MATCH="*")
    assert read.status_code == 200 and read.json()["count"] == 2
    assert write.status_code == 200, write.content
    org.goal.refresh_from_db()
    assert org.goal.title == "Resolve on the first call"
    assert "API throttling is off while the cache cannot be reached" in caplog.text


def test_a_write_is_saved_and_owed_to_the_scores_when_the_broker_is_down(
    client_for, org, head, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = settings.CELERY_BROKER_URL = NOBODY_LISTENS
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(head).patch(detail(org.goal), {"links": []}, HTTP_IF_MATCH="*")
    assert response.status_code == 200, response.content
    assert not org.goal.links.exists()
    assert RecomputeRequest.objects.filter(department_id=org.department.pk).exists()


def test_a_failure_after_the_commit_never_turns_a_saved_write_into_an_error(
    client_for, org, head, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def broken_install():
        raise ModuleNotFoundError("No module named 'packaging'")  # what a venv without the redis extra did

    monkeypatch.setattr("cco.recompute.redis_client", broken_install)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(head).patch(detail(org.goal), {"title": "Saved all the same"}, HTTP_IF_MATCH="*")
    assert response.status_code == 200, response.content
    org.goal.refresh_from_db()
    assert org.goal.title == "Saved all the same"
    assert RecomputeRequest.objects.filter(department_id=org.department.pk).exists(), "the reconcile will score it"


def test_an_unexpected_api_error_answers_in_the_error_shape():
    response = server_error(RequestFactory().get("/api/v1/goals/"))
    assert response.status_code == 500
    assert json.loads(response.content) == {
        "detail": "Something went wrong on our side and nothing was saved. Try again in a moment.",
        "code": "server_error",
        "errors": {},
    }
    assert server_error(RequestFactory().get("/goals/"))["Content-Type"].startswith("text/html")
