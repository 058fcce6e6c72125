"""Moving a book between stores (SQLite, PostgreSQL, memory) event by event, hashes kept.

The destination adopts the source's events as they are (``seq``, ``recorded_at``,
``prev_hash``, ``projection``, ``hash``), each hash recomputed and each link checked as it is
written, a chunk per transaction, with the source's rows of the cases touched; then every
projection is replaced by the source's and the destination is verified. A copy that stops
(killed, a lost connection) leaves whole chunks: run it again and it goes on after the
destination's head, once it has checked that this head is the source's event of that ``seq``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import attrs

from creditflow._validation import ensure_int
from creditflow.book.rows import CaseRow, StoredEvent
from creditflow.book.store import ChainReport, EventStore
from creditflow.errors import InvalidInput

__all__ = ["AdoptingStore", "CopyReport", "adopting", "copy_book"]


class AdoptingStore(EventStore, Protocol):
    """A store that a book can be copied into: every creditflow store is one."""

    def adopt(self, events: Sequence[StoredEvent], cases: Sequence[CaseRow]) -> None:
        """Append events another book hashed, keeping their hashes, and upsert ``cases``."""
        ...


def adopting(store: EventStore) -> AdoptingStore:
    """``store`` as a store a book can be copied into; :class:`InvalidInput` if it is not one
    (it has no ``adopt``), and then it is closed."""
    if not callable(getattr(store, "adopt", None)):
        store.close()
        raise InvalidInput(
            f"a book cannot be copied into a {type(store).__name__}: it has no adopt"
        )
    return store  # type: ignore[return-value]  # checked just above


@attrs.frozen
class CopyReport:
    """What :func:`copy_book` did: ``resumed_after`` is the destination's head ``seq`` when it
    started (0 for an empty one), ``copied`` the events it added; the heads of both books at
    the end, and the destination's :class:`~creditflow.book.store.ChainReport`."""

    resumed_after: int
    copied: int
    source_head: tuple[int, str]
    destination_head: tuple[int, str]
    verified: ChainReport

    @property
    def ok(self) -> bool:
        """True if the destination verifies and its head is the source's."""
        return self.verified.ok and self.source_head == self.destination_head


def copy_book(
    source: EventStore,
    destination: AdoptingStore,
    *,
    chunk: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> CopyReport:
    """Copy every event of ``source`` missing from ``destination``, then the projections, and
    verify the destination. ``progress(copied_up_to_seq, source_head_seq)`` is called after
    each chunk of ``chunk`` events is committed.

    :class:`InvalidInput` if the destination holds another book (its head is not the
    source's event of that ``seq``) or if the source changed during the copy (run it again).
    """
    if ensure_int(chunk, "chunk") < 1:
        raise InvalidInput(f"chunk must be 1 or more, got {chunk}")
    start = destination.head()
    _check_same_book(source, start)
    target = source.head()
    pending: list[StoredEvent] = []
    copied = 0
    for event in source.events(after=start[0]):
        if event.seq > target[0]:
            break
        pending.append(event)
        if len(pending) == chunk:
            copied += _flush(source, destination, pending, target[0], progress)
    copied += _flush(source, destination, pending, target[0], progress)
    rows = list(source.cases())
    try:
        destination.replace_cases(rows)
    except InvalidInput as exc:
        raise InvalidInput(
            f"the source changed during the copy ({exc}): run the copy again to copy the rest"
        ) from exc
    return CopyReport(start[0], copied, source.head(), destination.head(), destination.verify())


def _check_same_book(source: EventStore, head: tuple[int, str]) -> None:
    if head[0] == 0:
        return
    found = next(source.events(after=head[0] - 1), None)
    if found is None or found.seq != head[0] or found.hash != head[1]:
        raise InvalidInput(
            f"the destination holds another book: its head {head[0]}:{head[1]} is not the "
            "source's event of that seq; copy into an empty database or file"
        )


def _flush(
    source: EventStore,
    destination: AdoptingStore,
    pending: list[StoredEvent],
    last: int,
    progress: Callable[[int, int], None] | None,
) -> int:
    """Adopt ``pending`` with the source's rows of its cases; the number adopted."""
    if not pending:
        return 0
    rows = [
        row for case_id in sorted({e.case_id for e in pending}) if (row := source.case(case_id))
    ]
    destination.adopt(pending, rows)
    count = len(pending)
    if progress is not None:
        progress(pending[-1].seq, last)
    pending.clear()
    return count
