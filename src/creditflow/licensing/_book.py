"""What the licensing layer asks of a book: the first event's date, the engine."""

from __future__ import annotations

import datetime as dt
import functools

from creditflow.book.book import CreditBook
from creditflow.errors import DateBeforeBook
from creditflow.policy.model import Policy
from creditflow.rules.engine import Engine

__all__ = ["check_date", "engine_for"]


def check_date(book: CreditBook, on: dt.date) -> None:
    """Refuse a date before the book's earliest event: the book knows nothing of it then.

    An empty book refuses nothing: it holds no record of anyone, on any date."""
    first = book.earliest_on()
    if first is not None and on < first:
        raise DateBeforeBook(on, first)


@functools.lru_cache(maxsize=16)
def engine_for(policy: Policy) -> Engine:
    """One decision engine per policy version (building one posts the whole table)."""
    return Engine(policy)
