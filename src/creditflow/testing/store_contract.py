"""The store contract: the tests every :class:`~creditflow.book.store.EventStore` passes.

A store author (creditflow's memory, SQLite and PostgreSQL stores, or a third party writing
one for another database) subclasses :class:`StoreContract` in a pytest module, naming the
class ``Test...``, and provides two fixtures::

    import functools, pytest
    from creditflow.testing.store_contract import SharedStoreContract, SqlTamper

    class TestMyStore(SharedStoreContract):
        @pytest.fixture
        def opener(self, tmp_path):
            return functools.partial(MyStore.open, tmp_path / "book.db")

        @pytest.fixture
        def tamper(self, opener):
            return SqlTamper(functools.partial(my_driver.connect, ...), placeholder="%s")

``opener`` opens the book under test: ``opener(clock=clock)`` returns a store whose appends
record the time ``clock()`` gives. For a :class:`StoreContract` each call may give a new,
empty store (it is called once per test). A store that several processes share runs
:class:`SharedStoreContract`: its ``opener`` opens a *connection to one book*, empty the first
time, and every call after that is a second, third ... connection to the same book; it must
be picklable (a ``functools.partial`` of a module-level function, or an instance of a
module-level class), because the concurrency tests call it in child processes, where it is
called without ``clock``.

``tamper`` (a :class:`Tamper`) changes the stored rows behind the store's back, as an
insider with the database would, for the integrity tests; :class:`SqlTamper` does it for a
DB-API database whose tables are ``events`` and ``cases`` with the record columns
(:data:`EVENT_COLUMNS`, :data:`CASE_COLUMNS`).

``inject_failure(store, clock)`` makes the next append fail inside its transaction. The
default makes the contract's clock raise :class:`InjectedFailure` when the store reads it;
a store that can fail later in its append (after some rows are written, by a database
trigger for example) overrides it to test that nothing is half-written.

The contract needs pytest (the ``test`` extra); importing ``creditflow.testing`` does not
import this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import pickle
import queue
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

import attrs

try:
    import pytest
except ModuleNotFoundError as error:
    raise ModuleNotFoundError(
        "creditflow.testing.store_contract needs pytest: pip install 'creditflow[test]'",
        name="pytest",
    ) from error

from creditflow.book._records import CASE_COLUMNS, EVENT_COLUMNS, encode_case
from creditflow.book.encoding import GENESIS, canonical_json, projection_digest
from creditflow.book.rows import CaseRow, ClosedRows, NewEvent, StoredEvent, event_hash
from creditflow.book.store import EventStore
from creditflow.errors import Conflict, CreditflowError, InvalidDate, InvalidInput

__all__ = [
    "CASE_COLUMNS",
    "DAY",
    "EVENT_COLUMNS",
    "START",
    "ContractClock",
    "InjectedFailure",
    "SharedStoreContract",
    "SqlTamper",
    "StoreContract",
    "StoreOpener",
    "Tamper",
    "case_row",
    "fire",
    "new_event",
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
    (``"?"`` for sqlite3, ``"%s"`` for psycopg)."""

    connect: Callable[[], Any]
    placeholder: str = "?"

    def update(self, seq: int, **columns: Any) -> None:
        self._set("events", "seq", seq, columns)

    def delete(self, seq: int) -> None:
        self._run(f"DELETE FROM events WHERE seq = {self.placeholder}", (seq,))

    def truncate(self, after: int) -> None:
        self._run(f"DELETE FROM events WHERE seq > {self.placeholder}", (after,))

    def update_case(self, case_id: str, **columns: Any) -> None:
        self._set("cases", "case_id", case_id, columns)

    def delete_case(self, case_id: str) -> None:
        self._run(f"DELETE FROM cases WHERE case_id = {self.placeholder}", (case_id,))

    def copy_case(self, case_id: str, new_id: str) -> None:
        columns = ", ".join(CASE_COLUMNS[1:])
        mark = self.placeholder
        self._run(
            f"INSERT INTO cases (case_id, {columns}) SELECT {mark}, {columns} FROM cases "
            f"WHERE case_id = {mark}",
            (new_id, case_id),
        )

    def _set(self, table: str, key: str, value: object, columns: Mapping[str, Any]) -> None:
        known = EVENT_COLUMNS if table == "events" else CASE_COLUMNS
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


def _book_of_five(store: EventStore) -> None:
    fire(store, "C1", 2)
    fire(store, "C2")
    fire(store, "C1")
    fire(store, "C2")


def _row_digest(row: CaseRow) -> str:
    return projection_digest(encode_case(row, canonical_json(dict(row.body))))


