"""Model fields every app shares."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models

# Sensible maxima for free text: a description or a comment a person reads, evidence worth a page.
SHORT_TEXT = 2000
LONG_TEXT = 5000


def bounded_text(limit: int, **kwargs) -> models.TextField:
    """A TextField whose bound is enforced by full_clean() on every path (Django enforces a TextField's
    max_length only in forms), so the web, the API, CSV import and the admin refuse the same oversized text."""
    return models.TextField(max_length=limit, validators=[MaxLengthValidator(limit)], **kwargs)
