"""Helpers of the store tests: a clock, valid appends, snapshots, and tampering with a book.

Imported by name (``from storekit import ...``): the fixtures live in ``conftest.py``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import attrs

from creditflow.book._records import CASE_COLUMNS, EVENT_COLUMNS
from creditflow.book.memory_store import MemoryStore
from creditflow.book.rows import CaseRow, NewEvent, StoredEvent
from creditflow.book.sqlite_store import SqliteStore

Store = MemoryStore | SqliteStore

DAY = dt.date(2026, 6, 1)
START = dt.datetime(2026, 6, 1, 8, 30, 15, 123456, tzinfo=dt.UTC)


class Ticker:
    """A clock that starts at :data:`START` and moves 1.000001 s at each reading."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        now = self.now
        self.now += dt.timedelta(seconds=1, microseconds=1)
        return now


def new_event(
    case_id: str,
    version: int,
    event: str = "make",
    *,
    on: dt.date = DAY,
    data: dict[str, Any] | None = None,
    key: str | None = None,
) -> NewEvent:
    """An event of ``case_id`` creating ``version``; data defaults to a small nested mapping."""
    payload = {"n": version, "note": "承诺 kept", "items": [1, 2.5, None, True]}
    return NewEvent(case_id, version, event, on, "officer-1", payload if data is None else data,
                    key)  # fmt: skip


def case_row(
    case_id: str,
    version: int,
    *,
    subject: str = "S1",
    machine: str = "commitment",
    closed: bool = False,
    on: dt.date = DAY,
    last_on: dt.date | None = None,
    state: str = "made",
) -> CaseRow:
    """A projection of ``case_id`` at ``version`` (``last_on`` defaults to ``on``)."""
    body = {"state": state, "events": version, "deadlines": {"due": "2026-06-10"}}
    last = on if last_on is None else last_on
    return CaseRow(case_id, machine, "voluntary", subject, state, version, closed, last, body)


def fire(store: Store, case_id: str, count: int = 1, **row: Any) -> list[StoredEvent]:
    """Append ``count`` events to ``case_id`` after its stored version, with its row."""
    current = store.case(case_id)
    version = 0 if current is None else current.version
    events = [new_event(case_id, version + i + 1) for i in range(count)]
    return store.append(events, [case_row(case_id, version + count, **row)],
                        expected={case_id: version})  # fmt: skip


def snapshot(store: Store) -> tuple[list[StoredEvent], list[CaseRow], tuple[int, str]]:
    """Everything a store holds, to compare before and after a refused call."""
    return list(store.events()), list(store.cases()), store.head()


@attrs.define
class Tamper:
    """Changes stored events behind the store: ``update`` columns of one, or ``delete`` one."""

    store: Store

    def update(self, seq: int, **columns: Any) -> None:
        if isinstance(self.store, SqliteStore):
            sets = ", ".join(f"{name} = ?" for name in columns)
            self._sql(f"UPDATE events SET {sets} WHERE seq = ?", (*columns.values(), seq))
        else:
            record = list(self.store._events[seq - 1])
            for name, value in columns.items():
                record[EVENT_COLUMNS.index(name)] = value
            self.store._events[seq - 1] = tuple(record)  # type: ignore[assignment]

    def delete(self, seq: int) -> None:
        if isinstance(self.store, SqliteStore):
            self._sql("DELETE FROM events WHERE seq = ?", (seq,))
        else:
            del self.store._events[seq - 1]

    def truncate(self, after: int) -> None:
        """Delete every event after ``after`` (the book's tail)."""
        if isinstance(self.store, SqliteStore):
            self._sql("DELETE FROM events WHERE seq > ?", (after,))
        else:
            del self.store._events[after:]

    def update_case(self, case_id: str, **columns: Any) -> None:
        if isinstance(self.store, SqliteStore):
            sets = ", ".join(f"{name} = ?" for name in columns)
            self._sql(f"UPDATE cases SET {sets} WHERE case_id = ?", (*columns.values(), case_id))
        else:
            record = list(self.store._cases[case_id])
            for name, value in columns.items():
                record[CASE_COLUMNS.index(name)] = value
            self.store._cases[case_id] = tuple(record)  # type: ignore[assignment]

    def delete_case(self, case_id: str) -> None:
        if isinstance(self.store, SqliteStore):
            self._sql("DELETE FROM cases WHERE case_id = ?", (case_id,))
        else:
            del self.store._cases[case_id]

    def copy_case(self, case_id: str, new_id: str) -> None:
        """A projection row for ``new_id``, a case without events, copied from ``case_id``."""
        if isinstance(self.store, SqliteStore):
            columns = ", ".join(CASE_COLUMNS[1:])
            self._sql(
                f"INSERT INTO cases (case_id, {columns}) "
                f"SELECT ?, {columns} FROM cases WHERE case_id = ?",
                (new_id, case_id),
            )
        else:
            record = self.store._cases[case_id]
            self.store._cases[new_id] = (new_id, *record[1:])

    def _sql(self, sql: str, params: tuple[Any, ...]) -> None:
        assert isinstance(self.store, SqliteStore)
        with sqlite3.connect(self.store.path) as db:
            db.execute(sql, params)
        db.close()
