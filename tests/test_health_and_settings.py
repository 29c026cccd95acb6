"""Health endpoint and settings modes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"].startswith("eager")


def _check(settings_module: str, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_settings_refuse_to_start_without_secret_and_database():
    result = _check("cco.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_settings_start_with_secret_and_database(tmp_path):
    result = _check("cco.settings.production", SECRET_KEY="x" * 50, DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    assert result.returncode == 0, result.stderr


def test_embedded_default_is_sqlite_and_eager():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings as s; "
         "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}},
             "DJANGO_SETTINGS_MODULE": "cco.settings.local"},
    )  # fmt: skip
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "True"], result.stderr


@pytest.mark.django_db
def test_goal_history_is_visible_in_the_django_admin(client, django_user_model):
    from tests.factories import GoalFactory

    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    goal = GoalFactory(title="Tracked goal")
    goal.title = "Tracked goal, renamed"
    goal.save()
    response = client.get(f"/admin/goals/goal/{goal.pk}/history/")
    assert response.status_code == 200
    assert b"Tracked goal, renamed" in response.content


@pytest.mark.django_db
def test_healthz_reports_a_live_worker_from_its_heartbeat(client, queued_scoring):
    queued_scoring.worker(seen_seconds_ago=3)
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["worker"] == "ok: last heartbeat 3 s ago"


@pytest.mark.django_db
def test_healthz_is_degraded_but_up_when_no_worker_beats(client, queued_scoring):
    queued_scoring.worker(seen_seconds_ago=300)
    response = client.get("/healthz")
    assert response.status_code == 200, "the web app still serves; scores wait"
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"] == "stale: last heartbeat 300 s ago"
