"""Opening a store by where it lives: the one place :meth:`CreditBook.open` asks."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from creditflow._repr import shown
from creditflow._validation import ensure_bool, ensure_str
from creditflow.book._chain import system_clock
from creditflow.book.store import EventStore
from creditflow.errors import InvalidInput

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

    path = _path(target)
    read_only = ensure_bool(read_only, "read_only")
    return SqliteStore.open(path, clock=clock or system_clock, read_only=read_only)


def _path(target: object) -> str:
    """``target`` as the text of a path; :class:`InvalidInput` if it is none."""
    text = os.fspath(target) if isinstance(target, os.PathLike) else target
    path = ensure_str(text, "target")
    if "\0" in path:
        raise InvalidInput(f"target {shown(path)} holds a NUL character: it is no path")
    return path
