"""The embedded default: SQLite, eager Celery, DEBUG on, a dev secret. Any environment variable still wins."""

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=True)


def _dev_secret() -> str:
    """A per-checkout secret kept in a git-ignored file, so sessions survive a restart of the dev server."""
    path = BASE_DIR / ".dev-secret"
    if not path.exists():
        path.write_text(get_random_secret_key())
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default="") or _dev_secret()
