"""CCO Mandate project package: settings, URLs, the Celery app and the shared permission rules."""

from .celery import app as celery_app

__all__ = ("celery_app",)
