"""Events another book already hashed, checked before a store adopts them (``book copy``).

A copy keeps every hash: the destination does not re-seal the events, it stores the source's
``seq``, ``prev_hash``, ``recorded_at``, ``projection`` and ``hash`` as they are, after this
module has recomputed each hash with the one encoder and checked that the events continue the
destination's chain. A wrong hash or a broken link is :class:`~creditflow.errors.BookCorrupt`
(the source is damaged) or :class:`~creditflow.errors.InvalidInput` (the events do not follow
the destination's head), and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence

from creditflow.book._records import CaseRecord, EventRecord, encode_case, to_json
from creditflow.book.encoding import check_json, event_digest
from creditflow.book.rows import CaseRow, StoredEvent
from creditflow.errors import BookCorrupt, InvalidInput

__all__ = ["adopted_cases", "adopted_records"]


def adopted_records(head: tuple[int, str], events: Sequence[StoredEvent]) -> list[EventRecord]:
    """The records of ``events``, which must continue the chain whose head is ``head``."""
    seq, prev_hash = head
    records: list[EventRecord] = []
    for event in events:
        if event.seq != seq + 1 or event.prev_hash != prev_hash:
            raise InvalidInput(
                f"event {event.seq} (prev_hash {event.prev_hash[:12]}...) does not follow the "
                f"head {seq}:{prev_hash[:12]}... of the book it is copied into"
            )
        fields = (
            event.seq, event.case_id, event.version, event.event, event.on.isoformat(),
            event.actor, check_json(dict(event.data), f"event {event.seq}.data"),
            event.idempotency_key, event.recorded_at.isoformat(), event.prev_hash,
            event.projection,
        )  # fmt: skip
        if event_digest(fields) != event.hash:
            raise BookCorrupt("its hash does not match its fields", seq=event.seq)
        records.append((*fields, event.hash))
        seq, prev_hash = event.seq, event.hash
    return records


def adopted_cases(cases: Sequence[CaseRow]) -> list[CaseRecord]:
    """The records of case rows copied with their events (checked again by ``verify``)."""
    return [encode_case(row, to_json(row.body, f"case {row.case_id}.body")) for row in cases]
