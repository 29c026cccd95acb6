"""Tests: DATABASE_URL/REDIS_URL from the environment when CI gives them; tasks eager unless a test opts out."""

import os
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret"  # noqa: S105
DEBUG = False
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
RECOMPUTE_COALESCE_SECONDS = 0.5
# A request's queries are its own: the tests of computing kept reads ahead turn it on (tests/web/test_shared_reads.py).
KEPT_READS_WARM = False
# Per-process cache: tests clear it freely without touching the Redis database the broker tests use.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# In-process test workers write no heartbeat (a thread that outlives its test would write into the next one);
# the fault tests run real worker processes with the production default.
WORKER_HEARTBEAT_SECONDS = 0
# The lockout stays on; only the test client's `login()`, which has no request to count, passes it by.
AUTHENTICATION_BACKENDS = ["tests.auth_backends.LockoutBackend", "cco.identity.KeptUserBackend"]

# `make test` runs the suite in two processes (pytest-xdist): each takes a Redis database of its own for the broker,
# counting down from REDIS_URL's (gw0 keeps it, gw1 the one below), so that one process's broker tests never empty
# the other's queue or run its tasks against the other's test database.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _xdist_worker.startswith("gw"):  # noqa: F405
    _url = urlsplit(REDIS_URL)  # noqa: F405
    _database = int(_url.path.lstrip("/") or 0) - int(_xdist_worker[2:])
    if _database < 0:
        raise ImproperlyConfigured(f"REDIS_URL {REDIS_URL} leaves no Redis database for pytest-xdist's {_xdist_worker}")  # noqa: F405
    REDIS_URL = CELERY_BROKER_URL = urlunsplit(_url._replace(path=f"/{_database}"))