_BAD_APPENDS: list[tuple[str, Any, Any, Any, str]] = [
    ("version skips", [new_event("C1", 2)], [case_row("C1", 2)], {"C1": 0}, "must be 1"),
    ("version repeats in a batch", [new_event("C1", 1), new_event("C1", 1)],
     [case_row("C1", 1)], {"C1": 0}, r"events\[1\].*must be 2"),
    ("case not in expected", [new_event("C1", 1)], [case_row("C1", 1)], {}, "not in expected"),
    ("row missing", [new_event("C1", 1)], [], {"C1": 0}, "no row"),
    ("row without events", [new_event("C1", 1)], [case_row("C1", 1), case_row("C2", 1)],
     {"C1": 0, "C2": 0}, "no events in this append"),
    ("row at the wrong version", [new_event("C1", 1), new_event("C1", 2)],
     [case_row("C1", 1)], {"C1": 0}, "must be 2, the version of its last event"),
    ("row twice", [new_event("C1", 1)], [case_row("C1", 1), case_row("C1", 1)], {"C1": 0},
     "has a row already"),
    ("key twice", [new_event("C1", 1, key="k"), new_event("C1", 2, key="k")],
     [case_row("C1", 2)], {"C1": 0}, "given twice"),
    ("negative expected", [], [], {"C1": -1}, "negative"),
    ("expected not an int", [], [], {"C1": "0"}, "must be an int"),
    ("empty case id", [new_event("", 1)], [case_row("", 1)], {"": 0}, "must not be empty"),
    ("data not JSON", [new_event("C1", 1, data={"when": DAY})], [case_row("C1", 1)],
     {"C1": 0}, r"events\[0\]\.data\['when'\] is a date, not JSON"),
    ("body not JSON", [new_event("C1", 1)],
     [attrs.evolve(case_row("C1", 1), body={"s": {1, 2}})], {"C1": 0}, "body must be JSON-ready"),
]  # fmt: skip

_EVENT_EDITS = [
    ("actor", "someone-else"), ("on_date", "2026-05-31"), ("case_id", "C2"), ("event", "x"),
    ("recorded_at", "2026-06-01T08:30:16.123457+00:00"), ("idempotency_key", "k"),
]  # fmt: skip

_CASE_EDITS = [
    ("state", "removed"), ("closed", 1), ("body", '{"forged":true}'), ("subject_id", "S9"),
    ("last_on", "2027-01-01"), ("machine", "record"), ("kind", "k2"),
]  # fmt: skip

_REPLACEMENTS = [
    pytest.param([case_row("C1", 2)], "'C2' has events in the book but no row", id="missing"),
    pytest.param([case_row("C1", 1), case_row("C2", 1)], "must be 2", id="stale version"),
    pytest.param([case_row("C1", 2), case_row("C2", 1), case_row("C3", 1)],
                 "'C3' has no events", id="no events"),
    pytest.param([case_row("C1", 2), case_row("C1", 2), case_row("C2", 1)],
                 "has a row already", id="twice"),
]  # fmt: skip


