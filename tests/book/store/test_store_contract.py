"""The store contract, run against every store: chain, versions, keys, queries, verify."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from storekit import DAY, START, Store, Tamper, Ticker, case_row, fire, new_event, snapshot

from creditflow.book import sqlite_store
from creditflow.book._records import encode_case
from creditflow.book.encoding import projection_digest
from creditflow.book.memory_store import MemoryStore
from creditflow.book.rows import GENESIS, CaseRow, ClosedRows, canonical_json, event_hash
from creditflow.book.sqlite_store import SqliteStore
from creditflow.errors import Conflict, InvalidDate, InvalidInput

# -- an empty book ---------------------------------------------------------------------------


def test_an_empty_book_has_the_genesis_head_and_verifies(store: Store) -> None:
    assert store.head() == (0, GENESIS)
    assert list(store.events()) == []
    assert list(store.cases()) == []
    assert store.case("C1") is None
    assert store.by_idempotency_key("k") is None
    report = store.verify()
    assert (report.ok, report.events, report.head, report.broken_at) == (True, 0, GENESIS, None)


# -- append: seq, chain, recorded_at -----------------------------------------------------------


def test_the_first_event_is_chained_to_genesis(store: Store) -> None:
    event = new_event("C1", 1)
    [stored] = store.append([event], [case_row("C1", 1)], expected={"C1": 0})
    assert (stored.seq, stored.prev_hash, stored.recorded_at) == (1, GENESIS, START)
    assert stored.hash == event_hash(1, event, START, GENESIS, stored.projection)
    assert stored.hash == stored.computed_hash()
    assert store.head() == (1, stored.hash)


def test_a_batch_gets_consecutive_seqs_chained_in_order(store: Store) -> None:
    fire(store, "C1")
    events = [new_event("C2", 1), new_event("C1", 2), new_event("C2", 2), new_event("C1", 3)]
    rows = [case_row("C1", 3), case_row("C2", 2)]
    stored = store.append(events, rows, expected={"C1": 1, "C2": 0})
    assert [e.seq for e in stored] == [2, 3, 4, 5]
    assert [(e.case_id, e.version) for e in stored] == [("C2", 1), ("C1", 2), ("C2", 2), ("C1", 3)]
    everything = list(store.events())
    assert [e.prev_hash for e in everything] == [GENESIS] + [e.hash for e in everything[:-1]]
    assert len({e.recorded_at for e in stored}) == 1  # one transaction, one time
    assert store.verify().ok


def test_events_read_back_equal_to_what_append_returned(store: Store) -> None:
    appended = fire(store, "C1", 2) + fire(store, "C2") + fire(store, "C1")
    assert list(store.events()) == appended
    assert all(e.computed_hash() == e.hash for e in store.events())


def test_recorded_at_is_utc_with_microseconds(store: Store, clock: Ticker) -> None:
    clock.now = dt.datetime(2026, 6, 1, 16, 0, 0, 7, tzinfo=ZoneInfo("Asia/Shanghai"))
    fire(store, "C1")
    clock.now = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)  # no microseconds at all
    fire(store, "C1")
    first, second = store.events()
    assert first.recorded_at == dt.datetime(2026, 6, 1, 8, 0, 0, 7, tzinfo=dt.UTC)
    assert first.recorded_at.utcoffset() == dt.timedelta(0)
    assert first.recorded_at.isoformat() == "2026-06-01T08:00:00.000007+00:00"
    assert second.recorded_at.isoformat() == "2026-06-01T09:00:00+00:00"
    assert store.verify().ok


def test_a_naive_clock_is_refused(store: Store, clock: Ticker) -> None:
    clock.now = dt.datetime(2026, 6, 1, 8, 0)
    with pytest.raises(InvalidInput, match="aware"):
        fire(store, "C1")
    assert store.head() == (0, GENESIS)


def test_append_upserts_the_rows_in_the_same_call(store: Store) -> None:
    fire(store, "C1")
    assert store.case("C1") == case_row("C1", 1)
    fire(store, "C1", 2, closed=True, subject="S2")
    assert store.case("C1") == case_row("C1", 3, closed=True, subject="S2")


def test_values_read_back_are_fresh_copies(store: Store) -> None:
    fire(store, "C1")
    [event] = store.events()
    row = store.case("C1")
    assert row is not None
    event.data["items"].append("changed")
    row.body["deadlines"]["due"] = "changed"
    assert next(store.events()).data["items"] == [1, 2.5, None, True]
    assert store.case("C1") == case_row("C1", 1)


def test_an_empty_append_writes_nothing(store: Store) -> None:
    assert store.append([], [], expected={}) == []
    assert store.head() == (0, GENESIS)


# -- versions: Conflict -----------------------------------------------------------------------


def test_a_stale_expected_version_conflicts_and_writes_nothing(store: Store) -> None:
    fire(store, "C1")
    before = snapshot(store)
    with pytest.raises(Conflict) as caught:
        store.append([new_event("C1", 1)], [case_row("C1", 1)], expected={"C1": 0})
    assert (caught.value.case_id, caught.value.expected, caught.value.actual) == ("C1", 0, 1)
    assert snapshot(store) == before


def test_a_missing_case_has_version_zero(store: Store) -> None:
    with pytest.raises(Conflict) as caught:
        store.append([new_event("C9", 4)], [case_row("C9", 4)], expected={"C9": 3})
    assert (caught.value.case_id, caught.value.expected, caught.value.actual) == ("C9", 3, 0)
    assert store.head() == (0, GENESIS)


def test_one_stale_case_stops_the_whole_batch(store: Store) -> None:
    fire(store, "C2")
    fire(store, "C2")
    before = snapshot(store)
    events = [new_event("C1", 1), new_event("C2", 2)]
    with pytest.raises(Conflict, match="case C2 is at version 2, not the expected 1"):
        store.append(events, [case_row("C1", 1), case_row("C2", 2)], expected={"C1": 0, "C2": 1})
    assert snapshot(store) == before
    assert store.case("C1") is None


def test_a_case_in_expected_without_events_is_a_version_check(store: Store) -> None:
    fire(store, "LISTING")
    rows = [case_row("REPAIR", 1)]
    with pytest.raises(Conflict, match="LISTING"):
        store.append([new_event("REPAIR", 1)], rows, expected={"REPAIR": 0, "LISTING": 0})
    store.append([new_event("REPAIR", 1)], rows, expected={"REPAIR": 0, "LISTING": 1})
    assert store.case("LISTING") == case_row("LISTING", 1)


# -- malformed appends: InvalidInput, nothing written -----------------------------------------

BAD_APPENDS: list[tuple[str, Any, Any, Any, str]] = [
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


@pytest.mark.parametrize(
    ("events", "rows", "expected", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_APPENDS],
)
def test_a_malformed_append_is_invalid_input_and_writes_nothing(
    store: Store, events: Any, rows: Any, expected: Any, message: str
) -> None:
    fire(store, "C0")
    before = snapshot(store)
    with pytest.raises(InvalidInput, match=message):
        store.append(events, rows, expected=expected)
    assert snapshot(store) == before


@pytest.mark.parametrize("field", ["event_on", "row_on"])
def test_a_datetime_for_a_business_date_is_invalid_date(store: Store, field: str) -> None:
    moment = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    event = new_event("C1", 1, on=moment if field == "event_on" else DAY)
    row = case_row("C1", 1, on=moment if field == "row_on" else DAY)
    with pytest.raises(InvalidDate):
        store.append([event], [row], expected={"C1": 0})
    assert store.head() == (0, GENESIS)


# -- idempotency keys ---------------------------------------------------------------------------


def test_an_event_is_found_by_its_idempotency_key(store: Store) -> None:
    [stored] = store.append(
        [new_event("C1", 1, key="req-1")], [case_row("C1", 1)], expected={"C1": 0}
    )
    assert store.by_idempotency_key("req-1") == stored
    assert stored.idempotency_key == "req-1"
    fire(store, "C1")  # events without a key do not collide with each other
    fire(store, "C1")
    assert store.by_idempotency_key("req-2") is None


def test_a_stored_idempotency_key_conflicts_and_writes_nothing(store: Store) -> None:
    store.append([new_event("C1", 1, key="req-1")], [case_row("C1", 1)], expected={"C1": 0})
    before = snapshot(store)
    events = [new_event("C2", 1, key="req-9"), new_event("C2", 2, key="req-1")]
    with pytest.raises(Conflict, match="idempotency key 'req-1' is already used by event 1"):
        store.append(events, [case_row("C2", 2)], expected={"C2": 0})
    assert snapshot(store) == before
    assert store.by_idempotency_key("req-9") is None


def test_a_key_conflict_describes_the_change_already_made(store: Store) -> None:
    fire(store, "C1")
    store.append([new_event("C1", 2, key="k")], [case_row("C1", 2)], expected={"C1": 1})
    with pytest.raises(Conflict) as caught:
        store.append([new_event("C1", 3, key="k")], [case_row("C1", 3)], expected={"C1": 2})
    assert (caught.value.case_id, caught.value.expected, caught.value.actual) == ("C1", 1, 2)


# -- queries -----------------------------------------------------------------------------------


def test_events_of_one_case_and_after_a_seq(store: Store) -> None:
    fire(store, "C1")
    fire(store, "C2", 2)
    fire(store, "C1")
    assert [e.seq for e in store.events(case_id="C1")] == [1, 4]
    assert [e.seq for e in store.events(case_id="C2", after=2)] == [3]
    assert [e.seq for e in store.events(after=2)] == [3, 4]
    assert list(store.events(after=4)) == []
    assert list(store.events(case_id="C9")) == []


def test_events_stop_at_the_head_of_when_the_iteration_started(store: Store) -> None:
    fire(store, "C1", 2)
    iterator = store.events()
    assert next(iterator).seq == 1
    fire(store, "C1")
    assert [e.seq for e in iterator] == [2]
    assert [e.seq for e in store.events(case_id="C1", after=1)] == [2, 3]


def test_cases_filter_by_subject_machine_and_open_state(store: Store) -> None:
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


def test_open_or_keeps_open_rows_and_only_the_closed_rows_it_names(store: Store) -> None:
    on = dt.date(2026, 3, 10)
    fire(store, "A-open", last_on=dt.date(2026, 1, 1))
    fire(store, "B-closed-before", closed=True, last_on=dt.date(2026, 3, 9))
    fire(store, "C-closed-on", closed=True, last_on=on)
    fire(store, "D-closed-after", closed=True, last_on=dt.date(2026, 3, 11))
    fire(store, "E-kept-machine", machine="listing", closed=True, last_on=dt.date(2026, 1, 1))
    fire(store, "F-kept-state", state="breached", closed=True, last_on=dt.date(2026, 1, 1))
    fire(store, "G-other-subject", subject="S9", last_on=dt.date(2026, 1, 1))

    def ids(open_or: ClosedRows) -> list[str]:
        return [row.case_id for row in store.cases(subject_id="S1", open_or=open_or)]

    assert ids(ClosedRows(after=on)) == ["A-open", "D-closed-after"]
    assert ids(ClosedRows(after=on, machines=frozenset({"listing"}),
                          states=frozenset({"breached"}))) == [
        "A-open", "D-closed-after", "E-kept-machine", "F-kept-state"]  # fmt: skip


def test_long_results_are_read_page_by_page(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_store, "_PAGE", 3)
    for number in range(10):
        fire(store, f"C{number:02}", 2)
    assert [e.seq for e in store.events()] == list(range(1, 21))
    assert [e.seq for e in store.events(after=5)] == list(range(6, 21))
    assert [e.seq for e in store.events(case_id="C04")] == [9, 10]
    assert [row.case_id for row in store.cases()] == [f"C{n:02}" for n in range(10)]
    assert store.verify().events == 20


# -- replace_cases -----------------------------------------------------------------------------


def test_replace_cases_swaps_every_projection(store: Store) -> None:
    fire(store, "C1", 2)
    fire(store, "C2")
    rebuilt = [case_row("C1", 2, subject="S7"), case_row("C2", 1, closed=True)]
    store.replace_cases(rebuilt)
    assert list(store.cases()) == rebuilt


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param([case_row("C1", 2)], "'C2' has events in the book but no row", id="missing"),
        pytest.param([case_row("C1", 1), case_row("C2", 1)], "must be 2", id="stale version"),
        pytest.param([case_row("C1", 2), case_row("C2", 1), case_row("C3", 1)],
                     "'C3' has no events", id="no events"),
        pytest.param([case_row("C1", 2), case_row("C1", 2), case_row("C2", 1)],
                     "has a row already", id="twice"),
    ],
)  # fmt: skip
def test_replace_cases_refuses_rows_that_do_not_match_the_events(
    store: Store, rows: Any, message: str
) -> None:
    fire(store, "C1", 2)
    fire(store, "C2")
    before = snapshot(store)
    with pytest.raises(InvalidInput, match=message):
        store.replace_cases(rows)
    assert snapshot(store) == before


# -- verify ------------------------------------------------------------------------------------


def _book_of_five(store: Store) -> None:
    fire(store, "C1", 2)
    fire(store, "C2")
    fire(store, "C1")
    fire(store, "C2")


def test_verify_reports_the_head_of_a_whole_chain(store: Store) -> None:
    _book_of_five(store)
    report = store.verify()
    assert (report.ok, report.events, report.head) == (True, 5, store.head()[1])
    assert (report.broken_at, report.reason) == (None, None)


def test_verify_finds_data_rewritten_to_equal_json(store: Store, tamper: Tamper) -> None:
    _book_of_five(store)
    original = list(store.events())[2]
    tamper.update(3, data=" " + canonical_json(original.data))
    assert next(store.events(after=2)) == original
    report = store.verify()
    assert (report.ok, report.broken_at) == (False, 3)


def test_verify_finds_changed_data(store: Store, tamper: Tamper) -> None:
    _book_of_five(store)
    tamper.update(3, data='{"n":1,"note":"forged"}')
    report = store.verify()
    assert (report.ok, report.broken_at, report.events) == (False, 3, 2)
    assert report.reason is not None and "hash does not match" in report.reason
    assert report.head == list(store.events())[1].hash


@pytest.mark.parametrize(
    ("column", "value"),
    [("actor", "someone-else"), ("on_date", "2026-05-31"), ("case_id", "C2"), ("event", "x"),
     ("recorded_at", "2026-06-01T08:30:16.123457+00:00"), ("idempotency_key", "k")],
)  # fmt: skip
def test_verify_finds_any_changed_field(
    store: Store, tamper: Tamper, column: str, value: str
) -> None:
    _book_of_five(store)
    tamper.update(4, **{column: value})
    report = store.verify()
    assert (report.ok, report.broken_at) == (False, 4)


def test_verify_finds_a_deleted_event(store: Store, tamper: Tamper) -> None:
    _book_of_five(store)
    tamper.delete(2)
    report = store.verify()
    assert (report.ok, report.broken_at, report.events) == (False, 2, 1)
    assert report.reason == "event 2 is missing (the next is 3)"


def test_verify_finds_a_rewritten_hash_at_the_next_link(store: Store, tamper: Tamper) -> None:
    _book_of_five(store)
    forged = list(store.events())[2]
    forged = attrs.evolve(forged, data={"forged": True})
    tamper.update(3, data='{"forged":true}', hash=forged.computed_hash())
    report = store.verify()
    assert (report.ok, report.broken_at) == (False, 4)
    assert report.reason is not None and "is not the hash of event 3" in report.reason


def test_verify_finds_a_version_jump(store: Store, tamper: Tamper) -> None:
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
    store: Store, tamper: Tamper, column: str, value: str
) -> None:
    _book_of_five(store)
    tamper.update(5, **{column: value})
    report = store.verify()
    assert (report.ok, report.broken_at, report.events) == (False, 5, 4)
    assert report.reason is not None and report.reason.startswith("the event cannot be read")


# -- projections and anchors --------------------------------------------------------------------


def row_record(row: CaseRow) -> tuple[Any, ...]:
    return encode_case(row, canonical_json(dict(row.body)))


def test_each_event_records_the_projection_it_produced(store: Store) -> None:
    """The last event of a case in an append carries its row's digest; earlier ones None."""
    events = [new_event("C1", 1), new_event("C2", 1), new_event("C1", 2)]
    stored = store.append(
        events, [case_row("C1", 2), case_row("C2", 1)], expected={"C1": 0, "C2": 0}
    )
    digests = {row.case_id: projection_digest(row_record(row)) for row in store.cases()}
    assert [e.projection for e in stored] == [None, digests["C2"], digests["C1"]]
    assert [e.projection for e in store.events()] == [None, digests["C2"], digests["C1"]]
    assert store.verify().projections == 2


