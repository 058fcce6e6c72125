"""Fixtures of the store tests: a clock, an empty store of each kind, and a tamperer.

Every test that takes ``store`` runs against :class:`MemoryStore`, :class:`SqliteStore` and
:class:`PostgresStore` (a fresh database on the session's own server, the plugin's
``postgres_url``); ``tamper`` changes stored events behind the store's back (in SQLite through
the file, in PostgreSQL through a connection of its own).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from storekit import Store, Tamper, Ticker

from creditflow.book.memory_store import MemoryStore
from creditflow.book.sqlite_store import SqliteStore


@pytest.fixture
def clock() -> Ticker:
    return Ticker()


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path, clock: Ticker) -> Iterator[Store]:
    """An empty store of each kind."""
    if request.param == "memory":
        opened: Store = MemoryStore(clock=clock)
    elif request.param == "sqlite":
        opened = SqliteStore.open(tmp_path / "book.sqlite", clock=clock)
    else:
        from creditflow.book.postgres_store import PostgresStore

        opened = PostgresStore.open(request.getfixturevalue("postgres_url"), clock=clock)
    with opened:
        yield opened


@pytest.fixture
def tamper(store: Store) -> Tamper:
    return Tamper(store)
