"""A small book for the docs tests: a firm and a person listed, a commitment, a repair."""

from __future__ import annotations

import datetime as dt

import _people
from _people import OFFICER, OFFICIAL  # noqa: F401  (re-exported for the docs tests)
from creditflow.book.book import CreditBook
from creditflow.core.identifiers import resident_id_check_character
from creditflow.workflows import Actor

D = dt.date
FIRM = "91350100M000100Y43"
PERSON = "11010519491231002" + resident_id_check_character("11010519491231002")
PERSON_MASKED = "110105********002" + PERSON[-1]


def published_listing(book: CreditBook, subject: str, kind: str = "serious") -> str:
    """A listing of ``subject`` proposed, notified, decided and published."""
    return _people.published_listing(book, kind, subject=subject)


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
        approval_id="XK-2026-001",
    )
    return book
