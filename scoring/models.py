"""What scoring keeps: snapshots of the alignment scores, the recompute and roll-over jobs and the workers'
heartbeats."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from departments.models import Department


class AlignmentScore(models.Model):
    """A snapshot of one computation: per department, or for the organisation when department is empty."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, null=True, blank=True, related_name="scores")
    period = models.ForeignKey(
        "goals.Period",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scores",
        help_text="The period whose goals and objectives were scored (empty: no current period, or before 0003).",
    )
    score = models.DecimalField(max_digits=5, decimal_places=1)
    components = models.JSONField(default=dict)
    reasons = models.JSONField(default=list)
    fingerprint = models.CharField(max_length=64)
    computed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        get_latest_by = "computed_at"
        indexes = [
            models.Index(fields=["department", "-computed_at"], name="score_department_latest"),
            models.Index(fields=["period", "department", "-computed_at"], name="score_period_department_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.department or 'Organisation'}: {self.score} at {self.computed_at:%Y-%m-%d %H:%M:%S}"


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


RecomputeJobState = JobState  # the name the recompute jobs were written with
OPEN_STATES = (JobState.QUEUED, JobState.RUNNING)


class Job(models.Model):
    """Work a person asked for and follows by id, run by a worker (scoring.jobs): its state, who ran it and how often,
    and its outcome or the reason it failed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=255, blank=True, help_text="The Celery worker that last started it.")
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times a worker started it: more than one after a worker died or a retry."
    )
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_open(self) -> bool:
        """Queued or running: its outcome is still to come."""
        return self.state in OPEN_STATES


class RecomputeJob(Job):
    """A full recompute asked for through the API; its state lets the caller follow it."""

    class Meta(Job.Meta):
        pass

    def __str__(self) -> str:
        return f"Recompute {self.pk} ({self.state})"


class RollOverJob(Job):
    """A quarter's roll-over (goals.rollover.period_roll_over) queued from the page, the API or nowhere else: at
    2,000 departments it runs for minutes, longer than a request may. One at a time into a period."""

    source = models.ForeignKey("goals.Period", on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey("goals.Period", on_delete=models.CASCADE, related_name="+")
    objective_ids = models.JSONField(
        null=True, blank=True, help_text="The source's objectives to carry; null: every active one."
    )

    class Meta(Job.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["target"],
                condition=models.Q(state__in=OPEN_STATES),
                name="one_open_roll_over_per_target",
                violation_error_message="A roll-over into this period is already queued or running.",
            )
        ]

    def __str__(self) -> str:
        return f"Roll-over into {self.target_id} {self.pk} ({self.state})"


class WorkerHeartbeat(models.Model):
    """Written every few seconds by each running Celery worker (scoring.heartbeat), so pages and /healthz can say
    honestly whether anything is scoring changes. Kept in the database because Redis may be the part that is down."""

    hostname = models.CharField(max_length=255, unique=True)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.hostname} seen {self.seen_at}"
