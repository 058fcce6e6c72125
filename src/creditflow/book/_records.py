"""Events and case rows as flat records of primitives: the stored form both stores share.

A record is a tuple in column order holding only ``int``, ``str`` and ``None``: dates and
times as ISO text, ``data`` and ``body`` as canonical JSON. Decoding a record gives back the
values that were encoded, microseconds and time zone included, so a hash recomputed from a
decoded event equals the one computed when it was appended. The memory store keeps these
records in lists; the SQLite store keeps them in rows of the same column order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from creditflow.book.rows import CaseRow, NewEvent, StoredEvent
from creditflow.errors import InvalidInput

__all__ = [
    "CASE_COLUMNS",
    "EVENT_COLUMNS",
    "CaseRecord",
    "EventRecord",
    "canonical_text",
    "decode_case",
    "decode_event",
    "encode_case",
    "event_record",
    "record_hash",
    "to_json",
]

EVENT_COLUMNS = (
    "seq", "case_id", "version", "event", "on_date", "actor", "data", "idempotency_key",
    "recorded_at", "prev_hash", "hash",
)  # fmt: skip
"""The columns of an event record, in order."""

CASE_COLUMNS = (
    "case_id", "machine", "kind", "subject_id", "state", "version", "closed", "last_on", "body",
)  # fmt: skip
"""The columns of a case record, in order."""

EventRecord = tuple[int, str, int, str, str, str, str, str | None, str, str, str]
"""An event as stored: :data:`EVENT_COLUMNS`."""

CaseRecord = tuple[str, str, str, str, str, int, int, str, str]
"""A case row as stored: :data:`CASE_COLUMNS` (``closed`` as 0 or 1)."""


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_quote = json.encoder.encode_basestring


def canonical_text(value: Mapping[str, Any]) -> str:
    """``canonical_json(value)`` with one encoder built with its arguments instead of a new
    one per call; ``TypeError`` or ``ValueError`` if ``value`` is not JSON-ready."""
    return _CANONICAL.encode(value if isinstance(value, dict) else dict(value))


def to_json(value: Mapping[str, Any], name: str) -> str:
    """:func:`canonical_text`; :class:`InvalidInput` naming ``name`` if ``value`` has none."""
    try:
        return canonical_text(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{name} must be JSON-ready data: {exc}") from exc


def event_record(
    seq: int, event: NewEvent, on: str, data: str, recorded_at: str, prev_hash: str
) -> EventRecord:
    """The record of ``event`` placed at ``seq`` after ``prev_hash``, hash included.

    ``on``, ``data`` and ``recorded_at`` are the event's fields already encoded.
    """
    fields = (
        seq, event.case_id, event.version, event.event, on, event.actor, data,
        event.idempotency_key, recorded_at, prev_hash,
    )  # fmt: skip
    return (*fields, record_hash(fields))


def record_hash(fields: Sequence[Any]) -> str:
    """The hash of an event from its record's fields before the hash, as stored.

    It is :func:`~creditflow.book.rows.event_hash` of the event, computed from the encoded
    fields instead of encoding them again: the canonical JSON of the hashed fields (see
    ``rows._hashed``), keys in sorted order, written out directly. The record's ``data`` is
    used byte for byte, so any change to the stored text changes the hash.
    """
    seq, case_id, version, event, on, actor, data, key, recorded_at, prev_hash = fields
    text = (
        f'{{"actor":{_quote(actor)},"case_id":{_quote(case_id)},"data":{data},'
        f'"event":{_quote(event)},"idempotency_key":{"null" if key is None else _quote(key)},'
        f'"on":{_quote(on)},"prev_hash":{_quote(prev_hash)},"recorded_at":{_quote(recorded_at)},'
        f'"seq":{int(seq)},"version":{int(version)}}}'
    )
    return hashlib.sha256(text.encode()).hexdigest()


def decode_event(record: Sequence[Any]) -> StoredEvent:
    """The event a record holds; ``ValueError`` or ``TypeError`` if a field cannot be read."""
    seq, case_id, version, event, on, actor, data, key, recorded_at, prev_hash, hash_ = record
    return StoredEvent(  # positional, in field order: every replay decodes every event
        seq, case_id, version, event, dt.date.fromisoformat(on), actor, _json_object(data), key,
        dt.datetime.fromisoformat(recorded_at), prev_hash, hash_,
    )  # fmt: skip


_raw_decode = json.JSONDecoder().raw_decode


def _json_object(text: str) -> Any:
    """``json.loads(text)``, a little faster on the canonical JSON stores write (no spaces
    around the value, which ``json.loads`` looks for with a regular expression)."""
    try:
        value, end = _raw_decode(text)
    except ValueError:
        end = -1
    return value if end == len(text) else json.loads(text)


def encode_case(row: CaseRow, body_json: str) -> CaseRecord:
    """The record of a case row, whose ``body`` is already encoded as ``body_json``."""
    return (
        row.case_id, row.machine, row.kind, row.subject_id, row.state, row.version,
        int(row.closed), row.last_on.isoformat(), body_json,
    )  # fmt: skip


def decode_case(record: Sequence[Any]) -> CaseRow:
    """The case row a record holds."""
    case_id, machine, kind, subject_id, state, version, closed, last_on, body = record
    return CaseRow(
        case_id=case_id,
        machine=machine,
        kind=kind,
        subject_id=subject_id,
        state=state,
        version=version,
        closed=bool(closed),
        last_on=dt.date.fromisoformat(last_on),
        body=_json_object(body),
    )
