"""A small world for the licensing tests: a book, actors, subjects and the steps they take."""

from __future__ import annotations

import datetime as dt

from creditflow.book.book import CreditBook
from creditflow.workflows import Actor

D = dt.date
SUBJECT = "91350100M000100Y43"
OTHER = "91110000600037341L"
FOUNDING = D(2026, 4, 1)  # the book's first event
OFFICER = Actor("officer-1", {"case_officer"})
OFFICIAL = Actor("official-1", {"approving_official"})
ME = Actor(SUBJECT, {"subject"})
ROAD = "road_transport"
DECISION = {"measures": ["key_supervision"], "removal_conditions": "期满或修复", "remedies": "复议"}


def new_book() -> CreditBook:
    """A memory book whose first event (a record of OTHER) is dated FOUNDING."""
    book = CreditBook.memory(policy="national-transport")
    record(book, OTHER, "minor", FOUNDING)
    return book


def commitment(book: CreditBook, on: dt.date, kind: str = "voluntary") -> str:
    """A commitment of SUBJECT: makes the subject known to the book."""
    case = book.open_case(
        f"commitment.{kind}", SUBJECT, on=on, actor=ME, domain=ROAD, summary="承诺"
    )
    return case.case_id


def record(book: CreditBook, subject: str, severity: str, decided: dt.date) -> str:
    """A credit record of ``severity`` decided (and entered) on ``decided``."""
    case = book.open_case(
        f"record.{severity}",
        subject,
        on=decided,
        actor=OFFICER,
        domain=ROAD,
        record_kind="penalty",
        decided_on=decided,
        summary="行政处罚",
    )
    return case.case_id


def listing(book: CreditBook, kind: str, proposed: dt.date) -> tuple[str, dt.date]:
    """A listing of SUBJECT proposed on ``proposed``; returns its id and publication day."""
    case = book.open_case(
        f"listing.{kind}", SUBJECT, on=proposed, actor=OFFICER, domain=ROAD, grounds="g", basis="b"
    )
    if kind != "red":
        book.fire(case.case_id, "notify", on=proposed, actor=OFFICER)
    decided = proposed + dt.timedelta(days=14)
    book.fire(case.case_id, "decide", on=decided, actor=OFFICIAL, **DECISION)
    published = decided + dt.timedelta(days=1)
    book.fire(case.case_id, "publish", on=published, actor=OFFICER)
    return case.case_id, published


def breach(book: CreditBook, on: dt.date) -> str:
    """A commit-and-approve commitment of SUBJECT breached on ``on``; returns the commitment."""
    case = book.open_case(
        "commitment.approval_substitute",
        SUBJECT,
        on=on,
        actor=ME,
        domain=ROAD,
        summary="承诺",
        approval_id="XK-0",
    )
    book.fire(case.case_id, "breach", on=on, actor=OFFICER, summary="承诺不实")
    return case.case_id


def approved_repair(book: CreditBook, target: str, applied: dt.date) -> dt.date:
    """Repair of ``target`` applied, accepted and approved; returns the approval day."""
    promise = commitment(book, applied, kind="repair")
    repair = book.open_case(
        "repair",
        SUBJECT,
        on=applied,
        actor=ME,
        target=target,
        materials=["correction_proof", "commitment_letter"],
        obligations_fulfilled=True,
        commitment_case=promise,
    )
    book.fire(repair.case_id, "accept", on=applied, actor=OFFICER)
    approved = applied + dt.timedelta(days=1)
    book.fire(repair.case_id, "approve", on=approved, actor=OFFICIAL)
    return approved
