"""What a store keeps: events (the truth) and case rows (the projection), as plain values.

A store knows nothing of workflows: it appends events with their projections atomically,
chains the events by hash, remembers idempotency keys and enforces case versions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

import attrs

from creditflow.core.privacy import masked_repr

__all__ = ["GENESIS", "CaseRow", "NewEvent", "StoredEvent", "canonical_json", "event_hash"]

GENESIS = "0" * 64
"""The ``prev_hash`` of the first event of a book."""


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the byte-exact form that hashes cover."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@masked_repr
@attrs.frozen
class NewEvent:
    """An event to append. ``version`` is the case version this event creates (1 for the first).

    ``on`` is the business date (the date of the act); ``recorded_at`` the UTC time the store
    wrote it. ``data`` must be JSON-ready (str, int, bool, None, lists and str-keyed dicts).
    """

    case_id: str
    version: int
    event: str
    on: dt.date
    actor: str
    data: Mapping[str, Any]
    idempotency_key: str | None = None


@masked_repr
@attrs.frozen
class StoredEvent:
    """An appended event: ``seq`` is its 1-based position in the book, ``hash`` chains it."""

    seq: int
    case_id: str
    version: int
    event: str
    on: dt.date
    actor: str
    data: Mapping[str, Any]
    idempotency_key: str | None
    recorded_at: dt.datetime
    prev_hash: str
    hash: str

    def computed_hash(self) -> str:
        """The hash this event should carry, recomputed from its fields and ``prev_hash``."""
        fields = _hashed(
            self.seq,
            self.case_id,
            self.version,
            self.event,
            self.on,
            self.actor,
            self.data,
            self.idempotency_key,
            self.recorded_at,
            self.prev_hash,
        )
        return hashlib.sha256(canonical_json(fields).encode()).hexdigest()


def event_hash(seq: int, event: NewEvent, recorded_at: dt.datetime, prev_hash: str) -> str:
    """SHA-256 (hex) of the canonical JSON of an event's fields and the previous hash."""
    fields = _hashed(
        seq,
        event.case_id,
        event.version,
        event.event,
        event.on,
        event.actor,
        event.data,
        event.idempotency_key,
        recorded_at,
        prev_hash,
    )
    return hashlib.sha256(canonical_json(fields).encode()).hexdigest()


def _hashed(
    seq: int,
    case_id: str,
    version: int,
    event: str,
    on: dt.date,
    actor: str,
    data: Mapping[str, Any],
    key: str | None,
    recorded_at: dt.datetime,
    prev_hash: str,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "case_id": case_id,
        "version": version,
        "event": event,
        "on": on.isoformat(),
        "actor": actor,
        "data": dict(data),
        "idempotency_key": key,
        "recorded_at": recorded_at.isoformat(),
        "prev_hash": prev_hash,
    }


@masked_repr
@attrs.frozen
class CaseRow:
    """The projection of one case, as stored: enough to list and filter cases quickly.

    ``body`` is the whole case as JSON-ready data (state, deadlines, data, ...), written by the
    book and read back by it; the store only indexes the other columns.
    """

    case_id: str
    machine: str
    kind: str
    subject_id: str
    state: str
    version: int
    closed: bool
    last_on: dt.date
    body: Mapping[str, Any]
