"""Rate limits for anonymous and signed-in clients, read from settings on every request.

DRF's own throttles read their rates once at import; these read REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
each time, so API_THROTTLE_ANON / API_THROTTLE_USER (and override_settings in tests) always apply.
An empty rate switches the limit off. Counts live in the default cache: Redis when REDIS_URL is set (shared by
every process), otherwise a per-process memory cache.

When the cache cannot be reached the request is let through and a warning is logged (once a minute per
process): an API that answers unthrottled for the length of a Redis outage is better than one that answers 500.
"""

from __future__ import annotations

import logging

from rest_framework import throttling
from rest_framework.settings import api_settings

from cco.cache_outage import CACHE_ERRORS, warn_unreachable

logger = logging.getLogger(__name__)


class _RateFromSettings:
    scope: str

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or None

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            warn_unreachable(logger, "API throttling is off", exc)
            return True


class AnonThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    pass


class UserThrottle(_RateFromSettings, throttling.UserRateThrottle):
    pass
