"""The CCO records a customer objective's value by hand (a fed objective gets its readings from mandates.feeds)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cco.permissions import ensure_can
from cco.writes import save_validated

from .models import CustomerObjective, ObjectiveReading


@transaction.atomic
def objective_reading_record(
    *, actor, objective: CustomerObjective, value: Decimal, at: datetime | None = None, comment: str = ""
) -> ObjectiveReading:
    ensure_can(actor, "change_customerobjective", objective)
    reading = ObjectiveReading(objective=objective, value=value, at=at or timezone.now(), comment=comment, by=actor)
    save_validated(reading, actor=actor)
    return reading