class StoreContract:
    """The contract of one store used by one process (see the module's documentation)."""

    # -- what a store author provides ----------------------------------------------------------

    @pytest.fixture
    def opener(self) -> StoreOpener:
        """Override: the opener of the store under test."""
        raise NotImplementedError(f"{type(self).__name__} must define the opener fixture")

    @pytest.fixture
    def tamper(self, opener: StoreOpener) -> Tamper:
        """Override: a :class:`Tamper` of the book ``opener`` opens."""
        raise NotImplementedError(f"{type(self).__name__} must define the tamper fixture")

    @contextlib.contextmanager
    def inject_failure(self, store: EventStore, clock: ContractClock) -> Iterator[None]:
        """While the block runs, the next append of ``store`` fails inside its transaction.

        By default the clock fails when the store reads it; override to fail later."""
        clock.fail_next = True
        try:
            yield
        finally:
            clock.fail_next = False

    # -- the contract's fixtures ---------------------------------------------------------------

    @pytest.fixture
    def clock(self) -> ContractClock:
        return ContractClock()

    @pytest.fixture
    def store(self, opener: StoreOpener, clock: ContractClock) -> Iterator[EventStore]:
        """The store under test, empty, with the contract's clock; closed after the test."""
        opened = opener(clock=clock)
        try:
            yield opened
        finally:
            opened.close()

    # -- an empty book -------------------------------------------------------------------------

    def test_an_empty_book_has_the_genesis_head_and_verifies(self, store: EventStore) -> None:
        assert store.head() == (0, GENESIS)
        assert list(store.events()) == []
        assert list(store.cases()) == []
        assert store.case("C1") is None
        assert store.by_idempotency_key("k") is None
        assert store.earliest_on() is None
        report = store.verify()
        assert (report.ok, report.events, report.head, report.broken_at) == (
            True, 0, GENESIS, None,
        )  # fmt: skip

    # -- append: seq, chain, recorded_at -------------------------------------------------------

    def test_the_first_event_is_chained_to_genesis(self, store: EventStore) -> None:
        event = new_event("C1", 1)
        [stored] = store.append([event], [case_row("C1", 1)], expected={"C1": 0})
        assert (stored.seq, stored.prev_hash, stored.recorded_at) == (1, GENESIS, START)
        assert stored.hash == event_hash(1, event, START, GENESIS, stored.projection)
        assert stored.hash == stored.computed_hash()
        assert store.head() == (1, stored.hash)

    def test_a_batch_gets_consecutive_seqs_chained_in_order(self, store: EventStore) -> None:
        fire(store, "C1")
        events = [new_event("C2", 1), new_event("C1", 2), new_event("C2", 2), new_event("C1", 3)]
        rows = [case_row("C1", 3), case_row("C2", 2)]
        stored = store.append(events, rows, expected={"C1": 1, "C2": 0})
        assert [e.seq for e in stored] == [2, 3, 4, 5]
        assert [(e.case_id, e.version) for e in stored] == [
            ("C2", 1), ("C1", 2), ("C2", 2), ("C1", 3),
        ]  # fmt: skip
        everything = list(store.events())
        assert [e.prev_hash for e in everything] == [GENESIS] + [e.hash for e in everything[:-1]]
        assert len({e.recorded_at for e in stored}) == 1  # one transaction, one time
        assert store.verify().ok

    def test_events_read_back_equal_to_what_append_returned(self, store: EventStore) -> None:
        appended = fire(store, "C1", 2) + fire(store, "C2") + fire(store, "C1")
        assert list(store.events()) == appended
        assert all(e.computed_hash() == e.hash for e in store.events())

    def test_recorded_at_is_utc_with_microseconds(
        self, store: EventStore, clock: ContractClock
    ) -> None:
        clock.now = dt.datetime(2026, 6, 1, 16, 0, 0, 7, tzinfo=dt.timezone(dt.timedelta(hours=8)))
        fire(store, "C1")
        clock.now = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)  # no microseconds at all
        fire(store, "C1")
        first, second = store.events()
        assert first.recorded_at == dt.datetime(2026, 6, 1, 8, 0, 0, 7, tzinfo=dt.UTC)
        assert first.recorded_at.utcoffset() == dt.timedelta(0)
        assert first.recorded_at.isoformat() == "2026-06-01T08:00:00.000007+00:00"
        assert second.recorded_at.isoformat() == "2026-06-01T09:00:00+00:00"
        assert store.verify().ok

    def test_a_naive_clock_is_refused(self, store: EventStore, clock: ContractClock) -> None:
        clock.now = dt.datetime(2026, 6, 1, 8, 0)
        with pytest.raises(InvalidInput, match="aware"):
            fire(store, "C1")
        assert store.head() == (0, GENESIS)

    def test_append_upserts_the_rows_in_the_same_call(self, store: EventStore) -> None:
        fire(store, "C1")
        assert store.case("C1") == case_row("C1", 1)
        fire(store, "C1", 2, closed=True, subject="S2")
        assert store.case("C1") == case_row("C1", 3, closed=True, subject="S2")

    def test_values_read_back_are_fresh_copies(self, store: EventStore) -> None:
        fire(store, "C1")
        [event] = store.events()
        row = store.case("C1")
        assert row is not None
        event.data["items"].append("changed")
        row.body["deadlines"]["due"] = "changed"
        assert next(store.events()).data["items"] == [1, 2.5, None, True]
        assert store.case("C1") == case_row("C1", 1)

    def test_an_empty_append_writes_nothing(self, store: EventStore) -> None:
        assert store.append([], [], expected={}) == []
        assert store.head() == (0, GENESIS)

    def test_the_earliest_business_date(self, store: EventStore) -> None:
        fire(store, "C1")
        store.append([new_event("C2", 1, on=dt.date(2026, 3, 2))],
                     [case_row("C2", 1, on=dt.date(2026, 3, 2))], expected={"C2": 0})  # fmt: skip
        assert store.earliest_on() == dt.date(2026, 3, 2)

    # -- versions: Conflict --------------------------------------------------------------------

    def test_a_stale_expected_version_conflicts_and_writes_nothing(self, store: EventStore) -> None:
        fire(store, "C1")
        before = snapshot(store)
        with pytest.raises(Conflict) as caught:
            store.append([new_event("C1", 1)], [case_row("C1", 1)], expected={"C1": 0})
        assert (caught.value.case_id, caught.value.expected, caught.value.actual) == ("C1", 0, 1)
        assert snapshot(store) == before

    def test_a_missing_case_has_version_zero(self, store: EventStore) -> None:
        with pytest.raises(Conflict) as caught:
            store.append([new_event("C9", 4)], [case_row("C9", 4)], expected={"C9": 3})
        assert (caught.value.case_id, caught.value.expected, caught.value.actual) == ("C9", 3, 0)
        assert store.head() == (0, GENESIS)

    def test_one_stale_case_stops_the_whole_batch(self, store: EventStore) -> None:
        fire(store, "C2")
        fire(store, "C2")
        before = snapshot(store)
        events = [new_event("C1", 1), new_event("C2", 2)]
        rows = [case_row("C1", 1), case_row("C2", 2)]
        with pytest.raises(Conflict, match="case C2 is at version 2, not the expected 1"):
            store.append(events, rows, expected={"C1": 0, "C2": 1})
        assert snapshot(store) == before
        assert store.case("C1") is None

    def test_a_case_in_expected_without_events_is_a_version_check(self, store: EventStore) -> None:
        fire(store, "LISTING")
        rows = [case_row("REPAIR", 1)]
        with pytest.raises(Conflict, match="LISTING"):
            store.append([new_event("REPAIR", 1)], rows, expected={"REPAIR": 0, "LISTING": 0})
        store.append([new_event("REPAIR", 1)], rows, expected={"REPAIR": 0, "LISTING": 1})
        assert store.case("LISTING") == case_row("LISTING", 1)

    # -- malformed appends: InvalidInput, nothing written --------------------------------------

    @pytest.mark.parametrize(
        ("events", "rows", "expected", "message"),
        [pytest.param(*case[1:], id=case[0]) for case in _BAD_APPENDS],
    )
    def test_a_malformed_append_is_invalid_input_and_writes_nothing(
        self, store: EventStore, events: Any, rows: Any, expected: Any, message: str
    ) -> None:
        fire(store, "C0")
        before = snapshot(store)
        with pytest.raises(InvalidInput, match=message):
            store.append(events, rows, expected=expected)
        assert snapshot(store) == before

    @pytest.mark.parametrize("field", ["event_on", "row_on"])
    def test_a_datetime_for_a_business_date_is_invalid_date(
        self, store: EventStore, field: str
    ) -> None:
        moment = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
        event = new_event("C1", 1, on=moment if field == "event_on" else DAY)
        row = case_row("C1", 1, on=moment if field == "row_on" else DAY)
        with pytest.raises(InvalidDate):
            store.append([event], [row], expected={"C1": 0})
        assert store.head() == (0, GENESIS)

    # -- atomicity -----------------------------------------------------------------------------

    def test_an_append_that_fails_inside_its_transaction_writes_nothing(
        self, store: EventStore, clock: ContractClock
    ) -> None:
        fire(store, "C1")
        before = snapshot(store)
        events = [new_event("C2", 1, key="k2"), new_event("C1", 2), new_event("C2", 2)]
        rows = [case_row("C1", 2), case_row("C2", 2)]
        with self.inject_failure(store, clock), pytest.raises(Exception) as caught:  # noqa: PT011
            store.append(events, rows, expected={"C1": 1, "C2": 0})
        _check_injected(caught.value)
        assert snapshot(store) == before
        assert store.by_idempotency_key("k2") is None
        stored = store.append(events, rows, expected={"C1": 1, "C2": 0})  # the retry succeeds
        assert [e.seq for e in stored] == [2, 3, 4]
        assert store.verify().ok

    # -- idempotency keys ----------------------------------------------------------------------

    def test_an_event_is_found_by_its_idempotency_key(self, store: EventStore) -> None:
        [stored] = store.append(
            [new_event("C1", 1, key="req-1")], [case_row("C1", 1)], expected={"C1": 0}
        )
        assert store.by_idempotency_key("req-1") == stored
        assert stored.idempotency_key == "req-1"
        fire(store, "C1")  # events without a key do not collide with each other
        fire(store, "C1")
        assert store.by_idempotency_key("req-2") is None

    def test_a_stored_idempotency_key_conflicts_and_writes_nothing(self, store: EventStore) -> None:
        store.append([new_event("C1", 1, key="req-1")], [case_row("C1", 1)], expected={"C1": 0})
        before = snapshot(store)
        events = [new_event("C2", 1, key="req-9"), new_event("C2", 2, key="req-1")]
        with pytest.raises(Conflict, match="idempotency key 'req-1' is already used by event 1"):
            store.append(events, [case_row("C2", 2)], expected={"C2": 0})
        assert snapshot(store) == before
        assert store.by_idempotency_key("req-9") is None

    def test_a_key_conflict_describes_the_change_already_made(self, store: EventStore) -> None:
        fire(store, "C1")
        store.append([new_event("C1", 2, key="k")], [case_row("C1", 2)], expected={"C1": 1})
        with pytest.raises(Conflict) as caught:
            store.append([new_event("C1", 3, key="k")], [case_row("C1", 3)], expected={"C1": 2})
        assert (caught.value.case_id, caught.value.expected, caught.value.actual) == ("C1", 1, 2)

    # -- queries and ordering ------------------------------------------------------------------

    def test_events_of_one_case_and_after_a_seq(self, store: EventStore) -> None:
        fire(store, "C1")
        fire(store, "C2", 2)
        fire(store, "C1")
        assert [e.seq for e in store.events(case_id="C1")] == [1, 4]
        assert [e.seq for e in store.events(case_id="C2", after=2)] == [3]
        assert [e.seq for e in store.events(after=2)] == [3, 4]
        assert list(store.events(after=4)) == []
        assert list(store.events(case_id="C9")) == []

    def test_events_stop_at_the_head_of_when_the_iteration_started(self, store: EventStore) -> None:
        fire(store, "C1", 2)
        iterator = store.events()
        assert next(iterator).seq == 1
        fire(store, "C1")
        assert [e.seq for e in iterator] == [2]
        assert [e.seq for e in store.events(case_id="C1", after=1)] == [2, 3]

    def test_many_events_and_cases_come_in_order(self, store: EventStore) -> None:
        ids = [f"C{n:03}" for n in range(120)]
        for start in range(0, 120, 40):
            chosen = ids[start : start + 40][::-1]  # appended out of id order
            store.append(
                [new_event(case_id, 1) for case_id in chosen],
                [case_row(case_id, 1) for case_id in chosen],
                expected=dict.fromkeys(chosen, 0),
            )
        fire(store, "C007", 2)
        assert [e.seq for e in store.events()] == list(range(1, 123))
        assert [e.seq for e in store.events(after=100)] == list(range(101, 123))
        assert [e.version for e in store.events(case_id="C007")] == [1, 2, 3]
        assert [row.case_id for row in store.cases()] == ids
        assert store.verify().events == 122

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            (lambda s: s.events(after=-1), "after=-1 must be an int in 0..9223372036854775807"),
            (lambda s: s.events(after=2**64), "must be an int in 0..9223372036854775807"),
            (lambda s: s.events(after="1"), "after='1' must be an int"),
            (lambda s: s.events(case_id=""), "case_id must not be empty"),
            (lambda s: s.cases(subject_id=""), "subject_id must not be empty"),
            (lambda s: s.cases(machine=3), "machine must be a str or None"),
            (lambda s: s.cases(open_only="x"), "open_only must be True or False"),
        ],
        ids=["after<0", "after>int64", "after-str", "case_id", "subject_id", "machine", "open"],
    )
    def test_a_bad_filter_is_invalid_input(
        self, store: EventStore, query: Callable[[EventStore], Iterator[Any]], message: str
    ) -> None:
        fire(store, "C1")
        with pytest.raises(InvalidInput, match=re.escape(message)):
            list(query(store))

    def test_cases_filter_by_subject_machine_and_open_state(self, store: EventStore) -> None:
        fire(store, "L2", subject="S1", machine="listing")
        fire(store, "C1", subject="S1", machine="commitment", closed=True)
        fire(store, "C3", subject="S2", machine="commitment")
        fire(store, "L1", subject="S2", machine="listing", closed=True)

        def ids(**filters: Any) -> list[str]:
            return [row.case_id for row in store.cases(**filters)]

        assert ids() == ["C1", "C3", "L1", "L2"]
        assert ids(subject_id="S1") == ["C1", "L2"]
        assert ids(machine="listing") == ["L1", "L2"]
        assert ids(open_only=True) == ["C3", "L2"]
        assert ids(subject_id="S2", machine="commitment", open_only=True) == ["C3"]
        assert ids(subject_id="S9") == []
        assert store.has_cases("S1")
        assert store.has_cases("S2")
        assert not store.has_cases("S9")

    def test_open_or_keeps_open_rows_and_only_the_closed_rows_it_names(
        self, store: EventStore
    ) -> None:
        on = dt.date(2026, 3, 10)
        early = dt.date(2026, 1, 1)
        fire(store, "A-open", last_on=early)
        fire(store, "B-closed-before", closed=True, last_on=dt.date(2026, 3, 9))
        fire(store, "C-closed-on", closed=True, last_on=on)
        fire(store, "D-closed-after", closed=True, last_on=dt.date(2026, 3, 11))
        fire(store, "E-kept-machine", machine="listing", closed=True, last_on=early)
        fire(store, "F-kept-state", state="breached", closed=True, last_on=early)
        fire(store, "G-other-subject", subject="S9", last_on=early)
        fire(store, "H-open-listing", machine="listing", last_on=early)

        def ids(open_or: ClosedRows, **filters: Any) -> list[str]:
            rows = store.cases(subject_id="S1", open_or=open_or, **filters)
            return [row.case_id for row in rows]

        named = ClosedRows(
            after=on, machines=frozenset({"listing"}), states=frozenset({"breached"})
        )
        assert ids(ClosedRows(after=on)) == ["A-open", "D-closed-after", "H-open-listing"]
        assert ids(named) == [
            "A-open", "D-closed-after", "E-kept-machine", "F-kept-state", "H-open-listing",
        ]  # fmt: skip
        assert ids(named, machine="listing") == ["E-kept-machine", "H-open-listing"]

    # -- replace_cases -------------------------------------------------------------------------

    def test_replace_cases_swaps_every_projection(self, store: EventStore) -> None:
        fire(store, "C1", 2)
        fire(store, "C2")
        rebuilt = [case_row("C1", 2, subject="S7"), case_row("C2", 1, closed=True)]
        store.replace_cases(rebuilt)
        assert list(store.cases()) == rebuilt

    @pytest.mark.parametrize(("rows", "message"), _REPLACEMENTS)
    def test_replace_cases_refuses_rows_that_do_not_match_the_events(
        self, store: EventStore, rows: Any, message: str
    ) -> None:
        fire(store, "C1", 2)
        fire(store, "C2")
        before = snapshot(store)
        with pytest.raises(InvalidInput, match=message):
            store.replace_cases(rows)
        assert snapshot(store) == before

    # -- verify: the chain ---------------------------------------------------------------------

    def test_verify_reports_the_head_of_a_whole_chain(self, store: EventStore) -> None:
        _book_of_five(store)
        report = store.verify()
        assert (report.ok, report.events, report.head) == (True, 5, store.head()[1])
        assert (report.broken_at, report.reason) == (None, None)

    def test_verify_finds_data_rewritten_to_equal_json(
        self, store: EventStore, tamper: Tamper
    ) -> None:
        _book_of_five(store)
        original = list(store.events())[2]
        tamper.update(3, data=" " + canonical_json(original.data))
        assert next(store.events(after=2)) == original
        report = store.verify()
        assert (report.ok, report.broken_at) == (False, 3)

    def test_verify_finds_changed_data(self, store: EventStore, tamper: Tamper) -> None:
        _book_of_five(store)
        tamper.update(3, data='{"n":1,"note":"forged"}')
        report = store.verify()
        assert (report.ok, report.broken_at, report.events) == (False, 3, 2)
        assert report.reason is not None
        assert "hash does not match" in report.reason
        assert report.head == list(store.events())[1].hash

    @pytest.mark.parametrize(("column", "value"), _EVENT_EDITS)
    def test_verify_finds_any_changed_field(
        self, store: EventStore, tamper: Tamper, column: str, value: str
    ) -> None:
        _book_of_five(store)
        tamper.update(4, **{column: value})
        report = store.verify()
        assert (report.ok, report.broken_at) == (False, 4)

    def test_verify_finds_a_deleted_event(self, store: EventStore, tamper: Tamper) -> None:
        _book_of_five(store)
        tamper.delete(2)
        report = store.verify()
        assert (report.ok, report.broken_at, report.events) == (False, 2, 1)
        assert report.reason == "event 2 is missing (the next is 3)"

    def test_verify_finds_a_rewritten_hash_at_the_next_link(
        self, store: EventStore, tamper: Tamper
    ) -> None:
        _book_of_five(store)
        forged = attrs.evolve(list(store.events())[2], data={"forged": True})
        tamper.update(3, data='{"forged":true}', hash=forged.computed_hash())
        report = store.verify()
        assert (report.ok, report.broken_at) == (False, 4)
        assert report.reason is not None
        assert "is not the hash of event 3" in report.reason

    def test_verify_finds_a_version_jump(self, store: EventStore, tamper: Tamper) -> None:
        _book_of_five(store)
        event = attrs.evolve(list(store.events())[3], version=4)  # C1: 1, 2, 3 -> 1, 2, 4
        event = attrs.evolve(event, hash=event.computed_hash())
        tamper.update(4, version=4, hash=event.hash)
        tamper.update(5, prev_hash=event.hash)
        report = store.verify()
        assert (report.ok, report.broken_at) == (False, 4)
        assert report.reason == "case 'C1' goes from version 2 to 4"

    @pytest.mark.parametrize(
        ("column", "value"), [("on_date", "the first of June"), ("data", "{not json")]
    )
    def test_verify_reports_an_unreadable_event(
        self, store: EventStore, tamper: Tamper, column: str, value: str
    ) -> None:
        _book_of_five(store)
        tamper.update(5, **{column: value})
        report = store.verify()
        assert (report.ok, report.broken_at, report.events) == (False, 5, 4)
        assert report.reason is not None
        assert report.reason.startswith("the event cannot be read")

    # -- verify: projections and anchors -------------------------------------------------------

    def test_each_event_records_the_projection_it_produced(self, store: EventStore) -> None:
        """The last event of a case in an append carries its row's digest; earlier ones None."""
        events = [new_event("C1", 1), new_event("C2", 1), new_event("C1", 2)]
        stored = store.append(
            events, [case_row("C1", 2), case_row("C2", 1)], expected={"C1": 0, "C2": 0}
        )
        digests = {row.case_id: _row_digest(row) for row in store.cases()}
        assert [e.projection for e in stored] == [None, digests["C2"], digests["C1"]]
        assert [e.projection for e in store.events()] == [None, digests["C2"], digests["C1"]]
        assert store.verify().projections == 2

    @pytest.mark.parametrize(("column", "value"), _CASE_EDITS)
    def test_verify_finds_an_edited_projection(
        self, store: EventStore, tamper: Tamper, column: str, value: Any
    ) -> None:
        _book_of_five(store)
        tamper.update_case("C1", **{column: value})
        report = store.verify()
        assert (report.ok, report.case_id, report.broken_at, report.events) == (
            False, "C1", None, 5,
        )  # fmt: skip
        assert report.reason is not None
        assert "not the one event 4 recorded" in report.reason

    def test_verify_finds_a_deleted_projection(self, store: EventStore, tamper: Tamper) -> None:
        _book_of_five(store)
        tamper.delete_case("C2")
        report = store.verify()
        assert (report.ok, report.case_id) == (False, "C2")
        assert report.reason == "case 'C2' has events (the last is 5) but no projection"

    def test_verify_finds_a_projection_without_events(
        self, store: EventStore, tamper: Tamper
    ) -> None:
        _book_of_five(store)
        tamper.copy_case("C1", "C0")
        report = store.verify()
        assert (report.ok, report.case_id) == (False, "C0")
        assert report.reason == "case 'C0' has a projection but no events"

    def test_verify_finds_a_truncated_tail_by_its_projections(
        self, store: EventStore, tamper: Tamper
    ) -> None:
        _book_of_five(store)
        tamper.truncate(after=3)
        report = store.verify()
        assert (report.ok, report.case_id, report.events) == (False, "C1", 3)
        assert report.reason == (
            "the projection of case 'C1' is at version 3, but its last event (seq 2) makes "
            "version 2"
        )

    def test_an_anchor_holds_while_its_event_is_unchanged(self, store: EventStore) -> None:
        fire(store, "C1")
        anchor = store.head()
        _book_of_five(store)
        report = store.verify(anchors={anchor[0]: anchor[1], 0: GENESIS})
        assert (report.ok, report.anchors) == (True, 2)

    def test_an_anchor_beyond_the_head_is_a_removed_tail(
        self, store: EventStore, tamper: Tamper
    ) -> None:
        _book_of_five(store)
        seq, head = store.head()
        tamper.truncate(after=4)
        tamper.update_case("C2", version=1)  # even with a projection made to match ...
        report = store.verify(anchors={seq: head})
        assert (report.ok, report.broken_at) == (False, 5)
        assert report.reason is not None
        assert "lies beyond the head (event 4)" in report.reason

    def test_an_anchor_finds_a_rewritten_history(self, store: EventStore, tamper: Tamper) -> None:
        """Every hash recomputed after a change: the chain is whole, the anchor is not."""
        _book_of_five(store)
        seq, head = store.head()
        events = list(store.events())
        prev = events[1].hash
        for event in events[2:]:
            forged = attrs.evolve(event, actor="forger", prev_hash=prev)
            forged = attrs.evolve(forged, hash=forged.computed_hash())
            tamper.update(event.seq, actor="forger", prev_hash=prev, hash=forged.hash)
            prev = forged.hash
        assert store.verify().ok
        report = store.verify(anchors={seq: head})
        assert (report.ok, report.broken_at) == (False, 5)
        assert report.reason is not None
        assert "does not hold" in report.reason

    # -- closing -------------------------------------------------------------------------------

    def test_close_is_idempotent_and_a_closed_store_refuses_calls(self, store: EventStore) -> None:
        fire(store, "C1")
        store.close()
        store.close()
        with pytest.raises(InvalidInput, match="closed"):
            store.head()
        with pytest.raises(InvalidInput, match="closed"):
            fire(store, "C1")
        with pytest.raises(InvalidInput, match="closed"):
            list(store.events())


