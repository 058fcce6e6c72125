"""Opening a store by where it lives: the one place :meth:`CreditBook.open` asks."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from creditflow.book._chain import system_clock
from creditflow.book.store import EventStore

__all__ = ["open_store"]


def open_store(
    target: str | os.PathLike[str],
    *,
    clock: Callable[[], dt.datetime] | None = None,
    read_only: bool = False,
) -> EventStore:
    """The store at ``target``: a SQLite file's path (created if absent, see
    :meth:`~creditflow.SqliteStore.open`). ``clock`` gives the recorded time of appends
    (timezone-aware; the system clock by default); ``read_only=True`` opens an existing book
    without writing to it."""
    from creditflow.book.sqlite_store import SqliteStore

    return SqliteStore.open(target, clock=clock or system_clock, read_only=read_only)
