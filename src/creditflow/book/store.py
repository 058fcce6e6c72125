"""The store interface the book talks to; SQLite, memory and PostgreSQL implement it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

import attrs

from creditflow.book.rows import CaseRow, ClosedRows, NewEvent, StoredEvent

__all__ = ["ChainReport", "EventStore"]


@attrs.frozen
class ChainReport:
    """The result of :meth:`EventStore.verify`: ``ok``, the events checked, the head hash, and
    the first problem when there is one: ``reason`` says what it is, ``broken_at`` the
    ``seq`` of a broken link or failed anchor, ``case_id`` the case whose projection
    disagrees with the chain. ``projections`` counts the projections checked, ``anchors``
    the anchors given."""

    ok: bool
    events: int
    head: str
    broken_at: int | None = None
    reason: str | None = None
    case_id: str | None = None
    projections: int = 0
    anchors: int = 0


class EventStore(Protocol):
    """An append-only, hash-chained event log with case projections.

    Every method is atomic. ``append`` writes events and the projections they produce in one
    transaction, or nothing: it raises :class:`~creditflow.errors.Conflict` when a case's
    stored version is not ``expected[case_id]`` (0 for a new case), and never overwrites.
    Implementations must be safe to use from several processes on one book (SQLite) or
    servers (PostgreSQL); a single instance need not be shared between threads.
    """

    def append(
        self,
        events: Sequence[NewEvent],
        cases: Sequence[CaseRow],
        *,
        expected: Mapping[str, int],
    ) -> list[StoredEvent]:
        """Append ``events`` (chained after the head, in order) and upsert ``cases``.

        ``expected`` maps every case touched to the version it must have now (0: must not
        exist). Callers look an idempotency key up first with :meth:`by_idempotency_key`; a
        key that is already stored (two writers racing with one key) raises
        :class:`~creditflow.errors.Conflict` too, and nothing is written.
        """
        ...

    def by_idempotency_key(self, key: str) -> StoredEvent | None:
        """The event appended with ``key``, if any."""
        ...

    def case(self, case_id: str) -> CaseRow | None:
        """The projection of one case."""
        ...

    def cases(
        self,
        *,
        subject_id: str | None = None,
        machine: str | None = None,
        open_only: bool = False,
        open_or: ClosedRows | None = None,
    ) -> Iterator[CaseRow]:
        """Case projections matching every filter given, in case id order.

        ``open_or`` keeps the open cases and only the closed ones it names (closed after a
        date, of some machines, in some states); the others are left out and never decoded.
        """
        ...

    def has_cases(self, subject_id: str) -> bool:
        """True if any case of the subject is stored (a cheap, index-only question)."""
        ...

    def events(self, *, case_id: str | None = None, after: int = 0) -> Iterator[StoredEvent]:
        """Events in ``seq`` order, those of one case if ``case_id`` is given, after ``after``."""
        ...

    def head(self) -> tuple[int, str]:
        """The last ``seq`` and its hash (``(0, GENESIS)`` for an empty book)."""
        ...

    def verify(self, *, anchors: Mapping[int, str] | None = None) -> ChainReport:
        """Recompute every hash and link, check ``anchors`` (``seq`` -> hash) and every
        projection against the digest its last event recorded, in one consistent read;
        report the first problem."""
        ...

    def earliest_on(self) -> dt.date | None:
        """The earliest business date of any event (None for an empty book), read cheaply."""
        ...

    def replace_cases(self, cases: Sequence[CaseRow]) -> None:
        """Replace every projection at once (a rebuild from the events), atomically."""
        ...

    def close(self) -> None:
        """Release the connection (idempotent)."""
        ...
