"""A password change revokes the user's API tokens, whichever path changed it.

The paths are open-ended (the web's password change form, the admin's, the reset flow, `manage.py
changepassword`, a script calling set_password), so the rule sits on the one thing they share: saving a user whose
stored password hash differs from the one in the database. Connected once, from CcoConfig.ready() (cco/apps.py).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save

from .tokens import token_revoke_all


def revoke_tokens_when_password_changes(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    """Before a user is saved with a new password hash, delete their tokens (in the save's transaction if any)."""
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = get_user_model().objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        token_revoke_all(user=instance)


def connect() -> None:
    pre_save.connect(
        revoke_tokens_when_password_changes,
        sender=settings.AUTH_USER_MODEL,
        dispatch_uid="cco.api.token_lifecycle.revoke_tokens_when_password_changes",
    )
