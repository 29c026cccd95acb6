"""API tokens for integrations (django-rest-knox): admins issue and revoke them; anyone can exchange their password
for a new one of their own.

Only a hash of each key is stored, so a key exists in clear exactly once: in the answer that issues it
(`IssuedToken`). A token expires `REST_KNOX["TOKEN_TTL"]` after it is issued (API_TOKEN_TTL_HOURS), a user holds at
most `REST_KNOX["TOKEN_LIMIT_PER_USER"]` live ones, and a password change revokes them all
(cco/api/token_lifecycle.py calls `token_revoke_all`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import authenticate, get_user_model, user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings

from cco import roles
from cco.permissions import ensure_can
from cco.wording import person

User = get_user_model()


@dataclass(frozen=True)
class IssuedToken:
    """A token just created and its key: the only moment the key is known outside the client."""

    token: AuthToken
    key: str


def live(prefix: str = "") -> Q:
    """Tokens that still authenticate: no expiry or one still ahead (knox's own check, made in the database).

    `prefix` reaches them through a relation (`"auth_token_set__"` from a user).
    """
    return Q(**{f"{prefix}expiry__isnull": True}) | Q(**{f"{prefix}expiry__gt": timezone.now()})


def token_holders() -> QuerySet:
    """Users holding at least one live token, each with `live_tokens` (newest first) and `last_issued`."""
    return (
        User.objects.annotate(last_issued=Max("auth_token_set__created", filter=live("auth_token_set__")))
        .filter(last_issued__isnull=False)
        .prefetch_related(
            Prefetch(
                "auth_token_set", queryset=AuthToken.objects.filter(live()).order_by("-created"), to_attr="live_tokens"
            )
        )
        .order_by("username")
    )


@transaction.atomic
def token_issue(*, actor, user) -> IssuedToken:
    """A new token for `user` (admins only); every token they held before stops working at once."""
    ensure_can(actor, "manage_tokens")
    if not user.is_active:
        raise ValidationError({"user": f"{person(user)} is inactive; activate the account before issuing a token."})
    if user.pk != actor.pk and (roles.CCO in roles.role_names(user) or roles.headed_department_ids(user)):
        raise ValidationError(
            {
                "user": f"{person(user)} reviews or is measured by the product's data (the CCO, a department's "
                "head): a key issued by someone else would let that person act as them. They exchange their own "
                "password for a token (POST /api/v1/auth/token/)."
            }
        )
    token_revoke_all(user=user)
    token, key = AuthToken.objects.create(user=user)
    return IssuedToken(token=token, key=key)


@transaction.atomic
def token_revoke(*, actor, user) -> int:
    """Revoke every token `user` holds (admins only); the number revoked."""
    ensure_can(actor, "manage_tokens")
    return token_revoke_all(user=user)


def token_revoke_all(*, user) -> int:
    """Revoke every token `user` holds, whoever asks (a password change does); the number revoked."""
    deleted, _ = AuthToken.objects.filter(user_id=user.pk).delete()
    return deleted


def token_obtain(*, request, username: str, password: str) -> IssuedToken:
    """A new token for whoever `username` and `password` belong to (an active user); their other tokens stay.

    `request` goes to Django's authenticate() for the authentication backends (the sign-in lockout counts the
    attempt); the password check runs before, not inside, the transaction that creates the token.
    A user already holding the most live tokens allowed gets a ValidationError, never a silently revoked token.
    """
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        raise ValidationError("Unable to log in with provided credentials.")
    # A signed-in user, as for the login page: the lockout clears this client's failures for them (last_login too).
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)  # two exchanges at once are counted one after the other
        tokens = AuthToken.objects.filter(user=user)
        tokens.exclude(live()).delete()
        limit = knox_settings.TOKEN_LIMIT_PER_USER
        if limit is not None and tokens.count() >= limit:
            raise ValidationError(
                f"You already hold {limit} API tokens, the most allowed; wait until one expires or ask an admin "
                "to revoke them."
            )
        token, key = AuthToken.objects.create(user=user)
    return IssuedToken(token=token, key=key)
