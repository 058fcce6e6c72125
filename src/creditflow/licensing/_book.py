"""What the licensing layer asks of a book: the first event's date, the engine."""

from __future__ import annotations

import datetime as dt
import functools
import weakref

from creditflow.book.book import CreditBook
from creditflow.errors import DateBeforeBook
from creditflow.policy.model import Policy
from creditflow.rules.engine import Engine

__all__ = ["check_date", "engine_for"]

# Per book: (events seen, earliest business date among them); extended as events are added.
_FIRST: weakref.WeakKeyDictionary[CreditBook, tuple[int, dt.date | None]] = (
    weakref.WeakKeyDictionary()
)


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