@pytest.mark.parametrize(
    ("column", "value"),
    [("state", "removed"), ("closed", 1), ("body", '{"forged":true}'), ("subject_id", "S9"),
     ("last_on", "2027-01-01"), ("machine", "record"), ("kind", "k2")],
)  # fmt: skip
def test_verify_finds_an_edited_projection(
    store: Store, tamper: Tamper, column: str, value: Any
) -> None:
    _book_of_five(store)
    tamper.update_case("C1", **{column: value})
    report = store.verify()
    assert (report.ok, report.case_id, report.broken_at, report.events) == (False, "C1", None, 5)
    assert report.reason is not None and "not the one event 4 recorded" in report.reason


def test_verify_finds_a_deleted_projection(store: Store, tamper: Tamper) -> None:
    _book_of_five(store)
    tamper.delete_case("C2")
    report = store.verify()
    assert (report.ok, report.case_id) == (False, "C2")
    assert report.reason == "case 'C2' has events (the last is 5) but no projection"


def test_verify_finds_a_projection_without_events(store: Store, tamper: Tamper) -> None:
    _book_of_five(store)
    tamper.copy_case("C1", "C0")
    report = store.verify()
    assert (report.ok, report.case_id) == (False, "C0")
    assert report.reason == "case 'C0' has a projection but no events"


