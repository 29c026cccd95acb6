"""The Celery app, configured from the CELERY_* settings; periodic tasks are CELERY_BEAT_SCHEDULE in
cco/settings/base.py and nowhere else."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cco.settings.local")

app = Celery("cco")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
