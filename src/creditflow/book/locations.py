"""Where a book lives: a SQLite file's path or a PostgreSQL URL, opened as its store."""

from __future__ import annotations

import os

from creditflow.book._chain import Clock, system_clock
from creditflow.book.store import EventStore

__all__ = ["is_postgres_url", "open_store"]

_SCHEMES = ("postgresql://", "postgres://", "postgresql+unix://")


def is_postgres_url(target: object) -> bool:
    """True if ``target`` is a PostgreSQL URL (``postgresql://``, ``postgres://`` or
    ``postgresql+unix://``) rather than the path of a SQLite file."""
    return isinstance(target, str) and target.startswith(_SCHEMES)


def open_store(
    target: str | os.PathLike[str], *, clock: Clock = system_clock, read_only: bool = False
) -> EventStore:
    """The store of the book at ``target``: a PostgreSQL URL (psycopg is imported only then;
    without the ``postgres`` extra, :class:`~creditflow.errors.MissingExtra`) or a SQLite
    file (created if absent, unless ``read_only``)."""
    if is_postgres_url(target):
        from creditflow.book.postgres_store import PostgresStore

        return PostgresStore.open(str(target), clock=clock, read_only=read_only)
    from creditflow.book.sqlite_store import SqliteStore

    return SqliteStore.open(target, clock=clock, read_only=read_only)
