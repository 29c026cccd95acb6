"""Rate limits for anonymous and signed-in clients, read from settings on every request.

DRF's own throttles read their rates once at import; these read REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
each time, so API_THROTTLE_ANON / API_THROTTLE_USER (and override_settings in tests) always apply.
An empty rate switches the limit off. Counts live in the default cache: Redis when REDIS_URL is set (shared by
every process), otherwise a per-process memory cache.
"""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings


class _RateFromSettings:
    scope: str

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or None


class AnonThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    pass


class UserThrottle(_RateFromSettings, throttling.UserRateThrottle):
    pass
