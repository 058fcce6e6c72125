"""A status reads only the cases that bear on it, and equals the status of all the cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from _people import ME, OFFICER, OFFICIAL, OTHER, REVIEWER, SUBJECT, D, published_listing
from creditflow.book import ClosedRows, CreditBook, EventStore, MemoryStore, open_store
from creditflow.book.status import BEARING_MACHINES, BEARING_STATES, derive_status
from creditflow.calendar import Period, WorkdayCalendar
from creditflow.core import Subject
from creditflow.errors import InvalidIdentifier


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


def _repair(book: CreditBook, target: str, on: dt.date) -> str:
    promise = book.open_case("commitment.repair", SUBJECT, on=on, actor=ME,
                             domain="road_transport", summary="s")  # fmt: skip
    repair = book.open_case("repair", SUBJECT, on=on, actor=ME, target=target,
                            materials=["correction_proof", "commitment_letter"],
                            obligations_fulfilled=True,
                            commitment_case=promise.case_id)  # fmt: skip
    return repair.case_id


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    """An empty store of each kind, for a test that also reads it directly."""
    if request.param == "postgres":
        opened: EventStore = open_store(request.getfixturevalue("postgres_url"))
    elif request.param == "memory":
        opened = MemoryStore()
    else:
        opened = open_store(tmp_path / "b.sqlite")
    try:
        yield opened
    finally:
        opened.close()


def _add(day: dt.date, period: Period) -> dt.date:
    """``day`` plus ``period`` on the book's default calendar, as the book counts it."""
    return WorkdayCalendar.china().add_period(day, period, provisional=True).date


def test_the_status_equals_the_status_of_every_case(store: EventStore) -> None:
    book = CreditBook(store, policy="national-transport")
    for end in ("fulfil", "withdraw", None, "breach"):
        _commitment(book, D(2026, 5, 6), end)
    listing = published_listing(book, "watch")  # listing-9, decided 2026-05-20
    objection = book.open_case("objection", SUBJECT, on=D(2026, 6, 2), actor=ME,
                               target=listing, summary="s").case_id  # fmt: skip
    book.fire(objection, "forward", on=D(2026, 6, 3), actor=OFFICER)
    book.fire(objection, "dismiss", on=D(2026, 6, 5), actor=REVIEWER, summary="s")
    rejected = _repair(book, listing, D(2026, 8, 3))
    book.fire(rejected, "reject", on=D(2026, 8, 5), actor=OFFICER, summary="s")
    revoked = _repair(book, listing, D(2026, 8, 21))
    book.fire(revoked, "accept", on=D(2026, 8, 21), actor=OFFICER)
    book.fire(revoked, "approve", on=D(2026, 8, 21), actor=OFFICIAL)
    book.fire(revoked, "revoke", on=D(2026, 9, 10), actor=OFFICIAL, summary="材料造假")
    days = (5, 6), (5, 21), (6, 4), (6, 5), (8, 4), (8, 5), (8, 21), (9, 1), (9, 10)
    for on in [D(2026, month, day) for month, day in days] + [D(2027, 6, 1)]:
        everything = list(book.cases(subject_id=SUBJECT))
        policy = book.policy_on(on)
        assert book.status(SUBJECT, on=on) == derive_status(policy, SUBJECT, everything, on, _add)
        full, narrow = book.status(SUBJECT, on=on), book.status(SUBJECT, on=on, open_cases=False)
        assert narrow == attrs.evolve(full, open_cases=narrow.open_cases)
        assert narrow.open_cases == tuple(
            c for c in full.open_cases if c.machine in BEARING_MACHINES
        )
    open_or = ClosedRows(D(2026, 8, 4), BEARING_MACHINES, BEARING_STATES)
    bearing = {r.case_id for r in store.cases(subject_id=SUBJECT, open_or=open_or)}
    # not the fulfilled commitment-1 nor the withdrawn commitment-3, nor the objection
    # dismissed by then; the repair rejected after that date, and the revoked one, do
    assert bearing == {"commitment-5", "commitment-6", "commitment-6.record", listing,
                       f"{listing}.record", "commitment-17", rejected, "commitment-20", revoked,
                       f"{revoked}.fraud"}  # fmt: skip


def test_open_machines_narrows_the_open_rows_kept(store: EventStore) -> None:
    """``ClosedRows.open_machines``: the open rows of other machines are left out (a check
    reads the status so, whatever the number of the subject's open commitments)."""
    book = CreditBook(store, policy="national-transport")
    for _ in range(3):
        _commitment(book, D(2026, 5, 6), None)
    breached = _commitment(book, D(2026, 5, 6), "breach")
    listing = published_listing(book, "watch")
    narrow = ClosedRows(D(2026, 8, 4), BEARING_MACHINES, BEARING_STATES, BEARING_MACHINES)
    found = {r.case_id for r in store.cases(subject_id=SUBJECT, open_or=narrow)}
    assert found == {breached, f"{breached}.record", listing, f"{listing}.record"}
    assert {r.case_id for r in store.cases(open_or=narrow)} == found
    full = book.status(SUBJECT, on=D(2026, 9, 1))
    narrow_status = book.status(SUBJECT, on=D(2026, 9, 1), open_cases=False)
    assert sum(c.machine == "commitment" for c in full.open_cases) == 3
    assert narrow_status.open_cases == tuple(
        c for c in full.open_cases if c.machine in BEARING_MACHINES
    )
    assert narrow_status == attrs.evolve(full, open_cases=narrow_status.open_cases)


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


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("91350100M000100Y44", "unified social credit code"),  # the wrong check character
        ("110105194912310021", "resident ID"),  # a mistyped resident ID
    ],
)
def test_a_status_or_knows_of_a_bad_subject_id_is_refused(
    book: CreditBook, text: str, kind: str
) -> None:
    """As ``open_case`` and ``check`` refuse it: no clean status for an id that is none."""
    published_listing(book)
    with pytest.raises(InvalidIdentifier) as info:
        book.status(text, on=D(2026, 6, 1))
    assert info.value.kind == kind
    with pytest.raises(InvalidIdentifier):
        book.knows(text)
    with pytest.raises(InvalidIdentifier):
        book.cases(subject_id=text)  # a filter by subject is checked alike (it matched nothing)


def test_a_status_of_a_vehicle_is_asked_with_its_subject(book: CreditBook) -> None:
    """Only a USCC or a resident ID is taken as text; other subjects are passed whole."""
    lorry = Subject.vehicle("粤B12345", "货车")
    book.open_case("record.general", lorry, on=D(2026, 6, 1), actor=OFFICER,
                   domain="road_transport", record_kind="penalty",
                   decided_on=D(2026, 6, 1), summary="罚款")  # fmt: skip
    assert len(book.status(lorry, on=D(2026, 6, 1)).records) == 1
    assert book.knows(lorry)
    assert [c.subject_id for c in book.cases(subject_id=lorry)] == ["粤B12345"]
