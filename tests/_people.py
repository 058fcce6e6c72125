"""Actors, subjects and a published listing shared by the workflow and docs tests."""

from __future__ import annotations

import datetime as dt

from creditflow.book.book import CreditBook
from creditflow.workflows import Actor

SUBJECT = "91350100M000100Y43"
OTHER = "91110000600037341L"
OFFICER = Actor("officer-1", {"case_officer"})
OFFICER_2 = Actor("officer-2", {"case_officer"})
REVIEWER = Actor("reviewer-1", {"reviewer"})
OFFICIAL = Actor("official-1", {"approving_official"})
OFFICER_AND_OFFICIAL = Actor("officer-9", {"case_officer", "approving_official"})
ME = Actor(SUBJECT, {"subject"})
D = dt.date

DECISION = {
    "measures": ["key_supervision"],
    "removal_conditions": "期满或修复",
    "remedies": "复议或诉讼",
}


PROPOSED_ON = D(2026, 5, 6)


def published_listing(
    book: CreditBook, kind: str = "serious", on: dt.date = PROPOSED_ON, subject: str = SUBJECT
) -> str:
    """A listing proposed, notified, decided after the statement period, and published."""
    case = book.open_case(
        f"listing.{kind}",
        subject,
        on=on,
        actor=OFFICER,
        domain="road_transport",
        grounds="多次严重违法",
        basis="交政研发〔2018〕181号",
    )
    if kind != "red":
        book.fire(case.case_id, "notify", on=on, actor=OFFICER)
    decided = on + dt.timedelta(days=14)
    book.fire(case.case_id, "decide", on=decided, actor=OFFICIAL, **DECISION)
    book.fire(case.case_id, "publish", on=decided + dt.timedelta(days=1), actor=OFFICER)
    return case.case_id


def repair_application(book: CreditBook, target: str, on: dt.date) -> str:
    """The subject applies on ``on`` to repair ``target``, with a repair commitment, every
    material and its obligations fulfilled; the repair's case id."""
    promise = book.open_case(
        "commitment.repair",
        SUBJECT,
        on=on,
        actor=ME,
        domain="road_transport",
        summary="信用修复承诺",
    )
    repair = book.open_case(
        "repair",
        SUBJECT,
        on=on,
        actor=ME,
        target=target,
        materials=["correction_proof", "commitment_letter"],
        obligations_fulfilled=True,
        commitment_case=promise.case_id,
    )
    return repair.case_id


def entered_record(
    book: CreditBook, on: dt.date, decided_on: dt.date, severity: str = "general", **data: object
) -> str:
    """A penalty of ``severity`` decided on ``decided_on`` and entered on ``on`` (``data``
    replaces or adds fields); its case id."""
    fields: dict[str, object] = {
        "domain": "road_transport", "record_kind": "penalty", "decided_on": decided_on,
        "summary": "罚款",
    }  # fmt: skip
    return book.open_case(
        f"record.{severity}", SUBJECT, on=on, actor=OFFICER, **(fields | data)
    ).case_id


def proposed_listing(book: CreditBook, kind: str = "serious", on: dt.date = PROPOSED_ON) -> str:
    """A listing of ``kind`` proposed on ``on``, not yet notified; its case id."""
    return book.open_case(
        f"listing.{kind}",
        SUBJECT,
        on=on,
        actor=OFFICER,
        domain="road_transport",
        grounds="g",
        basis="b",
    ).case_id
