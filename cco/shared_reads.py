"""Reads that cost the same for every viewer (the strategy's columns, the checklist, the attention list) or that
every page repeats for one user (what waits for them), kept in the cache until the data they come from changes.

The cache holds a *generation*: a random token that every committed write of the domain's data replaces. Entries are
keyed on it, so a change makes every kept read unreachable at once and the next page computes it again; nothing has to
know which read depends on which row. A transaction that has written and not yet committed neither reads nor keeps
anything here: what it would see is its own, and may still be rolled back.

Saves and deletes of the watched apps' models (and memberships of their many-to-many fields) move the generation
through signals; writes that send none (bulk_create, QuerySet.update) call data_changed() themselves. Entries also
expire after SHARED_READS_SECONDS, which bounds what depends on the clock ("no check-in for 14 days") and any write
that escaped both. An unreachable cache is read through: the page is computed as if nothing were kept, and the cache
is left alone for a few seconds rather than asked again on every read.

A request whose writes moved the generation computes again, once its response has been sent, what the next viewer
would otherwise wait for (the warmers registered with `warm_after_changes`: the dashboard's organisation-wide
parts). One process at a time does it: a request that finds another at work leaves it to that one, which goes round
again when the generation moved while it computed (at most WARM_ROUNDS times), so writes in quick succession are
all followed by it and a stream of writes occupies at most one web worker (KEPT_READS_WARM turns it off).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import m2m_changed, post_delete, post_save

from .after_commit import once_committed, waiting_for_commit
from .cache_outage import CACHE_ERRORS, cache_reachable, set_cache_aside

logger = logging.getLogger(__name__)

T = TypeVar("T")

GENERATION_KEY = "cco:shared-reads:generation"
# Part of every kept read's key: raise it when a kept value's shape changes (a new field of a kept tuple), so that a
# release never reads a value the one before it kept. 2: goals.outcomes.Rollup (twelfth session); 3: a kept page is
# bytes (fourteenth).
SHAPE = 3
_move_owed = False  # a write's move could not be made (the cache was unreachable): made before the next read
WARMING_KEY = "cco:shared-reads:warming"  # held by the process computing ahead
WARMING_TIMEOUT_SECONDS = 30  # should that process die while holding it
WARM_ROUNDS = 3
_warmers: list[Callable[[], object]] = []
# .moved: this thread's request has moved the generation; .generation: the one it read (None outside a request)
_request = threading.local()


def kept(name: str, *parts: object, compute: Callable[[], T]) -> T:
    """`compute()`, or what it returned for the same `name` and `parts` since the data last changed."""
    if not settings.SHARED_READS_SECONDS or not _reachable() or _uncommitted_writes():
        return compute()
    if _move_owed:
        _move_generation()
        if _move_owed:
            return compute()
    try:
        key = f"cco:shared-reads:{SHAPE}:{_generation()}:{name}:" + ":".join(str(part) for part in parts)
        found = cache.get(key)
    except CACHE_ERRORS as exc:  # compute, as without a cache
        _set_aside(exc)
        return compute()
    if found is not None:
        return found[0]  # wrapped, so that a kept None or empty list is told from a miss
    value = compute()
    try:
        cache.set(key, (value,), timeout=settings.SHARED_READS_SECONDS)
    except CACHE_ERRORS as exc:
        _set_aside(exc)
    return value


def data_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Make every kept read unreachable once the current transaction commits (at once outside one; once however
    many writes the transaction holds)."""
    once_committed(_move_generation, using)


def _uncommitted_writes(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the current transaction has written watched data (its generation move is waiting for the commit)."""
    return waiting_for_commit(_move_generation, using)


def watch(app_labels: Iterable[str]) -> None:
    """Move the generation on every save and delete of these apps' models (but those marked `derived`) and on their
    many-to-many changes."""
    labels = frozenset(label for label in app_labels if _installed(label))
    for label in labels:
        for model in apps.get_app_config(label).get_models():
            if getattr(model, "derived", False):
                continue  # rewritten with the rows it is derived from, which are watched (goals.LinkTotal)
            post_save.connect(_saved, sender=model, dispatch_uid=f"shared-reads-save-{model._meta.label_lower}")
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"shared-reads-delete-{model._meta.label_lower}")
    m2m_changed.connect(_memberships_changed(labels), weak=False, dispatch_uid="shared-reads-m2m")
    request_started.connect(_request_started, dispatch_uid="shared-reads-request-started")
    request_finished.connect(_warm, dispatch_uid="shared-reads-warm")


def _installed(label: str) -> bool:
    try:
        apps.get_app_config(label)
    except LookupError:
        return False
    return True


def _saved(sender, instance, update_fields=None, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes nothing any page shows
    data_changed(using)


def _deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    data_changed(using)


def _memberships_changed(labels: frozenset[str]):
    def changed(sender, action, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
        if action.startswith("post_") and sender._meta.app_label in labels:
            data_changed(using)

    return changed


def _generation() -> str:
    """The generation, read once per request: a request's reads (who is signed in, its page's copy) are keyed alike,
    as of when it first asked, and it moves with the request's own writes."""
    token = getattr(_request, "generation", None)
    if token is None:
        token = _read_generation()
        if getattr(_request, "active", False):
            _request.generation = token
    return token


def _read_generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


def _move_generation() -> None:
    """A new token; when the cache cannot take it, it is owed, so that what was kept before the write is not read
    once the cache is back (a process that never reads again leaves it to SHARED_READS_SECONDS)."""
    global _move_owed
    _move_owed = True
    if not _reachable():
        return
    token = uuid.uuid4().hex
    try:
        cache.set(GENERATION_KEY, token, timeout=None)
    except CACHE_ERRORS as exc:
        _set_aside(exc)
        return
    _move_owed = False
    _request.moved = True
    if getattr(_request, "active", False):
        _request.generation = token


def warm_after_changes(warmer: Callable[[], object]) -> None:
    """Call `warmer` (which reads through `kept`) after a request whose writes moved the generation."""
    if warmer not in _warmers:
        _warmers.append(warmer)


def _request_started(**kwargs) -> None:
    _request.moved, _request.active, _request.generation = False, True, None


def _warm(**kwargs) -> None:
    """After the response (request_finished): compute the kept reads again, unless another process is at it (it
    goes round again for this change). Nothing here may fail the request that has already been answered."""
    _request.active, _request.generation = False, None  # reads from here on see other processes' moves
    if not getattr(_request, "moved", False) or not settings.KEPT_READS_WARM or not settings.SHARED_READS_SECONDS:
        return
    _request.moved = False
    try:
        if not _reachable() or not cache.add(WARMING_KEY, 1, timeout=WARMING_TIMEOUT_SECONDS):
            return
        try:
            for _ in range(WARM_ROUNDS):
                computed_at = _generation()
                for warmer in _warmers:
                    warmer()
                if _generation() == computed_at:
                    break
        finally:
            cache.delete(WARMING_KEY)
    except CACHE_ERRORS as exc:
        _set_aside(exc)
    except Exception:
        logger.exception("Kept reads were not computed ahead; the next view computes them.")


def _reachable() -> bool:
    return cache_reachable()


def _set_aside(exc: Exception) -> None:
    set_cache_aside(logger, "Kept reads are computed afresh", exc)
