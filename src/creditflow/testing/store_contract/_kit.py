"""The kit of the store contract: its clock, tampering, and the appends it builds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import attrs

from creditflow.book._records import CASE_COLUMNS, EVENT_COLUMNS, encode_case
from creditflow.book.encoding import canonical_json, projection_digest
from creditflow.book.rows import CaseRow, NewEvent, StoredEvent
from creditflow.book.store import EventStore
from creditflow.errors import Conflict, CreditflowError, InvalidInput

__all__ = [
    "CASE_COLUMNS",
    "DAY",
    "EVENT_COLUMNS",
    "START",
    "ContractClock",
    "InjectedFailure",
    "SqlTamper",
    "StoreOpener",
    "Tamper",
    "book_of_five",
    "case_row",
    "check_injected",
    "fire",
    "new_event",
    "row_digest",
    "snapshot",
]

DAY = dt.date(2026, 6, 1)
"""The business date of the contract's events and rows, unless a test says otherwise."""

START = dt.datetime(2026, 6, 1, 8, 30, 15, 123456, tzinfo=dt.UTC)
"""The first reading of a :class:`ContractClock`."""


class InjectedFailure(Exception):
    """The failure :meth:`StoreContract.inject_failure` causes inside an append."""


class ContractClock:
    """A clock that starts at :data:`START` and moves 1.000001 s at each reading.

    Set ``now`` to choose the next reading; set ``fail_next`` to make the next reading raise
    :class:`InjectedFailure` (once).
    """

    def __init__(self) -> None:
        self.now = START
        self.fail_next = False

    def __call__(self) -> dt.datetime:
        if self.fail_next:
            self.fail_next = False
            raise InjectedFailure("the clock failed, as the test asked")
        now = self.now
        self.now += dt.timedelta(seconds=1, microseconds=1)
        return now


class StoreOpener(Protocol):
    """Opens the store under test: ``opener(clock=clock)``, or ``opener()`` for the system
    clock (see the module's documentation)."""

    def __call__(self, *, clock: Callable[[], dt.datetime] = ...) -> EventStore: ...


class Tamper(Protocol):
    """Changes stored rows behind the store. Columns are named as in :data:`EVENT_COLUMNS`
    and :data:`CASE_COLUMNS`, with values as stored: dates and times as ISO text, ``data``
    and ``body`` as JSON text, ``closed`` as 0 or 1."""

    def update(self, seq: int, **columns: Any) -> None:
        """Set ``columns`` of the event ``seq``."""
        ...

    def delete(self, seq: int) -> None:
        """Delete the event ``seq``."""
        ...

    def truncate(self, after: int) -> None:
        """Delete every event after ``after`` (the book's tail)."""
        ...

    def update_case(self, case_id: str, **columns: Any) -> None:
        """Set ``columns`` of the projection of ``case_id``."""
        ...

    def delete_case(self, case_id: str) -> None:
        """Delete the projection of ``case_id``."""
        ...

    def copy_case(self, case_id: str, new_id: str) -> None:
        """Add a projection for ``new_id`` (a case without events), copied from ``case_id``."""
        ...


@attrs.frozen
class SqlTamper:
    """A :class:`Tamper` for a database reached through DB-API: ``connect()`` opens a new
    connection (closed after each change), ``placeholder`` is the driver's parameter mark
    (``"?"`` for sqlite3, ``"%s"`` for psycopg), ``events`` and ``cases`` name the tables
    (the PostgreSQL store's are ``creditflow_events`` and ``creditflow_cases``)."""

    connect: Callable[[], Any]
    placeholder: str = "?"
    events: str = "events"
    cases: str = "cases"

    def update(self, seq: int, **columns: Any) -> None:
        self._set(self.events, "seq", seq, columns)

    def delete(self, seq: int) -> None:
        self._run(f"DELETE FROM {self.events} WHERE seq = {self.placeholder}", (seq,))

    def truncate(self, after: int) -> None:
        self._run(f"DELETE FROM {self.events} WHERE seq > {self.placeholder}", (after,))

    def update_case(self, case_id: str, **columns: Any) -> None:
        self._set(self.cases, "case_id", case_id, columns)

    def delete_case(self, case_id: str) -> None:
        self._run(f"DELETE FROM {self.cases} WHERE case_id = {self.placeholder}", (case_id,))

    def copy_case(self, case_id: str, new_id: str) -> None:
        columns = ", ".join(CASE_COLUMNS[1:])
        mark = self.placeholder
        self._run(
            f"INSERT INTO {self.cases} (case_id, {columns}) SELECT {mark}, {columns} "
            f"FROM {self.cases} WHERE case_id = {mark}",
            (new_id, case_id),
        )

    def _set(self, table: str, key: str, value: object, columns: Mapping[str, Any]) -> None:
        known = EVENT_COLUMNS if table == self.events else CASE_COLUMNS
        unknown = set(columns) - set(known)
        if unknown:
            raise ValueError(f"no column {sorted(unknown)} in {table}")
        sets = ", ".join(f"{name} = {self.placeholder}" for name in columns)
        self._run(
            f"UPDATE {table} SET {sets} WHERE {key} = {self.placeholder}",
            (*columns.values(), value),
        )

    def _run(self, sql: str, params: tuple[Any, ...]) -> None:
        db = self.connect()
        try:
            db.cursor().execute(sql, params)
            db.commit()
        finally:
            db.close()


# -- building appends ------------------------------------------------------------------------


def new_event(
    case_id: str,
    version: int,
    event: str = "make",
    *,
    on: dt.date = DAY,
    data: dict[str, Any] | None = None,
    key: str | None = None,
    actor: str = "officer-1",
) -> NewEvent:
    """An event of ``case_id`` creating ``version``; data defaults to a small nested mapping."""
    payload = {"n": version, "note": "承诺 kept", "items": [1, 2.5, None, True]}
    return NewEvent(case_id, version, event, on, actor, payload if data is None else data, key)


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


def fire(store: EventStore, case_id: str, count: int = 1, **row: Any) -> list[StoredEvent]:
    """Append ``count`` events to ``case_id`` after its stored version, with its row
    (``row`` as for :func:`case_row`)."""
    current = store.case(case_id)
    version = 0 if current is None else current.version
    events = [new_event(case_id, version + i + 1) for i in range(count)]
    rows = [case_row(case_id, version + count, **row)]
    return store.append(events, rows, expected={case_id: version})


def snapshot(store: EventStore) -> tuple[list[StoredEvent], list[CaseRow], tuple[int, str]]:
    """Everything a store holds, to compare before and after a refused call."""
    return list(store.events()), list(store.cases()), store.head()


def book_of_five(store: EventStore) -> None:
    fire(store, "C1", 2)
    fire(store, "C2")
    fire(store, "C1")
    fire(store, "C2")


def row_digest(row: CaseRow) -> str:
    return projection_digest(encode_case(row, canonical_json(dict(row.body))))


def check_injected(error: BaseException) -> None:
    """The error an injected failure gives: the test's own, or a typed error of creditflow
    saying the store failed (``BookUnavailable``), never a raw driver error, a conflict or a
    complaint about the input."""
    typed = isinstance(error, InjectedFailure | CreditflowError)
    assert typed, f"a raw {type(error).__name__} came out of the store: {error}"
    assert not isinstance(error, Conflict | InvalidInput), error
