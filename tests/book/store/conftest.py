"""Fixtures of the store tests: a clock, an empty store of each kind, and a tamperer.

Every test that takes ``store`` runs against :class:`MemoryStore` and :class:`SqliteStore`;
``tamper`` changes stored events behind the store's back (in SQLite, through the file).
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


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path, clock: Ticker) -> Iterator[Store]:
    """An empty store of each kind."""
    if request.param == "memory":
        opened: Store = MemoryStore(clock=clock)
    else:
        opened = SqliteStore.open(tmp_path / "book.sqlite", clock=clock)
    with opened:
        yield opened


@pytest.fixture
def tamper(store: Store) -> Tamper:
    return Tamper(store)
