"""Sessions read from the cache and written through to the database (Django's cached_db), made to go on without the
cache and to forget a signed-out session soon even when the cache missed its deletion.

Every signed-in request reads its session; from Redis that is one round trip instead of a query. The database stays
the record: a session is written there first and read from there whenever the cache has no copy or cannot be
reached, so an outage of Redis costs speed, never a sign-in (Django's own cached_db fails the request when the cache
errs after a database read, and keeps a session for its whole age in the cache).

A copy lives at most SESSION_CACHE_SECONDS. Signing out deletes the session from the database and then from the
cache; should the cache be unreachable at that moment, its copy could sign the session in for at most that long.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db, db

from .cache_outage import CACHE_ERRORS, cache_reachable, set_cache_aside

logger = logging.getLogger(__name__)
OUTAGE = "Sessions are read from the database"


class SessionStore(cached_db.SessionStore):
    def load(self):
        if settings.SESSION_CACHE_SECONDS and cache_reachable():
            try:
                data = self._cache.get(self.cache_key)
            except CACHE_ERRORS as exc:
                set_cache_aside(logger, OUTAGE, exc)
            else:
                if data is not None:
                    return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        if cache_reachable():  # a read leaves the cache alone for a few seconds after an error
            self._keep(data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def exists(self, session_key):
        """Whether a new key is taken: the database knows (the cache holds only copies)."""
        return db.SessionStore.exists(self, session_key)

    def save(self, must_create=False):
        db.SessionStore.save(self, must_create)
        self._keep(self._session, self.get_expiry_age())

    def delete(self, session_key=None):
        db.SessionStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is not None:
            self._write_cache(self._cache.delete, self.cache_key_prefix + session_key)

    def _keep(self, data: dict, age: int) -> None:
        if self.session_key is None:
            return
        if settings.SESSION_CACHE_SECONDS:
            self._write_cache(self._cache.set, self.cache_key, data, min(age, settings.SESSION_CACHE_SECONDS))
        else:
            self._write_cache(self._cache.delete, self.cache_key)

    def _write_cache(self, write, *args) -> None:
        """Writes (signing in and out, a changed session) try the cache even while reads leave it alone after an
        error: they are rare, and a copy they failed to replace would outlive the change by minutes."""
        try:
            write(*args)
        except CACHE_ERRORS as exc:
            set_cache_aside(logger, OUTAGE, exc)