class SharedStoreContract(StoreContract):
    """The contract of a store that several connections and processes share: the single-store
    contract, and what one connection sees of another's appends and races."""

    writers: int = 4
    """Processes racing at the same cases in the concurrency test."""

    rounds: int = 60
    """Appends each racing process attempts."""

    @pytest.fixture
    def other(self, store: EventStore, opener: StoreOpener) -> Iterator[EventStore]:
        """A second connection to the book ``store`` is on (opened after it)."""
        opened = opener(clock=ContractClock())
        try:
            yield opened
        finally:
            opened.close()

    def test_the_opener_pickles(self, opener: StoreOpener) -> None:
        """Child processes open the book with it (a partial of a module-level function, or an
        instance of a module-level class, pickles; a lambda or a local function does not)."""
        assert pickle.loads(pickle.dumps(opener)) is not None

    def test_a_second_connection_sees_every_append(
        self, store: EventStore, other: EventStore
    ) -> None:
        appended = fire(store, "C1", 2) + fire(other, "C2") + fire(store, "C2")
        for connection in (store, other):
            assert list(connection.events()) == appended
            assert connection.head() == (4, appended[-1].hash)
            assert [row.version for row in connection.cases()] == [2, 2]
            assert connection.verify().ok

    def test_a_version_moved_by_another_connection_conflicts(
        self, store: EventStore, other: EventStore
    ) -> None:
        fire(store, "C1")
        fire(other, "C1")
        before = snapshot(store)
        with pytest.raises(Conflict) as caught:
            store.append([new_event("C1", 2)], [case_row("C1", 2)], expected={"C1": 1})
        assert (caught.value.case_id, caught.value.expected, caught.value.actual) == ("C1", 1, 2)
        assert snapshot(store) == before == snapshot(other)

    def test_a_key_used_by_another_connection_conflicts(
        self, store: EventStore, other: EventStore
    ) -> None:
        store.append([new_event("C1", 1, key="req")], [case_row("C1", 1)], expected={"C1": 0})
        with pytest.raises(Conflict, match="idempotency key 'req' is already used by event 1"):
            other.append([new_event("C2", 1, key="req")], [case_row("C2", 1)], expected={"C2": 0})
        assert other.case("C2") is None
        assert store.head()[0] == 1

    def test_a_failed_append_is_seen_by_no_connection(
        self, store: EventStore, other: EventStore, clock: ContractClock
    ) -> None:
        fire(store, "C1")
        before = snapshot(other)
        events = [new_event("C1", 2), new_event("C2", 1, key="k")]
        rows = [case_row("C1", 2), case_row("C2", 1)]
        with self.inject_failure(store, clock), pytest.raises(Exception) as caught:  # noqa: PT011
            store.append(events, rows, expected={"C1": 1, "C2": 0})
        _check_injected(caught.value)
        assert snapshot(other) == before
        fire(other, "C1")  # the book is not left locked
        assert store.verify().ok

    def test_writers_in_several_processes_lose_no_update(
        self, store: EventStore, opener: StoreOpener
    ) -> None:
        context = multiprocessing.get_context("spawn")
        results = context.Queue()
        start = context.Event()
        racers = [
            context.Process(target=_race, args=(opener, seed, self.rounds, start, results))
            for seed in range(self.writers)
        ]
        for racer in racers:
            racer.start()
        try:
            start.set()
            outcomes = _collect(results, racers, deadline=time.monotonic() + 300)
        finally:
            for racer in racers:
                racer.join(timeout=30)
                if racer.is_alive():
                    racer.kill()
        failures = [outcome for outcome in outcomes if "error" in outcome]
        assert not failures, failures
        successes = sum((Counter(o["successes"]) for o in outcomes), Counter())
        assert sum(o["conflicts"] for o in outcomes) > 0
        assert all(o["appends"] + o["conflicts"] == self.rounds for o in outcomes)
        report = store.verify()
        assert report.ok, report
        assert {row.case_id: row.version for row in store.cases()} == dict(successes)
        assert store.head()[0] == sum(successes.values())
        for case_id, count in successes.items():
            versions = [e.version for e in store.events(case_id=case_id)]
            assert versions == list(range(1, count + 1))
        keys = Counter(e.idempotency_key for e in store.events() if e.idempotency_key)
        assert all(count == 1 for count in keys.values())


