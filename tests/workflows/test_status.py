"""A subject's status on a date: flags, repair eligibility and open cases, as of that date."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from _people import ME, OFFICER, SUBJECT, D
from creditflow.book.book import CreditBook


@pytest.fixture(params=["memory", "sqlite"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CreditBook]:
    if request.param == "memory":
        opened = CreditBook.memory(policy="national-transport")
    else:
        opened = CreditBook.open(tmp_path / "book.sqlite", policy="national-transport")
    with opened:
        yield opened


def _breach(book: CreditBook, kind: str) -> str:
    case = book.open_case(f"commitment.{kind}", SUBJECT, on=D(2026, 6, 1), actor=ME,
                          domain="road_transport", summary="s", approval_id="XK-1")  # fmt: skip
    book.fire(case.case_id, "breach", on=D(2026, 6, 10), actor=OFFICER, summary="承诺不实")
    return case.case_id


# ---------------------------------------------------------------- flags


def test_a_breach_is_flagged_while_its_record_is_in_publication_only(book: CreditBook) -> None:
    """A general record decided 2026-06-10 is published for at most 1 year: until 2027-06-10,
    whether or not ``run_due`` ended it."""
    _breach(book, "approval_substitute")
    assert book.status(SUBJECT, on=D(2026, 6, 10)).flags == {"commitment_breached"}
    assert book.status(SUBJECT, on=D(2027, 6, 10)).flags == {"commitment_breached"}
    assert book.status(SUBJECT, on=D(2027, 6, 11)).flags == frozenset()
    assert book.status(SUBJECT, on=D(2028, 1, 1)).flags == frozenset()


@pytest.mark.parametrize("kind", ["self_discipline", "repair"])
def test_a_breach_that_keeps_commit_and_approve_is_not_flagged(book: CreditBook, kind: str) -> None:
    """The breach consequences of these kinds do not withdraw commit-and-approve, whether
    their record is minor and unpublished (self-discipline) or serious and published (repair)."""
    _breach(book, kind)
    status = book.status(SUBJECT, on=D(2026, 6, 11))
    assert len(status.records) == (kind == "repair")
    assert status.flags == frozenset()
