"""The book's log: the chain of events read, verified, anchored and replayed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import attrs

from creditflow._gc import gc_paused
from creditflow._validation import check_event_filters, ensure_bool
from creditflow.book._cases import row_of
from creditflow.book._repository import Repository
from creditflow.book._transitions import Transitions
from creditflow.book.anchors import Anchor, anchor_map
from creditflow.book.encoding import canonical_json
from creditflow.book.rows import CaseRow, StoredEvent
from creditflow.book.store import ChainReport
from creditflow.errors import BookCorrupt
from creditflow.workflows.case import Case

__all__ = ["Log"]


class Log:
    """``events``, ``head``, ``anchor``, ``earliest_on``, ``verify``, ``replay`` and
    ``rebuild`` (see :class:`~creditflow.CreditBook` for their contract)."""

    def __init__(self, repository: Repository, transitions: Transitions) -> None:
        self.repository = repository
        self.transitions = transitions

    def events(self, *, case_id: str | None = None, after: int = 0) -> Iterator[StoredEvent]:
        check_event_filters(case_id, after)
        return self.repository.store.events(case_id=case_id, after=after)

    def head(self) -> tuple[int, str]:
        return self.repository.store.head()

    def anchor(self) -> Anchor:
        return Anchor(*self.repository.store.head())

    def earliest_on(self) -> dt.date | None:
        return self.repository.store.earliest_on()

    def verify(
        self, *, anchors: Iterable[Anchor | str | tuple[int, str]] = (), deep: bool = False
    ) -> ChainReport:
        ensure_bool(deep, "deep")
        store = self.repository.store
        report = store.verify(anchors=anchor_map(anchors))
        if not deep or not report.ok:
            return report
        return _compare(report, self.replay(), store.cases())

    def replay(self) -> dict[str, Case]:
        cases: dict[str, Case] = {}
        replay = self.transitions.replay
        lookup, subject_cases = cases.get, self.repository.subject_cases(cases)
        with gc_paused():
            for stored in self.repository.store.events():
                try:
                    replay(stored, cases, lookup, subject_cases)
                except (KeyError, TypeError, AttributeError) as exc:
                    raise BookCorrupt(
                        f"it cannot be replayed ({type(exc).__name__}: {exc})", seq=stored.seq
                    ) from None
        return cases

    def rebuild(self) -> int:
        cases = self.replay()
        self.repository.recent.clear()
        self.repository.store.replace_cases([row_of(c) for c in cases.values()])
        return len(cases)


def _compare(
    report: ChainReport, replayed: dict[str, Case], rows: Iterable[CaseRow]
) -> ChainReport:
    """``report`` (of a whole chain), or the first case whose projection in ``rows`` is not
    what replaying its events gave (``replayed``), field by field."""
    for row in rows:
        case = replayed.pop(row.case_id, None)
        problem = (
            f"case {row.case_id!r} has a projection but replaying the events gives no such case"
            if case is None
            else _difference(row, row_of(case))
        )
        if problem is not None:
            return attrs.evolve(report, ok=False, reason=problem, case_id=row.case_id)
    if replayed:
        case_id = min(replayed)
        problem = f"replaying the events gives case {case_id!r}, which has no projection"
        return attrs.evolve(report, ok=False, reason=problem, case_id=case_id)
    return report


def _difference(stored: CaseRow, replayed: CaseRow) -> str | None:
    """What differs between a stored projection and the replayed one, if anything."""
    differences = [
        f"{name} is {getattr(stored, name)!r}, the events give {getattr(replayed, name)!r}"
        for name in ("machine", "kind", "subject_id", "state", "version", "closed", "last_on")
        if getattr(stored, name) != getattr(replayed, name)
    ]
    body, expected = canonical_json(dict(stored.body)), canonical_json(dict(replayed.body))
    if body != expected:
        keys = sorted(
            key
            for key in stored.body.keys() | replayed.body.keys()
            if canonical_json([stored.body.get(key)]) != canonical_json([replayed.body.get(key)])
        )
        differences.append(f"its body differs in {', '.join(keys)}")
    if not differences:
        return None
    return f"the projection of case {stored.case_id!r} is not its replay: " + "; ".join(differences)
