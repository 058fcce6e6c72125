"""Copying a book into every store: the same events and hashes, checked as they are adopted."""

from __future__ import annotations

import attrs
import pytest
from storekit import Store, Ticker, case_row, fire, new_event, snapshot

from creditflow.book.copying import adopting, copy_book
from creditflow.book.memory_store import MemoryStore
from creditflow.errors import BookCorrupt, InvalidInput


def _source() -> MemoryStore:
    source = MemoryStore(clock=Ticker())
    fire(source, "C1", 2)
    source.append([new_event("C2", 1, key="k"), new_event("C1", 3)],
                  [case_row("C1", 3, closed=True), case_row("C2", 1)],
                  expected={"C1": 2, "C2": 0})  # fmt: skip
    fire(source, "C2")
    return source


def test_a_copy_has_the_same_events_rows_and_head(store: Store) -> None:
    source = _source()
    report = copy_book(source, adopting(store), chunk=2)
    assert report.ok and (report.resumed_after, report.copied) == (0, 5)
    assert snapshot(store) == snapshot(source)
    again = copy_book(source, adopting(store))
    assert (again.ok, again.resumed_after, again.copied) == (True, 5, 0)


def test_a_copy_resumes_after_the_destinations_head(store: Store) -> None:
    source = _source()
    events = list(source.events())
    store.adopt(events[:3], list(source.cases()))  # an interrupted copy
    report = copy_book(source, adopting(store))
    assert (report.ok, report.resumed_after, report.copied) == (True, 3, 2)
    assert snapshot(store) == snapshot(source)


def test_events_that_do_not_follow_the_head_are_refused(store: Store) -> None:
    events = list(_source().events())
    with pytest.raises(InvalidInput, match="does not follow the head 0"):
        store.adopt(events[1:], [])
    assert list(store.events()) == []


def test_an_event_whose_hash_does_not_match_is_refused(store: Store) -> None:
    source = _source()
    events = list(source.events())
    forged = attrs.evolve(events[1], actor="forger")
    with pytest.raises(BookCorrupt, match="event 2"):
        store.adopt([events[0], forged], list(source.cases()))
    assert list(store.events()) == []


def test_a_destination_holding_another_book_is_refused(store: Store) -> None:
    fire(store, "X")
    with pytest.raises(InvalidInput, match="holds another book"):
        copy_book(_source(), adopting(store))
    assert store.head()[0] == 1
