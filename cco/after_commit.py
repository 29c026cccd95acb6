"""Work that must follow a commit once, however many writes the transaction holds (forgetting a kept read, say)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, transaction


def once_committed(func: Callable[[], None], using: str = DEFAULT_DB_ALIAS) -> None:
    """`func()` once the current transaction commits (at once outside one), once per transaction; an error in it
    is logged and does not undo the commit."""
    if not waiting_for_commit(func, using):
        transaction.on_commit(func, using=using, robust=True)


def waiting_for_commit(func: Callable[[], None], using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the current transaction has asked for `func()` after its commit (it has written what `func` follows)."""
    connection = transaction.get_connection(using)
    return connection.in_atomic_block and any(waiting is func for _, waiting, _ in connection.run_on_commit)