def _collect(results: Any, racers: list[Any], *, deadline: float) -> list[dict[str, Any]]:
    """Each racer's outcome; a racer that died without one (it could not import or unpickle
    the opener, say) fails the test at once with its exit code instead of a long wait."""
    outcomes: list[dict[str, Any]] = []
    while len(outcomes) < len(racers):
        try:
            outcomes.append(results.get(timeout=0.5))
        except queue.Empty:
            dead = [r for r in racers if r.exitcode not in (None, 0)]
            assert not dead, (
                f"racers died without a result: exit codes {[r.exitcode for r in dead]}"
            )
            assert time.monotonic() < deadline, "the racers did not finish in 300 s"
    return outcomes


def _check_injected(error: BaseException) -> None:
    """The error an injected failure gives: the test's own, or a typed error of creditflow
    saying the store failed (``BookUnavailable``), never a raw driver error, a conflict or a
    complaint about the input."""
    typed = isinstance(error, InjectedFailure | CreditflowError)
    assert typed, f"a raw {type(error).__name__} came out of the store: {error}"
    assert not isinstance(error, Conflict | InvalidInput), error


_RACED = ["A", "B", "C"]


def _race(
    opener: StoreOpener, seed: int, rounds: int, start: Any, results: Any
) -> None:  # pragma: no cover (runs in child processes)
    """A child process of the concurrency test: ``rounds`` read-then-append attempts at the
    same few cases, some with an idempotency key every racer uses too; puts its counts (or
    the error that ended it) on ``results``."""
    rng = random.Random(seed)
    successes: Counter[str] = Counter()
    appends = conflicts = 0
    try:
        store = opener()
        try:
            start.wait(60)
            for round_ in range(rounds):
                chosen, done = _attempt(store, rng, f"racer-{seed}", round_)
                if done:
                    successes.update(chosen)
                    appends += 1
                else:
                    conflicts += 1
        finally:
            store.close()
    except BaseException as exc:
        results.put({"error": f"racer {seed}: {type(exc).__name__}: {exc}"})
        return
    results.put({"successes": dict(successes), "appends": appends, "conflicts": conflicts})


