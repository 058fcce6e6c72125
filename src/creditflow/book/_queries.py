"""The book's queries: cases, a case's history, a subject's status, overdue deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from creditflow._validation import check_case_filters, ensure_bool, ensure_date
from creditflow.book._cases import case_of, entry, subject_id_of, with_history
from creditflow.book._repository import Repository
from creditflow.book._transitions import Transitions
from creditflow.book.overdue import Overdue
from creditflow.book.rows import ClosedRows
from creditflow.book.status import BEARING_MACHINES, BEARING_STATES, CreditStatus, derive_status
from creditflow.core.subjects import Subject
from creditflow.workflows.case import Case
from creditflow.workflows.definitions import MACHINES
from creditflow.workflows.machine import due_when_closed

__all__ = ["DUE_WHEN_CLOSED", "Queries", "bearing_on"]


class Queries:
    """``get``, ``cases``, ``knows``, ``status`` and ``overdue`` (see
    :class:`~creditflow.CreditBook` for their contract): reads of the projections."""

    def __init__(self, repository: Repository, transitions: Transitions) -> None:
        self.repository = repository
        self.transitions = transitions

    def get(self, case_id: str) -> Case:
        case = self.repository.case(case_id)
        history = tuple(entry(e) for e in self.repository.store.events(case_id=case_id))
        return with_history(case, history)

    def cases(
        self,
        *,
        subject_id: Subject | str | None = None,
        machine: str | None = None,
        open_only: bool = False,
    ) -> Iterator[Case]:
        if subject_id is not None:
            subject_id = subject_id_of(subject_id)
        check_case_filters(subject_id, machine, open_only)
        return self.repository.cases(subject_id, machine, open_only)

    def knows(self, subject_id: Subject | str) -> bool:
        subject_id = subject_id_of(subject_id)
        pending = self.repository.pending
        cases = pending.cases.values() if pending else ()
        return any(c.subject_id == subject_id for c in cases) or (
            self.repository.store.has_cases(subject_id)
        )

    def status(
        self, subject_id: Subject | str, *, on: dt.date, open_cases: bool = True
    ) -> CreditStatus:
        on = ensure_date(on, "on")
        subject_id = subject_id_of(subject_id)
        ensure_bool(open_cases, "open_cases")
        transitions = self.transitions
        policy = transitions.policy_on(on)
        bearing = bearing_on(on, open_cases=open_cases)
        rows = self.repository.store.cases(subject_id=subject_id, open_or=bearing)
        cases = [case_of(row) for row in rows]
        if not open_cases:  # a store may keep every open row (ClosedRows.open_machines)
            cases = [c for c in cases if c.machine in BEARING_MACHINES or _closed_by(c, on)]
        return derive_status(policy, subject_id, cases, on, transitions.add, transitions.policy_at)

    def overdue(self, *, on: dt.date) -> list[Overdue]:
        on = ensure_date(on, "on")
        found = []
        # a case closed by ``on`` met its due deadlines by then, unless its machine may close
        # with one unmet (DUE_WHEN_CLOSED): the others are never read, nor decoded
        for row in self.repository.store.cases(open_or=ClosedRows(on, DUE_WHEN_CLOSED)):
            case = case_of(row)
            found += [Overdue(case, d) for d in case.overdue(on)]
        return sorted(found, key=lambda item: (item.deadline.last_day, item.case.case_id))


DUE_WHEN_CLOSED = frozenset(name for name, m in MACHINES.items() if due_when_closed(m))
"""The machines whose closed cases may still hold a due deadline unmet
(:func:`~creditflow.workflows.machine.due_when_closed`): a record ended, or a licence revoked
or expired, before its 双公示 disclosure."""


def _closed_by(case: Case, on: dt.date) -> bool:
    return case.closed and case.last_on <= on


def bearing_on(on: dt.date, *, open_cases: bool = True) -> ClosedRows:
    """The closed cases that can still bear on a status on ``on``: closed after it, records,
    listings, breached commitments and revoked repairs; with every open case, or
    (``open_cases=False``) only the open records and listings."""
    opened = None if open_cases else BEARING_MACHINES
    return ClosedRows(on, BEARING_MACHINES, BEARING_STATES, opened)
