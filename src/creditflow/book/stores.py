"""Opening a store by where it lives (a SQLite file's path or a PostgreSQL URL): the one place
:meth:`CreditBook.open` asks."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from creditflow._repr import shown
from creditflow._validation import ensure_bool, ensure_str
from creditflow.book._chain import system_clock
from creditflow.book.store import EventStore
from creditflow.errors import InvalidInput

__all__ = ["is_postgres_url", "open_store"]

_SCHEMES = ("postgresql://", "postgres://", "postgresql+unix://")


def is_postgres_url(target: object) -> bool:
    """True if ``target`` is a PostgreSQL URL (``postgresql://``, ``postgres://`` or
    ``postgresql+unix://``) rather than the path of a SQLite file."""
    return isinstance(target, str) and target.startswith(_SCHEMES)


def open_store(
    target: str | os.PathLike[str],
    *,
    clock: Callable[[], dt.datetime] | None = None,
    read_only: bool = False,
) -> EventStore:
    """The store at ``target``: a PostgreSQL URL (see
    :class:`~creditflow.book.postgres_store.PostgresStore`; psycopg is imported only then, and
    without the ``postgres`` extra this is :class:`~creditflow.errors.MissingExtra`) or a
    SQLite file's path (created if absent, see :meth:`~creditflow.SqliteStore.open`).
    ``clock`` gives the recorded time of appends (timezone-aware; the system clock by
    default); ``read_only=True`` opens an existing book without writing to it."""
    path = _path(target)
    read_only = ensure_bool(read_only, "read_only")
    if is_postgres_url(path):
        from creditflow.book.postgres_store import PostgresStore

        return PostgresStore.open(path, clock=clock or system_clock, read_only=read_only)
    from creditflow.book.sqlite_store import SqliteStore

    return SqliteStore.open(path, clock=clock or system_clock, read_only=read_only)


def _path(target: object) -> str:
    """``target`` as the text of a path; :class:`InvalidInput` if it is none."""
    text = os.fspath(target) if isinstance(target, os.PathLike) else target
    path = ensure_str(text, "target")
    if "\0" in path:
        raise InvalidInput(f"target {shown(path)} holds a NUL character: it is no path")
    return path
