"""API tokens for integrations: admins issue and revoke them; anyone can exchange their password for theirs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from cco.permissions import ensure_can


@transaction.atomic
def token_issue(*, actor, user) -> Token:
    """A new token for `user` (admins only); their previous token, if any, stops working at once."""
    ensure_can(actor, "manage_tokens")
    if not user.is_active:
        raise ValidationError({"user": f"{user} is inactive; activate the account before issuing a token."})
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def token_revoke(*, actor, user) -> bool:
    """Revoke `user`'s token (admins only); True when there was one."""
    ensure_can(actor, "manage_tokens")
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


def token_for_self(*, user) -> Token:
    """The signed-in user's own token, created on first use (after a password check by the caller)."""
    token, _ = Token.objects.get_or_create(user=user)
    return token
