"""The record :meth:`CreditBook.overdue <creditflow.book.CreditBook.overdue>` lists: a case
and one of its deadlines that is overdue (逾期)."""

from __future__ import annotations

from typing import NamedTuple

from creditflow.workflows.case import Case, DeadlineState

__all__ = ["Overdue"]


class Overdue(NamedTuple):
    """A ``case`` and its ``deadline`` overdue on the date asked.

    A named tuple, so ``for case, deadline in book.overdue(on=day)`` still reads it as the
    pair it used to be; ``item.case`` and ``item.deadline`` say what each part is.
    """

    case: Case
    deadline: DeadlineState
