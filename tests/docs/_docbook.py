"""A small book for the docs tests: a firm and a person listed, a commitment, a repair."""

from __future__ import annotations

import datetime as dt

from creditflow.book.book import CreditBook
from creditflow.core.identifiers import resident_id_check_character
from creditflow.workflows import Actor

D = dt.date
FIRM = "91350100M000100Y43"
PERSON = "11010519491231002" + resident_id_check_character("11010519491231002")
PERSON_MASKED = "110105********002" + PERSON[-1]
OFFICER = Actor("officer-1", {"case_officer"})
OFFICIAL = Actor("official-1", {"approving_official"})
DECISION = {
    "measures": ["key_supervision"],
    "removal_conditions": "期满或修复",
    "remedies": "复议或诉讼",
}
PROPOSED_ON = D(2026, 5, 6)


def published_listing(book: CreditBook, subject: str, kind: str = "serious") -> str:
    """A listing proposed, notified, decided after the statement period, and published."""
    case = book.open_case(
        f"listing.{kind}",
        subject,
        on=PROPOSED_ON,
        actor=OFFICER,
        domain="road_transport",
        grounds="多次严重违法",
        basis="交政研发〔2018〕181号",
    )
    if kind != "red":
        book.fire(case.case_id, "notify", on=PROPOSED_ON, actor=OFFICER)
    decided = PROPOSED_ON + dt.timedelta(days=14)
    book.fire(case.case_id, "decide", on=decided, actor=OFFICIAL, **DECISION)
    book.fire(case.case_id, "publish", on=decided + dt.timedelta(days=1), actor=OFFICER)
    return case.case_id


def sample_book() -> CreditBook:
    """A memory book under the national pack with listings of a firm and of a person."""
    book = CreditBook.memory(policy="national-transport")
    published_listing(book, FIRM)
    published_listing(book, PERSON)
    book.open_case(
        "commitment.approval_substitute",
        FIRM,
        on=D(2026, 6, 1),
        actor=Actor(FIRM, {"subject"}),
        domain="road_transport",
        summary="承诺符合条件",
    )
    return book
