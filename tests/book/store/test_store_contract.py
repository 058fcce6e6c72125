"""The store contract (:mod:`creditflow.testing.store_contract`), run by the memory and
SQLite stores; the PostgreSQL store runs it from its own module."""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from creditflow.book import EventStore, MemoryStore, open_store
from creditflow.testing.store_contract import (
    CASE_COLUMNS,
    EVENT_COLUMNS,
    ContractClock,
    SharedStoreContract,
    SqlTamper,
    StoreContract,
    StoreOpener,
    Tamper,
)


@attrs.frozen
class MemoryTamper:
    """A :class:`Tamper` of a :class:`MemoryStore`: its records, changed in place."""

    store: MemoryStore

    def update(self, seq: int, **columns: Any) -> None:
        record = list(self.store._events[seq - 1])
        for name, value in columns.items():
            record[EVENT_COLUMNS.index(name)] = value
        self.store._events[seq - 1] = tuple(record)  # type: ignore[assignment]

    def delete(self, seq: int) -> None:
        del self.store._events[seq - 1]

    def truncate(self, after: int) -> None:
        del self.store._events[after:]

    def update_case(self, case_id: str, **columns: Any) -> None:
        record = list(self.store._cases[case_id])
        for name, value in columns.items():
            record[CASE_COLUMNS.index(name)] = value
        self.store._cases[case_id] = tuple(record)  # type: ignore[assignment]

    def delete_case(self, case_id: str) -> None:
        del self.store._cases[case_id]

    def copy_case(self, case_id: str, new_id: str) -> None:
        self.store._cases[new_id] = (new_id, *self.store._cases[case_id][1:])


class TestMemoryStore(StoreContract):
    @pytest.fixture
    def opener(self) -> StoreOpener:
        return MemoryStore

    @pytest.fixture
    def tamper(self, store: EventStore) -> Tamper:
        assert isinstance(store, MemoryStore)
        return MemoryTamper(store)


class TestSqliteStore(SharedStoreContract):
    @pytest.fixture
    def path(self, tmp_path: Path) -> str:
        return str(tmp_path / "book.sqlite")

    @pytest.fixture
    def opener(self, path: str) -> StoreOpener:
        return functools.partial(open_store, path)

    @pytest.fixture
    def tamper(self, path: str) -> Tamper:
        return SqlTamper(functools.partial(sqlite3.connect, path))

    @contextlib.contextmanager
    def inject_failure(self, store: EventStore, clock: ContractClock) -> Iterator[None]:
        """A trigger aborts the insert of the append's second event: the case rows and the
        first event are written by then, inside the transaction."""
        seq = store.head()[0] + 2
        path = store.path  # type: ignore[attr-defined]
        _sql(path, f"CREATE TRIGGER injected BEFORE INSERT ON events WHEN NEW.seq = {seq} "
                   "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")  # fmt: skip
        try:
            yield
        finally:
            _sql(path, "DROP TRIGGER injected")


def _sql(path: str, statement: str) -> None:
    db = sqlite3.connect(path)
    try:
        db.execute(statement)
        db.commit()
    finally:
        db.close()
