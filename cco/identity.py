"""Who is signed in, read from the cache: the user with their roles and the departments they head.

Every signed-in request needs the three before it reads anything of its own, and they change far less often than
they are read. They are kept with cco.shared_reads, whose generation every committed save or delete of a user, of
their groups (the roles) or of a department's heads replaces: a role taken away, a password changed, an account
deactivated or a head removed acts on the very next request, as it did when each request read the database. When
the cache cannot be reached they are read from the database, as before; an entry lives at most
SHARED_READS_SECONDS, which bounds a change that escaped the generation (a write made while the cache was down).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .roles import headed_department_ids, role_names
from .shared_reads import kept


class KeptUserBackend(ModelBackend):
    """ModelBackend, with get_user (called for every signed-in request) read through the cache."""

    def get_user(self, user_id):
        user = kept("signed-in", user_id, compute=lambda: _signed_in(user_id))
        return user if user is not None and self.user_can_authenticate(user) else None


def _signed_in(user_id):
    """The user with id `user_id` and what cco.roles reads of them once per request, or None."""
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is not None:
        role_names(user)
        headed_department_ids(user)
    return user
