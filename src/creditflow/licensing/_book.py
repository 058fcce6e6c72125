"""What the licensing layer asks of a book: the subject id, the first event's date, the engine."""

from __future__ import annotations

import datetime as dt
import functools
import weakref

from creditflow._validation import ensure_str
from creditflow.book.book import CreditBook
from creditflow.core.identifiers import ResidentId, Uscc
from creditflow.errors import DateBeforeBook, InvalidIdentifier
from creditflow.policy.model import Policy
from creditflow.rules.engine import Engine

__all__ = ["check_date", "engine_for", "subject_key"]

# Per book: (events seen, earliest business date among them); extended as events are added.
_FIRST: weakref.WeakKeyDictionary[CreditBook, tuple[int, dt.date | None]] = (
    weakref.WeakKeyDictionary()
)


def subject_key(subject_id: object) -> str:
    """The canonical id of a subject: a USCC or a resident ID (bad input is refused)."""
    text = ensure_str(subject_id, "subject_id")
    try:
        return str(Uscc.parse(text))
    except InvalidIdentifier as as_uscc:
        try:
            return str(ResidentId.parse(text))
        except InvalidIdentifier:
            raise as_uscc from None


def first_event_on(book: CreditBook) -> dt.date | None:
    """The earliest business date of the book's events (None for an empty book)."""
    seen, first = _FIRST.get(book, (0, None))
    count = book.head()[0]
    if count > seen:
        dates = [event.on for event in book.events(after=seen)]
        first = min([*dates, first] if first else dates)
        _FIRST[book] = (count, first)
    return first


def check_date(book: CreditBook, on: dt.date) -> None:
    """Refuse a date before the book's first event: the book knows nothing of it."""
    first = first_event_on(book)
    if first is None or on < first:
        raise DateBeforeBook(on, first)


@functools.lru_cache(maxsize=16)
def engine_for(policy: Policy) -> Engine:
    """One decision engine per policy version (building one posts the whole table)."""
    return Engine(policy)
