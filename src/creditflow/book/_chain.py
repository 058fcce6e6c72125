"""The store logic every store shares: checking an append, chaining it, verifying a book.

A store appends in four steps, the last three inside its transaction::

    batch = prepare(events, cases, expected)      # shape only: InvalidInput, nothing read
    check_versions(batch.expected, stored)        # Conflict on a stale expected version
    stored, records = seal(batch, head, now)      # seq, prev_hash, hash, recorded_at
    ... write records and batch.cases ...         # an idempotency key already stored: Conflict

and verifies by handing :func:`verify` its event records in ``seq`` order.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from creditflow._repr import a_type, shown
from creditflow._validation import ensure_date, ensure_int, ensure_json_scalar, ensure_str
from creditflow.book._records import (
    CaseRecord,
    EventRecord,
    decode_event,
    encode_case,
    event_record,
    to_json,
)
from creditflow.book.encoding import (
    GENESIS,
    MAX_DATA_BYTES,
    canonical_json,
    check_json,
    event_digest,
    projection_digest,
)
from creditflow.book.rows import CaseRow, NewEvent, StoredEvent
from creditflow.book.store import ChainReport
from creditflow.errors import BookCorrupt, Conflict, InvalidInput

__all__ = [
    "Batch",
    "Clock",
    "check_rebuild",
    "check_versions",
    "key_conflict",
    "prepare",
    "prepare_trusted",
    "seal",
    "seal_records",
    "system_clock",
    "utc_now",
    "verify",
]

Clock = Callable[[], dt.datetime]
"""A source of the current time; it must return timezone-aware datetimes."""


@attrs.frozen
class Batch:
    """An append whose shape is checked, with data and rows encoded; not yet placed in a book.

    ``expected`` is the caller's map of case id to the version the case must have now;
    ``projections`` gives each event the digest of the projection it produces (None for an
    event followed by another of its case in this append).
    """

    events: tuple[NewEvent, ...]
    data: tuple[str, ...]
    cases: tuple[CaseRecord, ...]
    expected: Mapping[str, int]
    projections: tuple[str | None, ...]


def prepare(
    events: Sequence[NewEvent], cases: Sequence[CaseRow], expected: Mapping[str, int]
) -> Batch:
    """Check an append without reading the book; :class:`InvalidInput` says what is wrong.

    Every case an event touches is in ``expected``; its events carry the versions
    ``expected + 1, + 2, ...`` in order; every touched case has exactly one row, at the version
    of its last event, and no other case has one; idempotency keys are distinct. Cases in
    ``expected`` without events are version checks only: the append conflicts if they moved.
    """
    wanted = _checked_expected(expected)
    versions = dict(wanted)
    data = tuple([_checked_event(i, event, versions) for i, event in enumerate(events)])
    _check_keys_distinct(events)
    touched = {
        case_id: version for case_id, version in versions.items() if version != wanted[case_id]
    }
    rows = _row_records(cases, touched, "in this append")
    digests = {row[0]: _digest(row) for row in rows}
    last = {event.case_id: index for index, event in enumerate(events)}
    projections = tuple(
        digests[event.case_id] if last[event.case_id] == index else None
        for index, event in enumerate(events)
    )
    return Batch(tuple(events), data, rows, wanted, projections)


def prepare_trusted(
    events: Sequence[NewEvent], cases: Sequence[CaseRow], expected: Mapping[str, int]
) -> Batch:
    """:func:`prepare` for an append a book's unit of work built: the same :class:`Batch`
    (the same texts and digests), without the checks the unit already made.

    The unit gives only data it made JSON (dates as text, sets as lists, depth and integers
    bounded). The rest is checked here quickly: ``expected``, the versions running on from
    it, distinct keys, one row per touched case at the version of its last event, plain
    field types, ASCII actor and key (else valid Unicode), the data's canonical JSON and
    size; anything unusual is handed to :func:`prepare`, which raises what it always raised.
    """
    size = MAX_DATA_BYTES // 4  # a UTF-8 character is at most 4 bytes
    wanted = _checked_expected(expected)
    versions = dict(wanted)
    keys: set[str] = set()
    data: list[str] = []
    last: dict[str, int] = {}
    for index, event in enumerate(events):
        if type(event) is not NewEvent:
            return prepare(events, cases, expected)
        key = event.idempotency_key
        if not (
            _plainly_typed(event)
            and event.version == versions.get(event.case_id, -1) + 1
            and key not in keys
        ):
            return prepare(events, cases, expected)
        versions[event.case_id] = event.version
        if key is not None:
            keys.add(key)
        try:
            text = canonical_json(event.data)
            if len(text) > size and len(text.encode()) > MAX_DATA_BYTES:
                return prepare(events, cases, expected)
            if not text.isascii():
                text.encode()  # a lone surrogate: not hashable
        except (TypeError, ValueError):  # UnicodeEncodeError included
            return prepare(events, cases, expected)
        data.append(text)
        last[event.case_id] = index
    if len(cases) != len(last) or any(
        type(row) is not CaseRow
        or last.get(row.case_id) is None
        or row.version != versions[row.case_id]
        for row in cases
    ):
        return prepare(events, cases, expected)  # each touched case: one row, at its last version
    rows = tuple([encode_case(row, to_json(row.body, "a row's body")) for row in cases])
    try:
        digests = {row[0]: projection_digest(row) for row in rows}
    except UnicodeEncodeError:
        return prepare(events, cases, expected)
    if len(digests) != len(last):  # a case given two rows
        return prepare(events, cases, expected)
    projections = tuple(
        digests[event.case_id] if last[event.case_id] == index else None
        for index, event in enumerate(events)
    )
    return Batch(tuple(events), tuple(data), rows, wanted, projections)


def _checked_expected(expected: Mapping[str, int]) -> dict[str, int]:
    for case_id, version in expected.items():
        if type(case_id) is not str or type(version) is not int:  # the detailed checks
            ensure_str(case_id, "a case id in expected")
            ensure_int(version, f"expected[{case_id!r}]")
        if version < 0:
            raise InvalidInput(
                f"expected[{case_id!r}]={version} is negative; 0 means the case must not exist"
            )
    return dict(expected)


def _checked_event(index: int, event: NewEvent, versions: dict[str, int]) -> str:
    """Check one event against the running ``versions`` (advanced); its data as JSON."""
    if not isinstance(event, NewEvent):
        raise InvalidInput(
            f"events[{index}] must be a NewEvent, got {shown(event)} that is {a_type(event)}"
        )
    if not _plainly_typed(event):
        _check_types(f"events[{index}]", event)
    case_id = event.case_id
    if case_id not in versions:
        raise InvalidInput(
            f"events[{index}]: case {case_id!r} is not in expected; "
            "give the version it has now (0 for a new case)"
        )
    due = versions[case_id] + 1
    if event.version != due:
        raise InvalidInput(
            f"events[{index}]: case {case_id!r} has version={event.version}, must be {due}: "
            "one more than expected for the case plus the events before it in this append"
        )
    versions[case_id] = due
    return check_json(event.data, f"events[{index}].data")


def _plainly_typed(event: NewEvent) -> bool:
    """True if every field has its exact type: the quick test most appends pass."""
    key = event.idempotency_key
    return (
        type(event.case_id) is str
        and type(event.event) is str
        and type(event.actor) is str
        and type(event.on) is dt.date
        and type(event.version) is int
        and (key is None or (type(key) is str and key != "" and key.isascii()))
        and "" not in (event.case_id, event.event, event.actor)
        and event.case_id.isascii()
        and event.event.isascii()
        and event.actor.isascii()
    )


def _check_types(name: str, event: NewEvent) -> None:
    """Raise :class:`InvalidInput` naming the first field of ``event`` of the wrong type (or
    text that is not valid Unicode: it is hashed)."""
    texts = {"case_id": event.case_id, "event": event.event, "actor": event.actor}
    if event.idempotency_key is not None:
        texts["idempotency_key"] = event.idempotency_key
    for field, text in texts.items():
        ensure_json_scalar(ensure_str(text, f"{name}.{field}"), f"{name}.{field}")
    ensure_date(event.on, f"{name}.on")
    ensure_int(event.version, f"{name}.version")


def _check_keys_distinct(events: Sequence[NewEvent]) -> None:
    seen: set[str] = set()
    for index, event in enumerate(events):
        key = event.idempotency_key
        if key is None:
            continue
        if key in seen:
            raise InvalidInput(f"events[{index}]: idempotency key {key!r} is given twice")
        seen.add(key)


def _row_records(
    cases: Sequence[CaseRow], due: Mapping[str, int], where: str
) -> tuple[CaseRecord, ...]:
    """The records of ``cases``, which must be one row per case of ``due`` at its due version.

    ``where`` ("in this append", "in the book") says where the events are, for messages.
    """
    records: dict[str, CaseRecord] = {}
    for index, row in enumerate(cases):
        if row.case_id in records:
            raise InvalidInput(f"cases[{index}]: case {row.case_id!r} has a row already")
        if row.case_id not in due:
            raise InvalidInput(f"cases[{index}]: case {row.case_id!r} has no events {where}")
        _check_row(index, row, due[row.case_id])
        records[row.case_id] = encode_case(row, to_json(row.body, f"cases[{index}].body"))
    missing = sorted(due.keys() - records.keys())
    if missing:
        raise InvalidInput(f"case {missing[0]!r} has events {where} but no row in cases")
    return tuple(records.values())


def _digest(record: CaseRecord) -> str:
    """The projection digest of a row, which must be valid Unicode to be hashed."""
    try:
        return projection_digest(record)
    except UnicodeEncodeError:
        raise InvalidInput(
            f"the row of case {record[0]!r} holds a lone surrogate: not valid Unicode"
        ) from None


def _check_row(index: int, row: CaseRow, version: int) -> None:
    if type(row.last_on) is not dt.date:
        ensure_date(row.last_on, f"cases[{index}].last_on")
    if row.version != version:
        raise InvalidInput(
            f"cases[{index}]: case {row.case_id!r} has version={row.version}, "
            f"must be {version}, the version of its last event"
        )


def check_versions(expected: Mapping[str, int], stored: Mapping[str, int]) -> None:
    """Raise :class:`Conflict` for the first case (by id) whose ``stored`` version (absent:
    0) is not the ``expected`` one."""
    for case_id in sorted(expected):
        actual = stored.get(case_id, 0)
        if actual != expected[case_id]:
            raise Conflict(case_id, expected[case_id], actual)


def key_conflict(event: NewEvent, existing: StoredEvent) -> Conflict:
    """The :class:`Conflict` for ``event``, whose idempotency key ``existing`` already used.

    Its fields describe the change the key already made: ``existing``'s case moved from
    ``version - 1`` to ``version``.
    """
    error = Conflict(existing.case_id, existing.version - 1, existing.version)
    error.message = (
        f"idempotency key {event.idempotency_key!r} is already used by event {existing.seq} "
        f"(case {existing.case_id} version {existing.version}): look it up with "
        "by_idempotency_key instead of appending again"
    )
    error.args = (error.message,)
    return error


def seal(
    batch: Batch, head: tuple[int, str], recorded_at: dt.datetime
) -> tuple[list[StoredEvent], list[EventRecord]]:
    """Place a batch after ``head``: consecutive ``seq``, chained hashes, one ``recorded_at``.

    Returns the stored events (as :meth:`append` returns them) and their records.
    """
    records = seal_records(batch, head, recorded_at)
    stored = [
        _stored(record, event, recorded_at)
        for record, event in zip(records, batch.events, strict=True)
    ]
    return stored, records


def seal_records(
    batch: Batch, head: tuple[int, str], recorded_at: dt.datetime
) -> list[EventRecord]:
    """The records :func:`seal` makes, without the stored events (a trusted append returns
    none)."""
    seq, prev_hash = head
    recorded = recorded_at.isoformat()
    records: list[EventRecord] = []
    add = records.append
    for event, data, projection in zip(batch.events, batch.data, batch.projections, strict=True):
        seq += 1
        record = event_record(
            seq, event, event.on.isoformat(), data, recorded, prev_hash, projection
        )
        prev_hash = record[11]
        add(record)
    return records


def _stored(record: EventRecord, event: NewEvent, recorded_at: dt.datetime) -> StoredEvent:
    seq, case_id, version, name, _, actor, _, key, _, prev_hash, projection, digest = record
    return StoredEvent(
        seq, case_id, version, name, event.on, actor, event.data, key, recorded_at, prev_hash,
        digest, projection,
    )  # fmt: skip


def utc_now(clock: Clock) -> dt.datetime:
    """``clock()`` in UTC; :class:`InvalidInput` if the clock gives a naive datetime."""
    now = clock()
    if now.tzinfo is dt.UTC:  # the system clock's
        return now
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInput(f"the store's clock must give aware datetimes, got {now!r}")
    return now.astimezone(dt.UTC)


def system_clock() -> dt.datetime:
    """The current time in UTC: the default clock of every store."""
    return dt.datetime.now(dt.UTC)


def verify(
    records: Iterable[Sequence[Any]],
    cases: Callable[[], Iterable[Sequence[Any]]],
    anchors: Mapping[int, str],
) -> ChainReport:
    """Walk event records in ``seq`` order, then the case records, and report the first
    problem, if any.

    A link is broken when a ``seq`` is missing, a record cannot be read, ``prev_hash`` is not
    the previous event's hash, ``hash`` does not match the event's fields, a case's versions
    do not run 1, 2, 3, ..., or an event's hash is not the one an anchor (``seq`` -> hash)
    holds. ``events`` and ``head`` of the report describe the events verified before the
    break (all of them when the chain is whole). With the chain whole, every anchor must lie
    within it, and every projection ``cases()`` gives must be the one its case's last event
    recorded (its digest), one for every case with events.
    """
    walk = _Walk(dict(anchors))
    for record in records:
        problem = walk.step(record)
        if problem is not None:
            return walk.report(broken_at=problem[0], reason=problem[1])
    beyond = sorted(seq for seq in anchors if seq > walk.seq)
    if beyond:
        seq = beyond[0]
        reason = (
            f"the anchor {seq}:{anchors[seq]} lies beyond the head (event {walk.seq}): "
            "events published before were removed"
        )
        return walk.report(broken_at=seq, reason=reason)
    return walk.check_projections(cases())


@attrs.define
class _Walk:
    """Where :func:`verify` is: the last good ``seq`` and hash, and for each case the version,
    ``seq`` and projection digest of its last event."""

    anchors: dict[int, str]
    seq: int = 0
    head: str = GENESIS
    last: dict[str, bytes] = attrs.Factory(dict)
    """Per case, its last event's version, ``seq`` and projection digest, packed
    (:func:`_packed`): a third of the memory of a tuple, for an index of every case."""
    projections: int = 0

    def report(
        self, *, broken_at: int | None = None, reason: str | None = None, case_id: str | None = None
    ) -> ChainReport:
        """The report of the walk so far: ok without a ``reason``."""
        return ChainReport(
            reason is None, self.seq, self.head, broken_at=broken_at, reason=reason,
            case_id=case_id, projections=self.projections, anchors=len(self.anchors),
        )  # fmt: skip

    def step(self, record: Sequence[Any]) -> tuple[int, str] | None:
        """Check the next record; on success advance, else return ``(seq, reason)``."""
        if record[0] != self.seq + 1:
            return self.seq + 1, f"event {self.seq + 1} is missing (the next is {record[0]})"
        try:
            event = decode_event(record)
            digest = event_digest(record[:11])
        except BookCorrupt as exc:
            return record[0], exc.reason
        except (TypeError, ValueError) as exc:
            return record[0], f"the event cannot be read: {exc}"
        problem = self._link_problem(event, digest)
        if problem is not None:
            return event.seq, problem
        self.seq, self.head = event.seq, event.hash
        self.last[event.case_id] = _packed(event.version, event.seq, event.projection)
        return None

    def _link_problem(self, event: StoredEvent, digest: str) -> str | None:
        if event.prev_hash != self.head:
            return (
                f"prev_hash {event.prev_hash!r} is not the hash of event {self.seq} ({self.head!r})"
            )
        if digest != event.hash:
            return "hash does not match the event's fields: the event changed after it was written"
        anchored = self.anchors.get(event.seq)
        if anchored is not None and anchored != event.hash:
            return (
                f"the anchor {event.seq}:{anchored} does not hold: the event now has hash "
                f"{event.hash}, so the history up to it was rewritten"
            )
        last = self.last.get(event.case_id)
        version = 0 if last is None else _VERSION_SEQ.unpack_from(last)[0]
        if event.version != version + 1:
            return f"case {event.case_id!r} goes from version {version} to {event.version}"
        return None

    def check_projections(self, records: Iterable[Sequence[Any]]) -> ChainReport:
        """Compare each case record with the digest its last event recorded (the walk's
        ``last`` is used up: a copy would double verify's memory, a few hundred bytes a case)."""
        unmatched, self.last = self.last, {}
        for record in records:
            self.projections += 1
            case_id = record[0]
            packed = unmatched.pop(case_id, None)
            problem = _projection_problem(record, None if packed is None else _unpacked(packed))
            if problem is not None:
                return self.report(reason=problem, case_id=case_id)
        if unmatched:
            case_id = min(unmatched)
            seq = _unpacked(unmatched[case_id])[1]
            reason = f"case {case_id!r} has events (the last is {seq}) but no projection"
            return self.report(reason=reason, case_id=case_id)
        return self.report()


_VERSION_SEQ = struct.Struct("<QQ")
_HEX_DIGEST = re.compile("[0-9a-f]{64}")


def _packed(version: int, seq: int, projection: str | None) -> bytes:
    """``(version, seq, projection)`` as bytes: two 8-byte integers, then a tag and the
    digest (``0``: None; ``1`` and 32 bytes: 64 lowercase hex digits; ``2`` and UTF-8: any
    other value as text, as a rewritten event may hold: it matches no digest either way)."""
    head = _VERSION_SEQ.pack(version, seq)
    if projection is None:
        return head + b"\x00"
    if isinstance(projection, str) and _HEX_DIGEST.fullmatch(projection):
        return head + b"\x01" + bytes.fromhex(projection)
    return head + b"\x02" + str(projection).encode("utf-8", "surrogatepass")


def _unpacked(packed: bytes) -> tuple[int, int, str | None]:
    """The ``(version, seq, projection)`` :func:`_packed` packed."""
    version, seq = _VERSION_SEQ.unpack_from(packed)
    tag, rest = packed[16], packed[17:]
    if tag == 0:
        return version, seq, None
    return version, seq, rest.hex() if tag == 1 else rest.decode("utf-8", "surrogatepass")


def _projection_problem(
    record: Sequence[Any], last: tuple[int, int, str | None] | None
) -> str | None:
    """What is wrong with a case record, given its case's last event (or None), if anything."""
    case_id = record[0]
    if last is None:
        return f"case {case_id!r} has a projection but no events"
    version, seq, recorded = last
    if record[5] != version:
        return (
            f"the projection of case {case_id!r} is at version {record[5]!r}, but its last "
            f"event (seq {seq}) makes version {version}"
        )
    if recorded is None:
        return f"the last event of case {case_id!r} (seq {seq}) records no projection digest"
    try:
        digest = projection_digest(record)
    except (TypeError, ValueError) as exc:
        return f"the projection of case {case_id!r} cannot be read: {exc}"
    if digest != recorded:
        return (
            f"the projection of case {case_id!r} (state {record[4]!r}, version {record[5]}) is "
            f"not the one event {seq} recorded: it changed after it was written"
        )
    return None


def check_rebuild(
    cases: Sequence[CaseRow], last_versions: Mapping[str, int]
) -> tuple[CaseRecord, ...]:
    """Check rows that replace every projection; their records.

    ``last_versions`` maps every case with events to the version of its last event: the rows
    must be exactly one per such case, each at that version.
    """
    return _row_records(cases, last_versions, "in the book")
