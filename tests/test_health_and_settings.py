"""Health endpoint and settings modes."""

import json
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


# Variables the production settings read; the tests set them themselves rather than inherit the shell's.
PRODUCTION_VARIABLES = {
    "SECRET_KEY",
    "DATABASE_URL",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for Playwright by tests/conftest.py; never in a deployment
    "EMAIL_URL",
    "DATABASE_RANDOM_PAGE_COST",
}
GOOD_SECRET_KEY = "tests-only-Vx8q2Lm4Rt7Wz1Kc5Hn9Bd3Fj6Gp0Ys-aE4uI7oP2sD5fG8hJ1kL"


def _check(settings_module: str, *args: str, **env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _production(tmp_path, *args: str, **env):
    """`manage.py check` under production settings with a good secret and a database, changed by `env`."""
    return _check(
        "cco.settings.production",
        *args,
        **{"SECRET_KEY": GOOD_SECRET_KEY, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", **env},
    )


def test_production_settings_refuse_to_start_without_secret_and_database():
    result = _check("cco.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_settings_refuse_to_start_without_a_database():
    result = _check("cco.settings.production", SECRET_KEY=GOOD_SECRET_KEY)
    assert result.returncode != 0
    assert "DATABASE_URL must be set in production" in result.stderr


def test_production_settings_start_with_secret_and_database(tmp_path):
    result = _production(tmp_path)
    assert result.returncode == 0, result.stderr


def test_production_settings_refuse_to_start_with_debug_on(tmp_path):
    result = _production(tmp_path, DEBUG="true")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG must be off in production" in result.stderr


def test_production_settings_refuse_a_secret_key_shorter_than_50_characters(tmp_path):
    result = _production(tmp_path, SECRET_KEY=GOOD_SECRET_KEY[:49])
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters long (it has 49)" in result.stderr


def test_production_settings_refuse_a_secret_key_with_fewer_than_5_distinct_characters(tmp_path):
    result = _production(tmp_path, SECRET_KEY="abcd" * 20)
    assert result.returncode != 0
    assert "SECRET_KEY must have at least 5 distinct characters" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "change-me-in-production-please-0123456789",  # the compose file's old default
        "change-me-to-50-random-characters" + GOOD_SECRET_KEY,  # a placeholder left as it was, padded
        "django-insecure-" + GOOD_SECRET_KEY,  # what startproject writes into a development settings file
    ],
)
def test_production_settings_refuse_a_published_secret_key(tmp_path, key):
    result = _production(tmp_path, SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY is a published placeholder or development key" in result.stderr


def test_production_settings_refuse_a_malformed_proxy_ssl_header(tmp_path):
    result = _production(tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must be" in result.stderr


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    """`check --deploy` with the defaults (HTTPS redirect, HSTS with subdomains and preload, secure cookies) and an
    email server."""
    result = _production(tmp_path, "--deploy", "--fail-level", "WARNING", EMAIL_URL="smtp+tls://u:p@mail.test:587")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checklist_warns_when_email_would_only_reach_the_log(tmp_path):
    result = _production(tmp_path, "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "cco.W001" in result.stderr and "password-reset links only reach the log" in result.stderr


def _production_settings(tmp_path, **env) -> dict:
    """The HTTPS settings production ends up with, as JSON from a fresh process."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({name: "
        "getattr(s, name) for name in ('SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS',"
        " 'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE')}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cco.settings.production", "SECRET_KEY": GOOD_SECRET_KEY,
             "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", **env},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_production_defaults_are_https_only(tmp_path):
    assert _production_settings(tmp_path) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


def test_production_https_settings_can_be_switched_off_for_plain_http_on_loopback(tmp_path):
    switched = _production_settings(
        tmp_path, SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0", SECURE_PROXY_SSL_HEADER="off"
    )
    assert switched["SECURE_SSL_REDIRECT"] is False
    assert switched["SECURE_HSTS_SECONDS"] == 0
    assert switched["SECURE_PROXY_SSL_HEADER"] is None


@pytest.fixture(scope="module")
def production_responses(tmp_path_factory):
    """Requests to the app under production settings with their HTTPS defaults, made in a fresh process."""
    script = """
import json, django
django.setup()
from django.test import Client
client = Client()
plain, health = client.get("/"), client.get("/healthz")
proxied = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "healthz": [health.status_code, health.get("Location")],
    "proxied": [proxied.status_code, proxied.get("Strict-Transport-Security")],
}))
"""
    database = tmp_path_factory.mktemp("production") / "db.sqlite3"
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cco.settings.production", "SECRET_KEY": GOOD_SECRET_KEY,
             "DATABASE_URL": f"sqlite:///{database}", "ALLOWED_HOSTS": "testserver"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_production_redirects_plain_http_to_https(production_responses):
    assert production_responses["plain"] == [301, "https://testserver/"]


def test_production_answers_health_probes_over_plain_http(production_responses):
    status, location = production_responses["healthz"]
    assert location is None
    assert status in {200, 503}  # an empty database may count as down; what matters is that it is not redirected


def test_production_sends_hsts_on_requests_the_proxy_received_over_https(production_responses):
    status, hsts = production_responses["proxied"]
    assert status in {200, 503}
    assert hsts == "max-age=31536000; includeSubDomains; preload"


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
    assert body["worker"] in {"ok: last heartbeat 3 s ago", "ok: last heartbeat 4 s ago"}


@pytest.mark.django_db
def test_healthz_is_degraded_but_up_when_no_worker_beats(client, queued_scoring):
    queued_scoring.worker(seen_seconds_ago=300)
    response = client.get("/healthz")
    assert response.status_code == 200, "the web app still serves; scores wait"
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"].startswith("stale: last heartbeat 30")  # 300 s, or 301 on a slow machine


def test_production_on_postgresql_prices_random_reads_as_for_data_held_in_memory(postgres):
    """So the planner reads the goals' period index instead of every goal (cco/settings/production.py);
    DATABASE_RANDOM_PAGE_COST="" leaves the server's own price."""
    from django.db import connection

    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    script = (
        "import django; django.setup(); from django.db import connection; cursor = connection.cursor(); "
        "cursor.execute('SHOW random_page_cost'); print(cursor.fetchone()[0])"
    )
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARIABLES}

    def shown(**env) -> str:
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
            env={**clean, "DJANGO_SETTINGS_MODULE": "cco.settings.production", "SECRET_KEY": GOOD_SECRET_KEY,
                 "DATABASE_URL": url, **env},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()[-1]

    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        servers = cursor.fetchone()[0]
    assert servers != "1.1"
    assert shown() == "1.1"
    assert shown(DATABASE_RANDOM_PAGE_COST="") == servers