def _attempt(
    store: EventStore, rng: random.Random, name: str, round_: int
) -> tuple[list[str], bool]:  # pragma: no cover (runs in child processes)
    chosen = rng.sample(_RACED, rng.choice([1, 1, 2]))
    versions = {case_id: _version(store, case_id) for case_id in chosen}
    time.sleep(rng.uniform(0, 0.002))
    key = f"shared-{round_}" if round_ % 10 == 0 else None  # every racer tries this key
    events = [
        new_event(case_id, versions[case_id] + 1, "step", data={"by": name}, actor=name, key=key)
        for case_id in chosen[:1]
    ] + [
        new_event(case_id, versions[case_id] + 1, "step", data={"by": name}, actor=name)
        for case_id in chosen[1:]
    ]
    rows = [case_row(case_id, versions[case_id] + 1) for case_id in chosen]
    try:
        store.append(events, rows, expected=versions)
    except Conflict as conflict:
        stale = conflict.case_id in chosen and conflict.expected == versions[conflict.case_id]
        if not (stale or (key is not None and "idempotency key" in conflict.message)):
            raise AssertionError(f"a conflict about another change: {conflict}") from None
        return chosen, False
    return chosen, True


def _version(store: EventStore, case_id: str) -> int:  # pragma: no cover (child processes)
    row = store.case(case_id)
    return 0 if row is None else row.version