def test_verify_finds_a_truncated_tail_by_its_projections(store: Store, tamper: Tamper) -> None:
    _book_of_five(store)
    tamper.truncate(after=3)
    report = store.verify()
    assert (report.ok, report.case_id, report.events) == (False, "C1", 3)
    assert report.reason == (
        "the projection of case 'C1' is at version 3, but its last event (seq 2) makes version 2"
    )


def test_an_anchor_holds_while_its_event_is_unchanged(store: Store) -> None:
    fire(store, "C1")
    anchor = store.head()
    _book_of_five(store)
    report = store.verify(anchors={anchor[0]: anchor[1], 0: GENESIS})
    assert (report.ok, report.anchors) == (True, 2)


def test_an_anchor_beyond_the_head_is_a_removed_tail(store: Store, tamper: Tamper) -> None:
    _book_of_five(store)
    seq, head = store.head()
    tamper.truncate(after=4)
    tamper.update_case("C2", version=1)  # even with a projection made to match ...
    report = store.verify(anchors={seq: head})
    assert (report.ok, report.broken_at) == (False, 5)
    assert report.reason is not None and "lies beyond the head (event 4)" in report.reason


def test_an_anchor_finds_a_rewritten_history(store: Store, tamper: Tamper) -> None:
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
    assert report.reason is not None and "does not hold" in report.reason


# -- closing -----------------------------------------------------------------------------------


def test_close_is_idempotent_and_a_closed_store_refuses_calls(store: Store) -> None:
    fire(store, "C1")
    store.close()
    store.close()
    with pytest.raises(InvalidInput, match="closed"):
        store.head()
    with pytest.raises(InvalidInput, match="closed"):
        fire(store, "C1")
    with pytest.raises(InvalidInput, match="closed"):
        list(store.events())


def test_both_stores_are_context_managers(tmp_path: Any) -> None:
    with MemoryStore() as memory:
        fire(memory, "C1")
    with SqliteStore.open(tmp_path / "b.sqlite") as sqlite:
        fire(sqlite, "C1")
    for closed in (memory, sqlite):
        with pytest.raises(InvalidInput, match="closed"):
            closed.head()
