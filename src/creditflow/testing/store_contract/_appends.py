"""The contract of appends: the chain, versions, malformed appends, atomicity, keys."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from creditflow.book.encoding import GENESIS
from creditflow.book.rows import event_hash
from creditflow.book.store import EventStore
from creditflow.errors import Conflict, InvalidDate, InvalidInput
from creditflow.testing.store_contract._base import ContractBase
from creditflow.testing.store_contract._kit import (
    DAY,
    START,
    ContractClock,
    case_row,
    check_injected,
    fire,
    new_event,
    snapshot,
)

__all__ = ["AppendContract"]

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


class AppendContract(ContractBase):
    """Appending: seq and the chain, ``Conflict``, ``InvalidInput``, atomicity, keys."""

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
        check_injected(caught.value)
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
