"""What a store keeps: events (the truth) and case rows (the projection), as plain values.

A store knows nothing of workflows: it appends events with their projections atomically,
chains the events by hash, remembers idempotency keys and enforces case versions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from creditflow.book.encoding import GENESIS, canonical_json, event_digest
from creditflow.core.privacy import masked_repr

__all__ = [
    "GENESIS",
    "PACK_KEY",
    "CaseRow",
    "ClosedRows",
    "NewEvent",
    "StoredEvent",
    "canonical_json",
    "event_hash",
]

PACK_KEY = "_pack"
"""The key of an event's data that names the pack that governed it, as
``name@version#`` and its content digest (64 hex digits)."""


@attrs.frozen
class ClosedRows:
    """Which closed case rows a query keeps besides the open ones: those whose last event is
    after ``after``, those of a machine in ``machines`` and those in a state in ``states``.

    ``open_machines`` (optional, added in schema 4) narrows the open rows kept to those of
    these machines; None keeps every open row. A store that does not know it may keep every
    open row: callers that give it filter what they read (a credit check reads only the open
    listings and records, whatever the number of a subject's other open cases).

    A store evaluates it on the row's columns (``closed``, ``last_on``, ``machine``,
    ``state``) and decodes nothing else; what the names mean is the caller's business.
    """

    after: dt.date
    machines: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()
    open_machines: frozenset[str] | None = None


@masked_repr
@attrs.frozen
class NewEvent:
    """An event to append. ``version`` is the case version this event creates (1 for the first).

    ``on`` is the business date (the date of the act); ``recorded_at`` the UTC time the store
    wrote it. ``data`` must be JSON (str, int, finite float, bool, None, lists and str-keyed
    dicts; see :func:`creditflow.book.encoding.check_json`).
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
    """An appended event: ``seq`` is its 1-based position in the book, ``hash`` chains it.

    ``projection`` is the digest of the case projection the event produced
    (:func:`~creditflow.book.encoding.projection_digest`), or None when a later event of the
    same case in the same append produced the projection that was stored. The hash covers it.
    """

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
    projection: str | None = None

    @property
    def pack(self) -> str | None:
        """The pack that governed the event, ``name@version#digest`` (the full content digest),
        as the book recorded it in ``data``; None for an event written without it."""
        value = self.data.get(PACK_KEY)
        return value if isinstance(value, str) else None

    def computed_hash(self) -> str:
        """The hash this event should carry, recomputed from its fields and ``prev_hash``."""
        return _hash(
            self.seq, self.case_id, self.version, self.event, self.on, self.actor, self.data,
            self.idempotency_key, self.recorded_at, self.prev_hash, self.projection,
        )  # fmt: skip


def event_hash(
    seq: int,
    event: NewEvent,
    recorded_at: dt.datetime,
    prev_hash: str,
    projection: str | None = None,
) -> str:
    """The hash of ``event`` placed at ``seq`` after ``prev_hash``, recorded at
    ``recorded_at`` and producing the projection of digest ``projection``."""
    return _hash(
        seq, event.case_id, event.version, event.event, event.on, event.actor, event.data,
        event.idempotency_key, recorded_at, prev_hash, projection,
    )  # fmt: skip


def _hash(
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
    projection: str | None,
) -> str:
    encoded = canonical_json(dict(data))
    return event_digest(
        (seq, case_id, version, event, on.isoformat(), actor, encoded, key,
         recorded_at.isoformat(), prev_hash, projection)
    )  # fmt: skip


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
