"""The Celery app. Periodic tasks are declared here and nowhere else."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cco.settings.local")

app = Celery("cco")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Catches edits whose recompute never reached a worker (broker down, worker crashed).
    "reconcile-scores": {
        "task": "goals.reconcile_scores",
        "schedule": float(os.environ.get("CCO_RECONCILE_SECONDS", "300")),
    },
}
