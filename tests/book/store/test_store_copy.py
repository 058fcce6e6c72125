"""Copying a book into every store: the same events and hashes, checked as they are adopted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from creditflow.book import MemoryStore, open_store
from creditflow.book.copying import AdoptingStore, adopting, copy_book
from creditflow.errors import BookCorrupt, InvalidInput
from creditflow.testing.store_contract import ContractClock, case_row, fire, new_event, snapshot


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AdoptingStore]:
    """An empty store of each kind, to copy into."""
    if request.param == "memory":
        opened = adopting(MemoryStore(clock=ContractClock()))
    elif request.param == "sqlite":
        opened = adopting(open_store(tmp_path / "book.sqlite", clock=ContractClock()))
    else:
        url = request.getfixturevalue("postgres_url")
        opened = adopting(open_store(url, clock=ContractClock()))
    yield opened
    opened.close()


def _source() -> MemoryStore:
    source = MemoryStore(clock=ContractClock())
    fire(source, "C1", 2)
    source.append([new_event("C2", 1, key="k"), new_event("C1", 3)],
                  [case_row("C1", 3, closed=True), case_row("C2", 1)],
                  expected={"C1": 2, "C2": 0})  # fmt: skip
    fire(source, "C2")
    return source


def test_a_copy_has_the_same_events_rows_and_head(store: AdoptingStore) -> None:
    source = _source()
    report = copy_book(source, store, chunk=2)
    assert report.ok and (report.resumed_after, report.copied) == (0, 5)
    assert snapshot(store) == snapshot(source)
    again = copy_book(source, store)
    assert (again.ok, again.resumed_after, again.copied) == (True, 5, 0)


def test_a_copy_resumes_after_the_destinations_head(store: AdoptingStore) -> None:
    source = _source()
    events = list(source.events())
    store.adopt(events[:3], list(source.cases()))  # an interrupted copy
    report = copy_book(source, store)
    assert (report.ok, report.resumed_after, report.copied) == (True, 3, 2)
    assert snapshot(store) == snapshot(source)


def test_events_that_do_not_follow_the_head_are_refused(store: AdoptingStore) -> None:
    events = list(_source().events())
    with pytest.raises(InvalidInput, match="does not follow the head 0"):
        store.adopt(events[1:], [])
    assert list(store.events()) == []


def test_an_event_whose_hash_does_not_match_is_refused(store: AdoptingStore) -> None:
    source = _source()
    events = list(source.events())
    forged = attrs.evolve(events[1], actor="forger")
    with pytest.raises(BookCorrupt, match="event 2"):
        store.adopt([events[0], forged], list(source.cases()))
    assert list(store.events()) == []


def test_a_destination_holding_another_book_is_refused(store: AdoptingStore) -> None:
    fire(store, "X")
    with pytest.raises(InvalidInput, match="holds another book"):
        copy_book(_source(), store)
    assert store.head()[0] == 1
