"""The book of the service, opened with the service's own lock wait: a request that finds the
book locked by another writer answers ``503 book_unavailable`` after ``busy_timeout`` seconds,
not after the library's default patience (several tries of five seconds on SQLite)."""

from __future__ import annotations

from creditflow.book import CreditBook
from creditflow.book.store import EventStore
from creditflow.book.stores import is_postgres_url
from creditflow.service.settings import ServiceSettings

__all__ = ["open_book"]


def open_book(settings: ServiceSettings) -> CreditBook:
    """The book at ``settings.book`` with the pack ``settings.policy``. A write waits at most
    ``settings.busy_timeout`` seconds for another writer: on SQLite it is the busy timeout of
    one try (no retry after it), on PostgreSQL the ``lock_timeout`` of the chain lock."""
    return CreditBook(_store(settings), policy=settings.policy)


def _store(settings: ServiceSettings) -> EventStore:
    wait = settings.busy_timeout
    if is_postgres_url(settings.book):
        from creditflow.book.postgres_store import PostgresStore

        return PostgresStore.open(settings.book, lock_timeout=wait)
    from creditflow.book.sqlite_store import SqliteStore

    return SqliteStore.open(settings.book, timeout=wait, retries=0)
