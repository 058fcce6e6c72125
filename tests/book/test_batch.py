"""CreditBook.batch(): many changes, one transaction; a refused change leaves no trace."""

from __future__ import annotations

from pathlib import Path

import pytest

from _people import (
    DECISION,
    OFFICER,
    OFFICIAL,
    D,
    entered_record,
    proposed_listing,
    published_listing,
    repair_application,
)
from creditflow.book import CreditBook, MemoryStore
from creditflow.book.rows import CaseRow
from creditflow.errors import InvalidInput, TransitionRefused


def test_a_batch_appends_everything_at_the_end(tmp_path: Path) -> None:
    with CreditBook.open(tmp_path / "b.sqlite", policy="national-transport") as book:
        with book.batch():
            first, second = proposed_listing(book, "watch"), proposed_listing(book, "watch")
            assert first != second
            book.fire(first, "notify", on=D(2026, 5, 6), actor=OFFICER)
            assert list(book.events()) == []  # nothing written yet
        assert [e.event for e in book.events()] == ["propose", "propose", "notify"]
        assert book.get(first).state == "notified"
        assert book.verify().ok
        assert book.replay() == {c.case_id: c for c in book.cases()}


def test_a_refused_change_inside_a_batch_leaves_no_trace() -> None:
    book = CreditBook.memory(policy="national-transport")
    with book.batch():
        case = proposed_listing(book, "watch")
        book.fire(case, "notify", on=D(2026, 5, 6), actor=OFFICER)
        with pytest.raises(TransitionRefused, match="statement period"):
            book.fire(case, "decide", on=D(2026, 5, 7), actor=OFFICIAL, **DECISION)
        book.fire(case, "drop", on=D(2026, 5, 8), actor=OFFICIAL)
    assert [e.event for e in book.events()] == ["propose", "notify", "drop"]
    assert book.get(case).state == "dropped"


def test_an_exception_out_of_the_batch_writes_nothing() -> None:
    book = CreditBook.memory(policy="national-transport")

    def interrupted() -> None:
        with book.batch():
            proposed_listing(book, "watch")
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        interrupted()
    assert list(book.events()) == []
    assert list(book.cases()) == []


def test_batches_do_not_nest() -> None:
    book = CreditBook.memory(policy="national-transport")
    with book.batch(), pytest.raises(InvalidInput, match="do not nest"), book.batch():
        pass


def test_an_idempotency_key_repeated_in_a_batch_returns_the_first_change() -> None:
    book = CreditBook.memory(policy="national-transport")
    with book.batch():
        case = proposed_listing(book, "watch")
        first = book.fire(case, "notify", on=D(2026, 5, 6), actor=OFFICER, idempotency_key="n-1")
        again = book.fire(case, "notify", on=D(2026, 5, 6), actor=OFFICER, idempotency_key="n-1")
        assert again == first and again.version == 2
    assert [e.event for e in book.events()] == ["propose", "notify"]
    retried = book.fire(case, "notify", on=D(2026, 5, 6), actor=OFFICER, idempotency_key="n-1")
    assert (retried.state, retried.version) == ("notified", 2)  # and from the store after
    assert book.head()[0] == 2


def test_guards_inside_a_batch_see_its_earlier_changes() -> None:
    """A repair revoked for false materials bars the next repair of its record in the same
    batch too."""
    book = CreditBook.memory(policy="national-transport")
    record = entered_record(book, D(2027, 1, 4), D(2027, 1, 4))
    repair = repair_application(book, record, D(2027, 5, 21))
    book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER)
    book.fire(repair, "approve", on=D(2027, 5, 21), actor=OFFICIAL)
    second = repair_application(book, record, D(2027, 5, 24))
    with book.batch():
        book.fire(repair, "revoke", on=D(2027, 6, 1), actor=OFFICIAL, summary="材料造假")
        with pytest.raises(TransitionRefused, match="repair is barred until 2030-06-01"):
            book.fire(second, "accept", on=D(2027, 6, 1), actor=OFFICER)
    assert book.get(second).state == "applied"


class Asked(MemoryStore):
    """A memory store that counts what the book asks it."""

    def __init__(self) -> None:
        super().__init__()
        self.heads = 0
        self.asked: list[str] = []

    def head(self) -> tuple[int, str]:
        self.heads += 1
        return super().head()

    def case(self, case_id: str) -> CaseRow | None:
        self.asked.append(case_id)
        return super().case(case_id)


def test_a_batch_reads_the_head_once_and_never_the_records_its_new_cases_open() -> None:
    store = Asked()
    book = CreditBook(store, policy="national-transport")
    with book.batch():
        listings = [published_listing(book, "watch") for _ in range(3)]
    assert store.heads == 2  # once for the new case ids (not once each), once to append
    assert not any(case_id.endswith(".record") for case_id in store.asked)
    assert [book.get(f"{listing}.record").state for listing in listings] == ["published"] * 3
    assert book.verify(deep=True).ok
    store.heads, store.asked = 0, []
    with book.batch():  # the listings are stored: their records are looked up
        for listing in listings:
            book.fire(listing, "revoke", on=D(2026, 7, 1), actor=OFFICIAL, summary="s")
    assert [book.get(f"{listing}.record").state for listing in listings] == ["ended"] * 3
    assert book.verify(deep=True).ok
