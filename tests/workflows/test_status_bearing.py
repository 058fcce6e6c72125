"""A status reads only the cases that bear on it, and equals the status of all the cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from _people import ME, OFFICER, OTHER, SUBJECT, D, published_listing
from creditflow.book.book import CreditBook
from creditflow.book.status import derive_status


@pytest.fixture(params=["memory", "sqlite"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CreditBook]:
    if request.param == "memory":
        opened = CreditBook.memory(policy="national-transport")
    else:
        opened = CreditBook.open(tmp_path / "book.sqlite", policy="national-transport")
    with opened:
        yield opened


def _commitment(book: CreditBook, on: dt.date, end: str | None) -> str:
    case = book.open_case("commitment.approval_substitute", SUBJECT, on=on, actor=ME,
                          domain="road_transport", summary="s", approval_id="x")  # fmt: skip
    if end == "fulfil":
        book.fire(case.case_id, "fulfil", on=on, actor=OFFICER)
    elif end == "breach":
        book.fire(case.case_id, "breach", on=on, actor=OFFICER, summary="s")
    elif end == "withdraw":
        book.fire(case.case_id, "withdraw", on=on, actor=ME)
    return case.case_id


def test_the_status_equals_the_status_of_every_case(book: CreditBook) -> None:
    for end in ("fulfil", "withdraw", None, "breach"):
        _commitment(book, D(2026, 5, 6), end)
    published_listing(book, "watch")
    for on in (D(2026, 5, 6), D(2026, 5, 21), D(2026, 9, 1), D(2027, 6, 1)):
        everything = list(book.cases(subject_id=SUBJECT))
        policy = book.policy_on(on)
        assert book.status(SUBJECT, on=on) == derive_status(
            policy, SUBJECT, everything, on, book._add
        )
    bearing = {r.case_id for r in book._store.cases(subject_id=SUBJECT, bearing_only=True)}
    # not the fulfilled commitment-1 nor the withdrawn commitment-3
    assert bearing == {"commitment-5", "commitment-6", "commitment-6.record", "listing-9",
                       "listing-9.record"}  # fmt: skip


def test_the_book_knows_a_subject_by_any_case(book: CreditBook) -> None:
    assert not book.knows(SUBJECT)
    _commitment(book, D(2026, 5, 6), "fulfil")
    assert book.knows(SUBJECT) and not book.knows(OTHER)
    with book.batch():
        book.open_case(
            "commitment.voluntary",
            OTHER,
            on=D(2026, 5, 6),
            actor=ME.__class__(OTHER, {"subject"}),
            domain="road_transport",
            summary="s",
        )
        assert book.knows(OTHER)
