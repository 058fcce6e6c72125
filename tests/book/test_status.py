"""A subject's status on a date: flags, repair eligibility and open cases, as of that date."""

from __future__ import annotations

import datetime as dt

import pytest

from _people import (
    ME,
    OFFICER,
    OFFICIAL,
    REVIEWER,
    SUBJECT,
    D,
    entered_record,
    published_listing,
    repair_application,
)
from creditflow.book import CreditBook


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


# ---------------------------------------------------------------- repair eligibility


def _record(book: CreditBook, severity: str, decided_on: dt.date) -> str:
    return book.open_case(f"record.{severity}", SUBJECT, on=decided_on, actor=OFFICER,
                          domain="road_transport", record_kind="penalty",
                          decided_on=decided_on, summary="罚款").case_id  # fmt: skip


def _repaired(book: CreditBook, target: str, on: dt.date) -> str:
    """A repair of ``target`` applied, accepted and approved on ``on``."""
    promise = book.open_case("commitment.repair", SUBJECT, on=on, actor=ME,
                             domain="road_transport", summary="信用修复承诺")  # fmt: skip
    materials = ["correction_proof", "commitment_letter"]
    repair = book.open_case("repair", SUBJECT, on=on, actor=ME, target=target,
                            materials=materials, obligations_fulfilled=True,
                            commitment_case=promise.case_id)  # fmt: skip
    book.fire(repair.case_id, "accept", on=on, actor=OFFICER)
    book.fire(repair.case_id, "approve", on=on, actor=OFFICIAL)
    return repair.case_id


ALSO = "also needs: obligations fulfilled, a repair commitment, the materials"


def _repair(book: CreditBook, on: dt.date) -> dict[str, tuple[bool, tuple[str, ...]]]:
    return {e.target: (e.eligible, e.reasons) for e in book.status(SUBJECT, on=on).repair}


def test_a_record_is_repairable_the_day_after_its_minimum_period(book: CreditBook) -> None:
    """General: at least 3 months from the decision of 2026-05-30, so until 2026-08-30."""
    record = _record(book, "general", D(2026, 5, 30))
    status = book.status(SUBJECT, on=D(2026, 8, 30))
    assert status.records[0].repairable_from == D(2026, 8, 31)
    eligible, reasons = _repair(book, D(2026, 8, 30))[record]
    assert not eligible
    assert reasons == ("the minimum publication period runs until 2026-08-30",)
    assert _repair(book, D(2026, 8, 31))[record][0]


def test_a_published_listing_is_repairable_after_its_minimum_listing_period(
    book: CreditBook,
) -> None:
    """Serious, decided 2026-05-20: early removal after 1 year, from 2027-05-21; a red listing
    records no dishonesty and has nothing to repair."""
    listing = published_listing(book)
    published_listing(book, "red")
    before = _repair(book, D(2027, 5, 20))
    assert set(before) == {listing}  # its record is repaired through it
    assert before[listing] == (False, ("the minimum listing period runs until 2027-05-20",))
    assert _repair(book, D(2027, 5, 21))[listing][0]


def test_a_fraud_ban_bars_the_repair_of_the_original_information_only(
    book: CreditBook,
) -> None:
    """A repair revoked for false materials on 2027-06-01 bars repair of what it repaired (the
    listing, with its record) until 2030-06-01 (Order 36: "no repair of the original
    information"); the subject's other records are repairable as usual."""
    listing = published_listing(book)
    repair = _repaired(book, listing, D(2027, 5, 21))
    book.fire(repair, "revoke", on=D(2027, 6, 1), actor=OFFICIAL, summary="材料造假")
    later = _record(book, "serious", D(2029, 1, 1))  # repairable from 2030-01-02
    barred = f"repair is barred until 2030-06-01 after false materials (repair {repair})"
    during = _repair(book, D(2027, 6, 2))
    # restored, the serious listing runs its minimum again (restarts_on_restore)
    assert during[listing] == (False, ("the minimum listing period runs until 2028-06-01", barred))
    assert _repair(book, D(2030, 1, 2))[later] == (True, (ALSO,))
    assert _repair(book, D(2030, 6, 1))[listing] == (False, (barred,))  # its last day listed
    assert _repair(book, D(2027, 5, 31)) == {}  # before the revocation: nothing in publication


def test_the_record_of_false_materials_is_never_repairable(book: CreditBook) -> None:
    listing = published_listing(book)
    repair = _repaired(book, listing, D(2027, 5, 21))
    book.fire(repair, "revoke", on=D(2027, 6, 1), actor=OFFICIAL, summary="材料造假")
    fraud = f"{repair}.fraud"
    never = (
        "the record of false materials or a false commitment in a repair is published for its "
        "whole window, until 2030-06-01",
    )
    assert _repair(book, D(2027, 6, 2))[fraud] == (False, never)
    assert _repair(book, D(2029, 6, 2))[fraud] == (False, never)  # its minimum is long over


