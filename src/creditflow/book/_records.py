"""Events and case rows as flat records of primitives: the stored form both stores share.

A record is a tuple in column order holding only ``int``, ``str`` and ``None``: dates and
times as ISO text, ``data`` and ``body`` as canonical JSON. Decoding a record gives back the
values that were encoded, microseconds and time zone included, so a hash recomputed from a
decoded event equals the one computed when it was appended. The memory store keeps these
records in lists; the SQLite store keeps them in rows of the same column order.
"""

from __future__ import annotations

import abc
import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from creditflow.book.encoding import canonical_json, event_digest
from creditflow.book.rows import CaseRow, NewEvent, StoredEvent
from creditflow.errors import BookCorrupt, InvalidInput

__all__ = [
    "CASE_COLUMNS",
    "EVENT_COLUMNS",
    "CaseRecord",
    "EncodedBody",
    "EventRecord",
    "decode_case",
    "decode_event",
    "encode_case",
    "event_record",
    "to_json",
]

EVENT_COLUMNS = (
    "seq", "case_id", "version", "event", "on_date", "actor", "data", "idempotency_key",
    "recorded_at", "prev_hash", "projection", "hash",
)  # fmt: skip
"""The columns of an event record, in order: the hashed fields, then the hash."""

CASE_COLUMNS = (
    "case_id", "machine", "kind", "subject_id", "state", "version", "closed", "last_on", "body",
)  # fmt: skip
"""The columns of a case record, in order."""

EventRecord = tuple[int, str, int, str, str, str, str, str | None, str, str, str | None, str]
"""An event as stored: :data:`EVENT_COLUMNS`."""

CaseRecord = tuple[str, str, str, str, str, int, int, str, str]
"""A case row as stored: :data:`CASE_COLUMNS` (``closed`` as 0 or 1)."""


class EncodedBody(Mapping[str, Any], abc.ABC):
    """A row body that comes with its canonical JSON (``text``), made once by its maker.

    The book's projections are such bodies (issue 20: a projection is encoded once per
    transaction, and that text is what the store keeps and its digest covers); the mapping
    itself is built only when read. Any store that encodes the mapping instead gets the same
    text.
    """

    __slots__ = ("_mapping",)

    def __init__(self) -> None:
        self._mapping: dict[str, Any] | None = None

    @property
    @abc.abstractmethod
    def text(self) -> str:
        """The canonical JSON of the mapping."""

    @abc.abstractmethod
    def build(self) -> dict[str, Any]:
        """The mapping, built when first read."""

    def _built(self) -> dict[str, Any]:
        if self._mapping is None:
            self._mapping = self.build()
        return self._mapping

    def __getitem__(self, key: str) -> Any:
        return self._built()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._built())


def to_json(value: Mapping[str, Any], name: str) -> str:
    """The canonical JSON of ``value``; :class:`InvalidInput` naming ``name`` if it has none.

    An :class:`EncodedBody` gives its own text."""
    try:
        if isinstance(value, EncodedBody):
            return value.text
        return canonical_json(value if isinstance(value, dict) else dict(value))
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{name} must be JSON-ready data: {exc}") from exc


def event_record(
    seq: int,
    event: NewEvent,
    on: str,
    data: str,
    recorded_at: str,
    prev_hash: str,
    projection: str | None,
) -> EventRecord:
    """The record of ``event`` placed at ``seq`` after ``prev_hash``, hash included.

    ``on``, ``data`` and ``recorded_at`` are the event's fields already encoded.
    """
    fields = (
        seq, event.case_id, event.version, event.event, on, event.actor, data,
        event.idempotency_key, recorded_at, prev_hash, projection,
    )  # fmt: skip
    return (*fields, event_digest(fields))


def decode_event(record: Sequence[Any]) -> StoredEvent:
    """The event a record holds; :class:`BookCorrupt` if a field cannot be read."""
    try:
        seq, case_id, version, event, on, actor, data, key, recorded_at, prev, projection, hash_ = (
            record
        )
        return StoredEvent(  # positional, in field order: every replay decodes every event
            seq, case_id, version, event, _day(on), actor, _json_object(data), key,
            _moment(recorded_at), prev, hash_, projection,
        )  # fmt: skip
    except (TypeError, ValueError) as exc:
        raise BookCorrupt(f"the event cannot be read: {exc}", seq=record[0]) from None


_DAYS: dict[str, dt.date] = {}
_MOST_DAYS = 100_000  # business dates repeat: a few thousand in most books
_last_moment: tuple[object, dt.datetime | None] = (None, None)


def _day(text: str) -> dt.date:
    """``dt.date.fromisoformat(text)``, kept: a replay reads the same dates again and again."""
    day = _DAYS.get(text)
    if day is None:
        day = dt.date.fromisoformat(text)
        if len(_DAYS) < _MOST_DAYS:
            _DAYS[text] = day
    return day


def _moment(text: str) -> dt.datetime:
    """``dt.datetime.fromisoformat(text)``; the events of one append share their time, so
    the last one is kept."""
    global _last_moment
    last, moment = _last_moment
    if moment is None or last != text:
        moment = dt.datetime.fromisoformat(text)
        _last_moment = (text, moment)
    return moment


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
    """The case row a record holds; :class:`BookCorrupt` if a column cannot be read."""
    case_id, machine, kind, subject_id, state, version, closed, last_on, body = record
    try:
        value = _json_object(body)
        if not isinstance(value, dict):
            raise TypeError(f"the body is a JSON {type(value).__name__}, not an object")
        if type(closed) is not int or closed not in (0, 1):
            raise ValueError(f"closed is {closed!r}, not 0 or 1")
        return CaseRow(
            case_id=case_id,
            machine=machine,
            kind=kind,
            subject_id=subject_id,
            state=state,
            version=version,
            closed=bool(closed),
            last_on=_day(last_on),
            body=value,
        )
    except (TypeError, ValueError) as exc:
        raise BookCorrupt(f"the projection cannot be read: {exc}", case_id=case_id) from None
