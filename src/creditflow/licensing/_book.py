"""What the licensing layer asks of a book: the subject id, the first event's date, the engine."""

from __future__ import annotations

import datetime as dt
import functools

from creditflow._validation import ensure_str
from creditflow.book.book import CreditBook
from creditflow.core.identifiers import ResidentId, Uscc
from creditflow.errors import DateBeforeBook, InvalidIdentifier
from creditflow.policy.model import Policy
from creditflow.rules.engine import Engine

__all__ = ["check_date", "engine_for", "subject_key"]


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