def test_each_fraud_ban_bars_its_own_target(book: CreditBook) -> None:
    first, second = published_listing(book), published_listing(book, "watch")
    repairs = [_repaired(book, listing, D(2027, 5, 21)) for listing in (first, second)]
    book.fire(repairs[0], "revoke", on=D(2027, 6, 1), actor=OFFICIAL, summary="材料造假")
    book.fire(repairs[1], "revoke", on=D(2028, 6, 1), actor=OFFICIAL, summary="材料造假")
    status = _repair(book, D(2028, 6, 2))
    assert (
        f"repair is barred until 2030-06-01 after false materials (repair {repairs[0]})"
        in (status[first][1])
    )
    assert status[second][1] == (
        "the minimum listing period runs until 2028-09-01",  # restarted by the restore
        f"repair is barred until 2031-06-01 after false materials (repair {repairs[1]})",
    )


# ---------------------------------------------------------------- open cases


def _open(book: CreditBook, on: dt.date) -> list[str]:
    return [c.case_id for c in book.status(SUBJECT, on=on).open_cases]


def test_open_cases_on_a_past_date_are_those_open_that_day(book: CreditBook) -> None:
    dropped = book.open_case("listing.serious", SUBJECT, on=D(2026, 5, 6), actor=OFFICER,
                             domain="road_transport", grounds="g", basis="b").case_id  # fmt: skip
    book.fire(dropped, "drop", on=D(2026, 5, 20), actor=REVIEWER)
    record = _record(book, "general", D(2026, 5, 30))
    promise = book.open_case("commitment.repair", SUBJECT, on=D(2026, 9, 1), actor=ME,
                             domain="road_transport", summary="信用修复承诺").case_id  # fmt: skip
    repair = book.open_case("repair", SUBJECT, on=D(2026, 9, 1), actor=ME, target=record,
                            materials=["correction_proof"], obligations_fulfilled=True,
                            commitment_case=promise).case_id  # fmt: skip
    book.fire(repair, "reject", on=D(2026, 9, 3), actor=OFFICER, summary="材料不全")
    assert _open(book, D(2026, 5, 6)) == [dropped]
    assert _open(book, D(2026, 5, 19)) == [dropped]
    assert _open(book, D(2026, 5, 20)) == []  # dropped that day
    assert _open(book, D(2026, 9, 2)) == [promise, record, repair]
    assert _open(book, D(2026, 9, 3)) == [promise, record]


def test_a_case_ended_and_restored_was_closed_in_between(book: CreditBook) -> None:
    """Removed by a repair on 2027-05-21, restored on 2027-06-01 (false materials)."""
    listing = published_listing(book)
    repair = _repaired(book, listing, D(2027, 5, 21))
    book.fire(repair, "revoke", on=D(2027, 6, 1), actor=OFFICIAL, summary="材料造假")
    assert listing in _open(book, D(2027, 5, 20))
    assert listing not in _open(book, D(2027, 5, 21))
    assert listing not in _open(book, D(2027, 5, 31))
    assert listing in _open(book, D(2027, 6, 1))


def test_repairable_from_follows_a_fraud_ban_and_is_none_for_the_fraud_record(
    book: CreditBook,
) -> None:
    """Found by review: it showed the end of the minimum period under a 3-year ban, and a date
    for the record of false materials, which is never repaired."""
    barred = entered_record(book, D(2026, 6, 1), D(2026, 6, 1), "general")
    other = entered_record(book, D(2026, 6, 1), D(2026, 6, 1), "general")
    repair = repair_application(book, barred, D(2026, 9, 7))
    book.fire(repair, "accept", on=D(2026, 9, 7), actor=OFFICER)
    book.fire(repair, "approve", on=D(2026, 9, 8), actor=OFFICIAL)
    book.fire(repair, "revoke", on=D(2026, 9, 15), actor=OFFICIAL, summary="材料造假")
    status = book.status(SUBJECT, on=D(2026, 10, 1))
    by_id = {r.case_id: r for r in status.records}
    ban = next(e for e in status.repair if e.target == barred)
    assert not ban.eligible
    until = D.fromisoformat(ban.reasons[-1].split("until ")[1][:10])
    assert by_id[barred].repairable_from == until + dt.timedelta(days=1)
    assert by_id[f"{repair}.fraud"].repairable_from is None
    assert by_id[other].repairable_from == D(2026, 9, 2)  # its minimum period only
