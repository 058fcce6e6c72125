"""A status reads only the cases that bear on it, and equals the status of all the cases."""

from __future__ import annotations

import datetime as dt

from _people import ME, OFFICER, OFFICIAL, OTHER, REVIEWER, SUBJECT, D, published_listing
from creditflow.book.book import CreditBook
from creditflow.book.status import derive_status


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


def test_the_status_equals_the_status_of_every_case(book: CreditBook) -> None:
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
        assert book.status(SUBJECT, on=on) == derive_status(
            policy, SUBJECT, everything, on, book._add
        )
    bearing = {r.case_id for r in book._store.cases(subject_id=SUBJECT, bearing_on=D(2026, 8, 4))}
    # not the fulfilled commitment-1 nor the withdrawn commitment-3, nor the objection
    # dismissed by then; the repair rejected after that date, and the revoked one, do
    assert bearing == {"commitment-5", "commitment-6", "commitment-6.record", listing,
                       f"{listing}.record", "commitment-17", rejected, "commitment-20", revoked,
                       f"{revoked}.fraud"}  # fmt: skip


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
