"""One warning a minute per process while the cache (Redis) cannot be reached: what reads through it says so once,
not on every request of the outage."""

from __future__ import annotations

import logging
import time

import redis

CACHE_ERRORS = (redis.RedisError, OSError)
WARN_EVERY_SECONDS = 60.0
_last_warning: dict[str, float] = {}


def warn_unreachable(logger: logging.Logger, what: str, exc: Exception) -> None:
    """Log "`what` while the cache cannot be reached: `exc`", at most once every WARN_EVERY_SECONDS per `what`."""
    now = time.monotonic()
    if now - _last_warning.get(what, float("-inf")) >= WARN_EVERY_SECONDS:
        _last_warning[what] = now
        logger.warning("%s while the cache cannot be reached: %s", what, exc)
