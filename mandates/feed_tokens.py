"""Keys that let one system push readings to one data source, and nothing else (docs/api.md, "Metric feeds").

Only a hash of each key is stored (knox's hashing, as for people's API tokens); the key is shown once, when issued.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from knox.crypto import hash_token

from cco.permissions import ensure_can

from .models import DataSource, FeedToken

KEYWORD = "Feed"  # Authorization: Feed <key>; people's tokens use "Token"
PREFIX_LENGTH = 8


@transaction.atomic
def feed_token_issue(*, actor, source: DataSource, name: str) -> tuple[FeedToken, str]:
    """A new key for `source`; returns the record and the key, which is never shown again."""
    ensure_can(actor, "change_datasource", source)
    key = secrets.token_urlsafe(32)
    token = FeedToken(
        data_source=source,
        name=(name or "").strip(),
        prefix=key[:PREFIX_LENGTH],
        digest=hash_token(key),
        created_by=actor,
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def feed_token_revoke(*, actor, token: FeedToken) -> FeedToken:
    ensure_can(actor, "change_datasource", token.data_source)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def feed_token_for(key: str) -> FeedToken | None:
    """The active token `key` stands for, its last use recorded; None for an unknown or revoked key."""
    if not key or len(key) > 200:
        return None
    token = FeedToken.objects.select_related("data_source").filter(digest=hash_token(key), revoked_at=None).first()
    if token is not None:
        FeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
