"""The book's repository: cases as they stand, read from the store, a recent-case cache and
the open unit of work, and units of work saved to the store."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from creditflow._validation import ensure_str
from creditflow.book._cases import case_of
from creditflow.book._transitions import CaseLookup, SubjectCases
from creditflow.book.store import EventStore
from creditflow.errors import Conflict, UnknownCase
from creditflow.workflows.case import Case

if TYPE_CHECKING:  # the unit of work reads through the repository: a cycle for types only
    from creditflow.book._unit import UnitOfWork

__all__ = ["RECENT_CASES", "Repository"]

RECENT_CASES = 10_000
"""Case versions kept decoded between calls (see :attr:`Repository.recent`)."""


class Repository:
    """Cases of one store, as they stand.

    ``pending`` is the open unit of work (a ``batch()`` block), whose cases come first.
    ``recent`` keeps the last version of recently written or read cases, so that a change need
    not decode its case from the store. Another writer may have moved one since: the append
    then conflicts on the version, and the command forgets the case and tries once more.
    """

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.pending: UnitOfWork | None = None
        self.recent: OrderedDict[str, Case] = OrderedDict()  # the oldest first

    def case(self, case_id: object, *, recent: bool = False) -> Case:
        """A case as it stands (in the pending unit of work, or the store). ``recent`` allows
        the copy kept in memory, which another writer may have moved since: only for a change,
        whose append checks the version."""
        ensure_str(case_id, "case_id")
        if self.pending is not None and str(case_id) in self.pending.cases:
            return self.pending.cases[str(case_id)]
        case = self.recent.get(str(case_id)) if recent else None
        if case is None:
            row = self.store.case(str(case_id))
            if row is None:
                raise UnknownCase(case_id)
            case = case_of(row)
            self.remember((case,))
        return case

    def stored(self, case_id: str) -> Case | None:
        """The case as the store holds it (None: no such case)."""
        row = self.store.case(case_id)
        return case_of(row) if row else None

    def cases(
        self, subject_id: str | None = None, machine: str | None = None, open_only: bool = False
    ) -> Iterator[Case]:
        """Stored cases matching every filter given (arguments already checked)."""
        for row in self.store.cases(subject_id=subject_id, machine=machine, open_only=open_only):
            yield case_of(row)

    def lookup(self, pending: Mapping[str, Case]) -> CaseLookup:
        """Cases by id: those in ``pending`` first, then the store's."""

        def lookup(case_id: str) -> Case | None:
            if case_id in pending:
                return pending[case_id]
            return self.stored(case_id)

        return lookup

    def subject_cases(self, pending: Mapping[str, Case]) -> SubjectCases:
        """A subject's cases: the store's, updated by those in ``pending``."""

        def subject_cases(subject_id: str) -> list[Case]:
            cases = {case.case_id: case for case in self.cases(subject_id)}
            cases.update((k, c) for k, c in pending.items() if c.subject_id == subject_id)
            return list(cases.values())

        return subject_cases

    def save(self, unit: UnitOfWork) -> None:
        """Append a unit of work's events and rows; keep its cases as the recent versions."""
        trusted = getattr(self.store, "append_trusted", None)  # optional: ours have it
        append = self.store.append if trusted is None else trusted
        try:
            append(unit.events, unit.rows(), expected=unit.expected)
        except Conflict:
            for case_id in unit.expected:
                self.recent.pop(case_id, None)
            raise
        self.remember(unit.cases.values())

    def remember(self, cases: Iterable[Case]) -> None:
        """Keep ``cases`` as the most recent, forgetting the oldest beyond
        :data:`RECENT_CASES` (in constant time: a plain dict's first key is found by
        walking past the slots of the keys deleted before it)."""
        recent = self.recent
        for case in cases:
            recent[case.case_id] = case
            recent.move_to_end(case.case_id)
        while len(recent) > RECENT_CASES:
            recent.popitem(last=False)
