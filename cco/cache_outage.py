"""Going on while the cache (Redis) cannot be reached: what reads through it (kept reads, sessions, who is signed in)
leaves it alone for a few seconds after an error rather than wait for it on every request, and says so once a
minute per process, not on every request of the outage."""

from __future__ import annotations

import logging
import time

import redis

CACHE_ERRORS = (redis.RedisError, OSError)
WARN_EVERY_SECONDS = 60.0
RETRY_AFTER_SECONDS = 5.0  # after a cache error, how long this process leaves the cache alone
_last_warning: dict[str, float] = {}
_unreachable_until = 0.0  # monotonic; per process


def warn_unreachable(logger: logging.Logger, what: str, exc: Exception) -> None:
    """Log "`what` while the cache cannot be reached: `exc`", at most once every WARN_EVERY_SECONDS per `what`."""
    now = time.monotonic()
    if now - _last_warning.get(what, float("-inf")) >= WARN_EVERY_SECONDS:
        _last_warning[what] = now
        logger.warning("%s while the cache cannot be reached: %s", what, exc)


def cache_reachable() -> bool:
    """False for RETRY_AFTER_SECONDS after an error of the cache, in this process."""
    return time.monotonic() >= _unreachable_until


def set_cache_aside(logger: logging.Logger, what: str, exc: Exception) -> None:
    """Leave the cache alone for RETRY_AFTER_SECONDS (every reader in this process), and warn as warn_unreachable."""
    global _unreachable_until
    _unreachable_until = time.monotonic() + RETRY_AFTER_SECONDS
    warn_unreachable(logger, what, exc)


def reset() -> None:
    """For tests that made the cache unreachable: the few seconds it is left alone have passed."""
    global _unreachable_until
    _unreachable_until = 0.0
