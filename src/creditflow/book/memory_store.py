"""An event store in memory: the book of tests and of short-lived tools.

It behaves exactly like :class:`~creditflow.book.sqlite_store.SqliteStore` (the same checks,
errors and results; values read back are fresh copies), but keeps nothing after the process
ends and serves one process only.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Self

from creditflow._validation import check_case_filters, check_event_filters
from creditflow.book._adopt import adopted_cases, adopted_records
from creditflow.book._chain import (
    Batch,
    Clock,
    check_rebuild,
    check_versions,
    key_conflict,
    prepare,
    prepare_trusted,
    seal,
    seal_records,
    system_clock,
    utc_now,
    verify,
)
from creditflow.book._records import CaseRecord, EventRecord, decode_case, decode_event
from creditflow.book.rows import GENESIS, CaseRow, ClosedRows, NewEvent, StoredEvent
from creditflow.book.store import ChainReport
from creditflow.errors import InvalidInput

__all__ = ["MemoryStore"]


class MemoryStore:
    """An :class:`~creditflow.book.store.EventStore` held in lists and dicts.

    ``clock`` gives the ``recorded_at`` of appends (default: the system clock in UTC); tests
    pass a fixed one. Use it as a context manager or call :meth:`close`; a closed store
    refuses every call.
    """

    def __init__(self, *, clock: Clock = system_clock) -> None:
        self._clock = clock
        self._events: list[EventRecord] = []
        self._by_case: dict[str, list[EventRecord]] = {}
        self._by_key: dict[str, EventRecord] = {}
        self._cases: dict[str, CaseRecord] = {}
        self._by_subject: dict[str, set[str]] = {}  # case ids by subject: a status reads few
        self._earliest: str | None = None
        self._closed = False

    def append(
        self,
        events: Sequence[NewEvent],
        cases: Sequence[CaseRow],
        *,
        expected: Mapping[str, int],
    ) -> list[StoredEvent]:
        """Append ``events`` after the head and upsert ``cases``, all or nothing.

        See :meth:`creditflow.book.store.EventStore.append`.
        """
        self._check_open()
        batch = prepare(events, cases, expected)
        check_versions(batch.expected, {case_id: self._version(case_id) for case_id in expected})
        self._check_keys_unused(batch)
        stored, records = seal(batch, self.head(), utc_now(self._clock))
        for record in records:
            self._add(record)
        self._keep_cases(batch.cases)
        return stored

    def append_trusted(
        self,
        events: Sequence[NewEvent],
        cases: Sequence[CaseRow],
        *,
        expected: Mapping[str, int],
    ) -> None:
        """:meth:`append` for the events and rows of a :class:`~creditflow.CreditBook`'s unit
        of work, which checked their shape itself: the same records, hashes and errors, the
        shape checks it made skipped, and no stored events returned (the book reads none).

        A subclass that overrides :meth:`append` sees these appends there too.
        """
        if type(self).append is not MemoryStore.append:
            self.append(events, cases, expected=expected)
            return
        self._check_open()
        batch = prepare_trusted(events, cases, expected)
        check_versions(batch.expected, {case_id: self._version(case_id) for case_id in expected})
        self._check_keys_unused(batch)
        for record in seal_records(batch, self.head(), utc_now(self._clock)):
            self._add(record)
        self._keep_cases(batch.cases)

    def by_idempotency_key(self, key: str) -> StoredEvent | None:
        """The event appended with ``key``, if any."""
        self._check_open()
        record = self._by_key.get(key)
        return None if record is None else decode_event(record)

    def case(self, case_id: str) -> CaseRow | None:
        """The projection of one case."""
        self._check_open()
        record = self._cases.get(case_id)
        return None if record is None else decode_case(record)

    def cases(
        self,
        *,
        subject_id: str | None = None,
        machine: str | None = None,
        open_only: bool = False,
        open_or: ClosedRows | None = None,
    ) -> Iterator[CaseRow]:
        """Case projections matching every filter given, in case id order; see
        :meth:`creditflow.book.store.EventStore.cases` for ``open_or``."""
        check_case_filters(subject_id, machine, open_only)
        self._check_open()
        keeps = _keeper(open_or)
        if subject_id is None:
            records = [record for _, record in sorted(self._cases.items())]
        else:
            records = sorted(self._subject_records(subject_id))
        for record in records:
            if (
                (subject_id is None or record[3] == subject_id)
                and (machine is None or record[1] == machine)
                and not (open_only and record[6])
                and keeps(record)
            ):
                yield decode_case(record)

    def has_cases(self, subject_id: str) -> bool:
        """True if any case of the subject is stored."""
        self._check_open()
        return any(record[3] == subject_id for record in self._subject_records(subject_id))

    def events(self, *, case_id: str | None = None, after: int = 0) -> Iterator[StoredEvent]:
        """Events in ``seq`` order, those of one case if ``case_id`` is given, after ``after``.

        The events are those up to the head when the iteration starts.
        """
        check_event_filters(case_id, after)
        self._check_open()
        records = self._events if case_id is None else self._by_case.get(case_id, [])
        start = bisect.bisect_right(records, after, key=lambda record: record[0])
        for index in range(start, len(records)):
            yield decode_event(records[index])

    def head(self) -> tuple[int, str]:
        """The last ``seq`` and its hash (``(0, GENESIS)`` for an empty book)."""
        self._check_open()
        if not self._events:
            return 0, GENESIS
        last = self._events[-1]
        return last[0], last[11]

    def verify(self, *, anchors: Mapping[int, str] | None = None) -> ChainReport:
        """Recompute every hash and link, check ``anchors`` and every projection; report the
        first problem (see :meth:`creditflow.book.store.EventStore.verify`)."""
        self._check_open()
        cases = sorted(self._cases.values())
        return verify(list(self._events), lambda: cases, anchors or {})

    def earliest_on(self) -> dt.date | None:
        """The earliest business date of any event (None for an empty book)."""
        self._check_open()
        return None if self._earliest is None else dt.date.fromisoformat(self._earliest)

    def replace_cases(self, cases: Sequence[CaseRow]) -> None:
        """Replace every projection at once (a rebuild from the events), atomically.

        The rows must be one per case with events, each at the version of its last event;
        :class:`~creditflow.errors.InvalidInput` otherwise, and nothing changes.
        """
        self._check_open()
        last = {case_id: records[-1][2] for case_id, records in self._by_case.items()}
        records = check_rebuild(cases, last)
        self._cases, self._by_subject = {}, {}
        self._keep_cases(records)

    def adopt(self, events: Sequence[StoredEvent], cases: Sequence[CaseRow]) -> None:
        """Append events another book hashed, keeping their hashes, and upsert ``cases``
        (``creditflow book copy``; see
        :meth:`creditflow.book.postgres_store.PostgresStore.adopt`)."""
        self._check_open()
        records = adopted_records(self.head(), events)
        rows = adopted_cases(cases)
        for record in records:
            self._add(record)
        self._cases.update((row[0], row) for row in rows)

    def close(self) -> None:
        """Mark the store closed (idempotent); its contents are dropped."""
        self._closed = True
        self._events, self._by_case, self._by_key, self._cases = [], {}, {}, {}
        self._by_subject = {}
        self._earliest = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise InvalidInput("the store is closed")

    def _version(self, case_id: str) -> int:
        record = self._cases.get(case_id)
        return 0 if record is None else record[5]

    def _check_keys_unused(self, batch: Batch) -> None:
        for event in batch.events:
            key = event.idempotency_key
            if key is not None and key in self._by_key:
                raise key_conflict(event, decode_event(self._by_key[key]))

    def _subject_records(self, subject_id: str) -> Iterator[CaseRecord]:
        """The records of the case ids kept for ``subject_id`` (the caller tests the subject)."""
        for case_id in self._by_subject.get(subject_id, ()):
            record = self._cases.get(case_id)
            if record is not None:
                yield record

    def _keep_cases(self, records: Iterable[CaseRecord]) -> None:
        """Upsert case records and index them by subject."""
        cases, by_subject = self._cases, self._by_subject
        for record in records:
            cases[record[0]] = record
            ids = by_subject.get(record[3])
            if ids is None:
                ids = by_subject[record[3]] = set()
            ids.add(record[0])

    def _add(self, record: EventRecord) -> None:
        self._events.append(record)
        if self._earliest is None or record[4] < self._earliest:
            self._earliest = record[4]
        self._by_case.setdefault(record[1], []).append(record)
        if record[7] is not None:
            self._by_key[record[7]] = record


def _keeper(open_or: ClosedRows | None) -> Callable[[CaseRecord], bool]:
    """The row test of an ``open_or`` filter (everything passes without one)."""
    if open_or is None:
        return lambda record: True
    after, machines, states = open_or.after.isoformat(), open_or.machines, open_or.states
    opened = open_or.open_machines
    return lambda record: (
        (opened is None or record[1] in opened)
        if not record[6]
        else (record[7] > after or record[1] in machines or record[4] in states)
    )
