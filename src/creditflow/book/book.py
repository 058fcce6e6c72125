"""The credit book (信用档案): workflows applied to cases, every change an appended event."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any, Self

import attrs

from creditflow._gc import gc_paused
from creditflow._repr import a_type, shown
from creditflow._validation import (
    check_case_filters,
    check_event_filters,
    ensure_bool,
    ensure_date,
    ensure_seq,
    ensure_str,
)
from creditflow.book._chain import system_clock
from creditflow.book.anchors import Anchor, anchor_map
from creditflow.book.encoding import canonical_json
from creditflow.book.rows import PACK_KEY, CaseRow, ClosedRows, NewEvent, StoredEvent
from creditflow.book.status import BEARING_MACHINES, BEARING_STATES, CreditStatus, derive_status
from creditflow.book.store import ChainReport, EventStore
from creditflow.calendar.periods import Period
from creditflow.calendar.workdays import WorkdayCalendar
from creditflow.core.identifiers import subject_id as checked_subject_id
from creditflow.core.subjects import Subject
from creditflow.errors import (
    BookCorrupt,
    Conflict,
    InvalidInput,
    NoPolicyInForce,
    PolicyAnalysisError,
    TransitionRefused,
    UnknownCase,
    UnknownName,
)
from creditflow.policy.model import Policy
from creditflow.workflows.case import Actor, Case, DeadlineState, Effect, HistoryEntry
from creditflow.workflows.context import TransitionContext
from creditflow.workflows.definitions import MACHINES
from creditflow.workflows.effects import FollowUp
from creditflow.workflows.settings import case_kinds
from creditflow.workflows.soundness import analyse_policy
from creditflow.workflows.transition import Outcome, apply

__all__ = ["SYSTEM", "CreditBook"]

SYSTEM = Actor("system", frozenset({"system"}))
"""The actor of the events the book fires itself (follow-ups, expiries)."""

PolicySource = Policy | str | None
_RETRIES = 5  # attempts when another writer takes the case id we allocated
_RECENT_CASES = 10_000  # case projections kept decoded between calls (see CreditBook._recent)
_AUTOMATIC = {("listing", "expiry"): "expire", ("record", "publication_end"): "end"}


class CreditBook:
    """Cases of every workflow on one event store, under the policy in force on each date.

    Build it with :meth:`open` (a SQLite file, the embedded default) or :meth:`memory`.
    ``policy`` is a :class:`~creditflow.Policy` used for every date, or a pack name (or None
    for the default pack) whose version in force on each event's business date applies.
    """

    def __init__(
        self,
        store: EventStore,
        *,
        policy: PolicySource = None,
        calendar: WorkdayCalendar | None = None,
    ) -> None:
        self._store = store
        self._policy = policy
        self._calendar = calendar or WorkdayCalendar.china()
        self._checked: set[str] = set()
        self._pending: _Batch | None = None
        self._by_date: dict[dt.date, Policy] = {}
        # The last version of recently written or read cases, so that a fire need not decode
        # its case from the store. Another writer may have moved one since: the append then
        # conflicts on the version, and fire forgets the case and tries once more afresh.
        self._recent: dict[str, Case] = {}

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        policy: PolicySource = None,
        calendar: WorkdayCalendar | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        read_only: bool = False,
    ) -> CreditBook:
        """A book on a SQLite file (created if absent). ``read_only=True`` opens an existing
        book without writing to its file (see :class:`~creditflow.SqliteStore`): reads,
        :meth:`verify` and :meth:`replay` work, every change is refused."""
        from creditflow.book.sqlite_store import SqliteStore

        store = SqliteStore.open(path, clock=clock or system_clock, read_only=read_only)
        return cls(store, policy=policy, calendar=calendar)

    @classmethod
    def memory(
        cls,
        *,
        policy: PolicySource = None,
        calendar: WorkdayCalendar | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> CreditBook:
        """A book in memory, for tests and short-lived tools."""
        from creditflow.book.memory_store import MemoryStore

        store = MemoryStore(clock=clock) if clock else MemoryStore()
        return cls(store, policy=policy, calendar=calendar)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the store (idempotent)."""
        self._recent.clear()
        self._store.close()

    # ------------------------------------------------------------------ policy

    def policy_on(self, on: dt.date) -> Policy:
        """The policy that governs acts dated ``on``. It passes the one soundness check
        (:func:`creditflow.workflows.soundness.analyse_policy`): ``load_policy`` runs it on a
        pack named by source, and a :class:`Policy` given to the book is checked once."""
        on = ensure_date(on, "on")
        policy = self._by_date.get(on)
        if policy is None:
            from creditflow.rules.loading import load_policy

            fixed = self._policy
            if not isinstance(fixed, Policy):
                policy = load_policy(fixed, on=on)
            else:
                policy = fixed
                if policy.digest not in self._checked:
                    _check_policy(policy)
                    self._checked.add(policy.digest)
            self._by_date[on] = policy
        return policy

    def _policy_at(self, on: dt.date) -> Policy | None:
        """The policy in force on ``on`` (a decision's date), or None when no version is:
        for the transitional rule (see :mod:`creditflow.policy.transition`)."""
        try:
            return self.policy_on(on)
        except NoPolicyInForce:
            return None

    # ------------------------------------------------------------------ writing

    def open_case(
        self,
        kind: str,
        subject: Subject | str,
        *,
        on: dt.date,
        actor: Actor,
        idempotency_key: str | None = None,
        **data: Any,
    ) -> Case:
        """Open a case: ``kind`` is ``"<machine>.<kind>"`` (``"listing.serious"``,
        ``"commitment.approval_substitute"``, ``"record.general"``) or ``"repair"`` /
        ``"objection"`` (whose kind is that of their ``target`` case). Fires the machine's
        opening event with ``data``, which must be JSON (see :meth:`fire`)."""
        on = ensure_date(on, "on")
        machine, case_kind = self._kind(kind, data)
        subject_id = _subject_id(subject)
        _check_actor(actor)
        if idempotency_key is not None and (done := self._replayed(idempotency_key)) is not None:
            return done
        for _ in range(_RETRIES):
            waiting = len(self._pending.events) if self._pending else 0
            case_id = f"{machine}-{self._store.head()[0] + waiting + 1}"
            try:
                opening = MACHINES[machine].opening.event
                step = _Step(machine, case_kind, subject_id, case_id, opening, on, actor, data)
                return self._commit(step, idempotency_key, expected_version=0)
            except Conflict:
                if self._store.case(case_id) is None:
                    raise
        raise Conflict(case_id, 0, 1)

    def fire(
        self,
        case_id: str,
        event: str,
        *,
        on: dt.date,
        actor: Actor,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
        **data: Any,
    ) -> Case:
        """Fire ``event`` on a case. A used ``idempotency_key`` returns the case as that event
        left it, writing nothing; a stale ``expected_version`` raises
        :class:`~creditflow.errors.Conflict`.

        ``data`` is kept as JSON that any language reads back alike: str, bool, None, int
        within ±(2**53 - 1), finite float, dates (as ISO text), lists, tuples and sets (as
        lists) and dicts with str keys, at most 32 levels deep and 1,000,000 bytes; anything
        else is :class:`~creditflow.errors.InvalidInput` naming the part, and nothing is
        written."""
        on = ensure_date(on, "on")
        ensure_str(event, "event")
        _check_actor(actor)
        if expected_version is not None:
            ensure_seq(expected_version, "expected_version")
        if idempotency_key is not None and (done := self._replayed(idempotency_key)) is not None:
            return done
        remembered = self._pending is None and isinstance(case_id, str) and case_id in self._recent
        try:
            return self._fire(case_id, event, on, actor, expected_version, idempotency_key, data)
        except Conflict:
            if not remembered:
                raise
            self._recent.pop(case_id, None)
        # The case came from memory and another writer may have moved it: once more, afresh.
        return self._fire(case_id, event, on, actor, expected_version, idempotency_key, data)

    def _fire(
        self,
        case_id: str,
        event: str,
        on: dt.date,
        actor: Actor,
        expected_version: int | None,
        idempotency_key: str | None,
        data: dict[str, Any],
    ) -> Case:
        case = self._case(case_id, recent=True)
        if expected_version is not None and expected_version != case.version:
            raise Conflict(case_id, expected_version, case.version)
        step = _Step(case.machine, case.kind, case.subject_id, case_id, event, on, actor, data)
        return self._commit(step, idempotency_key, expected_version=case.version, before=case)

    def _commit(
        self, step: _Step, key: str | None, *, expected_version: int, before: Case | None = None
    ) -> Case:
        batch = self._pending or _Batch(self)
        mark = batch.mark()
        try:
            batch.expect(step.case_id, expected_version)
            outcome = batch.run(step, before, key)
        except BaseException:
            batch.undo_to(mark)
            raise
        if batch is not self._pending:
            self._append(batch)
        case = _with_effects(outcome.case, batch.reported[mark[1] :])
        if key is not None:
            batch.keyed[key] = case
        return case

    def _append(self, batch: _Batch) -> None:
        """Append a batch's events and rows; keep its cases as the recent versions."""
        try:
            self._store.append(batch.events, batch.rows(), expected=batch.expected)
        except Conflict:
            for case_id in batch.expected:
                self._recent.pop(case_id, None)
            raise
        self._remember(batch.cases.values())

    def _remember(self, cases: Iterable[Case]) -> None:
        recent = self._recent
        for case in cases:
            recent.pop(case.case_id, None)  # re-inserted last: the most recent
            recent[case.case_id] = case
        while len(recent) > _RECENT_CASES:
            del recent[next(iter(recent))]

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group many changes into one transaction, for speed (imports, simulations).

        Inside the ``with`` block every ``open_case`` and ``fire`` is checked and applied as
        usual, and a refused one leaves no trace; the block's changes are appended together
        when it ends, or not at all if it ends with an exception. A change repeated with an
        idempotency key used earlier in the batch returns what that change returned, as it
        does for a key in the store. Batches do not nest.
        """
        if self._pending is not None:
            raise InvalidInput("CreditBook.batch() blocks do not nest")
        self._pending = _Batch(self)
        try:
            yield
            if self._pending.events:
                self._append(self._pending)
        finally:
            self._pending = None

    # ------------------------------------------------------------------ reading

    def get(self, case_id: str) -> Case:
        """A case with its full history."""
        case = self._case(case_id)
        history = tuple(_entry(e) for e in self._store.events(case_id=case_id))
        return _with_history(case, history)

    def cases(
        self,
        *,
        subject_id: Subject | str | None = None,
        machine: str | None = None,
        open_only: bool = False,
    ) -> Iterator[Case]:
        """Cases matching every filter given. ``subject_id`` is checked as everywhere (a
        credit code or resident ID; a vehicle or vessel is given as its ``Subject``)."""
        if subject_id is not None:
            subject_id = _subject_id(subject_id)
        check_case_filters(subject_id, machine, open_only)
        return self._cases(subject_id, machine, open_only)

    def _cases(
        self, subject_id: str | None, machine: str | None, open_only: bool
    ) -> Iterator[Case]:
        for row in self._store.cases(subject_id=subject_id, machine=machine, open_only=open_only):
            yield _case_of(row)

    def knows(self, subject_id: Subject | str) -> bool:
        """True if the book holds any case of the subject (pending batch changes included)."""
        subject_id = _subject_id(subject_id)
        pending = self._pending.cases.values() if self._pending else ()
        return any(c.subject_id == subject_id for c in pending) or self._store.has_cases(subject_id)

    def status(self, subject_id: Subject | str, *, on: dt.date) -> CreditStatus:
        """The subject's credit status on ``on``: ``subject_id`` is a unified social credit
        code or resident ID (checked), or a :class:`~creditflow.Subject` of any kind."""
        on = ensure_date(on, "on")
        subject_id = _subject_id(subject_id)
        policy = self.policy_on(on)
        rows = self._store.cases(subject_id=subject_id, open_or=_bearing_on(on))
        cases = [_case_of(row) for row in rows]
        return derive_status(policy, subject_id, cases, on, self._add, self._policy_at)

    def overdue(self, *, on: dt.date) -> list[tuple[Case, DeadlineState]]:
        """Every due deadline overdue on ``on``, as it stood that day: not met by its last
        day, nor by ``on`` (one met late is listed for the days it was overdue)."""
        on = ensure_date(on, "on")
        found = []
        for case in self._cases(None, None, False):
            found += [(case, d) for d in case.overdue(on)]
        return sorted(found, key=lambda item: (item[1].last_day, item[0].case_id))

    def run_due(self, *, on: dt.date) -> list[Case]:
        """Fire, as ``system``, the automatic ends whose time has come by ``on``: listings
        expire after their duration, records end publication after their maximum window.

        A case whose state its end does not fire from (a listing decided but never published)
        is left as it is; :meth:`overdue` keeps showing it."""
        fired = []
        for case, deadline in self.overdue(on=on):
            event = _AUTOMATIC.get((case.machine, deadline.name))
            if event is None:
                continue
            current = self._case(case.case_id)
            if current.version != case.version or deadline.met_on is not None:
                continue  # already moved by an earlier follow-up, or met after ``on``
            transition = MACHINES[case.machine].transition(event)
            if transition is None or current.state not in transition.sources:
                continue
            data: dict[str, Any] = (
                {"reason": f"{deadline.name} reached"} if case.machine == "record" else {}
            )
            fired.append(self.fire(case.case_id, event, on=on, actor=SYSTEM, **data))
        return fired

    def events(self, *, case_id: str | None = None, after: int = 0) -> Iterator[StoredEvent]:
        """The events, in order; ``after`` is a sequence number (0 for all)."""
        check_event_filters(case_id, after)
        return self._store.events(case_id=case_id, after=after)

    def head(self) -> tuple[int, str]:
        """The number of events and the hash of the last one: equal heads, equal books."""
        return self._store.head()

    def anchor(self) -> Anchor:
        """The head as an :class:`~creditflow.book.anchors.Anchor` (``str()`` gives
        ``SEQ:HASH``): print it on what you publish from the book."""
        return Anchor(*self._store.head())

    def earliest_on(self) -> dt.date | None:
        """The earliest business date of any event (None for an empty book)."""
        return self._store.earliest_on()

    def verify(
        self, *, anchors: Iterable[Anchor | str | tuple[int, str]] = (), deep: bool = False
    ) -> ChainReport:
        """Check the book; the report names the first problem.

        Every event's hash and link, every ``anchors`` (heads published earlier, as
        :class:`~creditflow.book.anchors.Anchor`, ``"SEQ:HASH"`` or ``(seq, hash)``: each must
        still be in the chain) and every projection against the digest its case's last event
        recorded, in one pass. ``deep=True`` then replays every event under the book's policy
        and compares each case with its projection field by field.
        """
        ensure_bool(deep, "deep")
        report = self._store.verify(anchors=anchor_map(anchors))
        if not deep or not report.ok:
            return report
        return _compare(report, self.replay(), self._store.cases())

    def replay(self) -> dict[str, Case]:
        """Every case rebuilt from the events alone (projections are not read).

        :class:`~creditflow.errors.BookCorrupt` names the first event that cannot be replayed
        (an event changed outside creditflow; :meth:`verify` tells more)."""
        cases: dict[str, Case] = {}
        subject_cases = self._subject_cases(cases)
        with gc_paused():
            for stored in self._store.events():
                try:
                    self._apply_recorded(stored, cases, cases.get, subject_cases)
                except (KeyError, TypeError, AttributeError) as exc:
                    raise BookCorrupt(
                        f"it cannot be replayed ({type(exc).__name__}: {exc})", seq=stored.seq
                    ) from None
        return cases

    def rebuild(self) -> int:
        """Replace every projection by the replay of the events; returns the cases rebuilt."""
        cases = self.replay()
        self._recent.clear()
        self._store.replace_cases([_row(c) for c in cases.values()])
        return len(cases)

    # ------------------------------------------------------------------ helpers

    def _add(self, day: dt.date, period: Period) -> dt.date:
        return self._calendar.add_period(day, period, provisional=True).date

    def _case(self, case_id: object, *, recent: bool = False) -> Case:
        """A case as it stands (in the pending batch, or the store). ``recent`` allows the
        copy kept in memory, which another writer may have moved since: only for a change,
        whose append checks the version."""
        ensure_str(case_id, "case_id")
        if self._pending is not None and str(case_id) in self._pending.cases:
            return self._pending.cases[str(case_id)]
        case = self._recent.get(str(case_id)) if recent else None
        if case is None:
            row = self._store.case(str(case_id))
            if row is None:
                raise UnknownCase(case_id)
            case = _case_of(row)
            self._remember((case,))
        return case

    def _replayed(self, key: str) -> Case | None:
        """The case as the event stored under ``key`` left it, with its history so far (or,
        for a key used earlier in the pending batch, as that change returned it)."""
        if self._pending is not None and key in self._pending.keyed:
            return self._pending.keyed[key]
        stored = self._store.by_idempotency_key(ensure_str(key, "idempotency_key"))
        if stored is None:
            return None
        history = [e for e in self._store.events(case_id=stored.case_id) if e.seq <= stored.seq]
        cases: dict[str, Case] = {}
        for event in history:
            case = self._apply_recorded(
                event, cases, self._lookup(cases), self._subject_cases(cases)
            )
        return _with_history(case, tuple(_entry(e) for e in history))

    def _apply_recorded(
        self,
        stored: StoredEvent,
        cases: dict[str, Case],
        lookup: Callable[[str], Case | None],
        subject_cases: Callable[[str], list[Case]],
    ) -> Case:
        """Re-apply one recorded event (no checks: it was checked when written)."""
        before = cases.get(stored.case_id)
        data = stored.data
        if before is None:  # only the opening event carries the case's identity
            data = dict(data)
            machine, kind = str(data.pop("_machine")), str(data.pop("_kind"))
            subject = str(data.pop("_subject"))
            data.pop(PACK_KEY, None)
        else:
            machine, kind, subject = before.machine, before.kind, before.subject_id
            if PACK_KEY in data:  # absent from events written before it was recorded
                data = dict(data)
                del data[PACK_KEY]
        ctx = TransitionContext(  # positional, in field order (once per event: it counts)
            self.policy_on(stored.on),
            self._calendar,
            machine,
            kind,
            subject,
            before,  # case
            stored.event,
            stored.on,
            _recorded_actor(stored.actor),
            data,
            lookup,
            subject_cases,
            self._policy_at,
        )
        case = apply(ctx, stored.case_id, replay=True).case
        cases[stored.case_id] = case
        return case

    def _lookup(self, pending: Mapping[str, Case]) -> Callable[[str], Case | None]:
        def lookup(case_id: str) -> Case | None:
            if case_id in pending:
                return pending[case_id]
            row = self._store.case(case_id)
            return _case_of(row) if row else None

        return lookup

    def _subject_cases(self, pending: Mapping[str, Case]) -> Callable[[str], list[Case]]:
        def subject_cases(subject_id: str) -> list[Case]:
            cases = {case.case_id: case for case in self._cases(subject_id, None, False)}
            cases.update((k, c) for k, c in pending.items() if c.subject_id == subject_id)
            return list(cases.values())

        return subject_cases

    def _context(self, step: _Step, case: Case | None, batch: _Batch) -> TransitionContext:
        return TransitionContext(  # positional, in field order (once per event: it counts)
            self.policy_on(step.on),
            self._calendar,
            step.machine,
            step.kind,
            step.subject_id,
            case,
            step.event,
            step.on,
            step.actor,
            step.data,
            batch.lookup,
            batch.subject_cases,
            self._policy_at,
        )

    def _kind(self, kind: object, data: Mapping[str, Any]) -> tuple[str, str]:
        text = ensure_str(kind, "kind")
        machine, _, case_kind = text.partition(".")
        if machine not in MACHINES:
            raise UnknownName("case kind", text, sorted(MACHINES))
        if machine in ("repair", "objection") and not case_kind:
            target = self._store.case(str(data.get("target")))
            if target is None:
                raise UnknownCase(data.get("target"))
            case_kind = target.machine
        return machine, case_kind


@attrs.frozen
class _Step:
    """One event to apply: its case (machine, kind, subject, id), what, when and by whom."""

    machine: str
    kind: str
    subject_id: str
    case_id: str
    event: str
    on: dt.date
    actor: Actor
    data: Mapping[str, Any]


class _Batch:
    """One transaction: events and new case versions of transitions and their follow-ups.

    A refused transition is undone from the batch (:meth:`undo_to`) so that a batch holds only
    whole transitions.
    """

    def __init__(self, book: CreditBook) -> None:
        self.book = book
        self.cases: dict[str, Case] = {}
        self.expected: dict[str, int] = {}
        self.events: list[NewEvent] = []
        self.reported: list[Effect] = []
        self.keyed: dict[str, Case] = {}  # what each idempotency key's change returned
        self._undo: list[tuple[str, Case | None, int | None]] = []
        self.lookup = book._lookup(self.cases)
        self.subject_cases = book._subject_cases(self.cases)

    def mark(self) -> tuple[int, int, int]:
        """A point to undo to."""
        return (len(self.events), len(self.reported), len(self._undo))

    def undo_to(self, mark: tuple[int, int, int]) -> None:
        """Forget everything done since ``mark``."""
        events, reported, undo = mark
        del self.events[events:], self.reported[reported:]
        while len(self._undo) > undo:
            case_id, case, expected = self._undo.pop()
            _restore(self.cases, case_id, case)
            _restore(self.expected, case_id, expected)

    def expect(self, case_id: str, version: int) -> None:
        """The version the store must hold for ``case_id`` (the first one seen wins)."""
        if case_id not in self.expected:
            self._undo.append((case_id, self.cases.get(case_id), None))
            self.expected[case_id] = version

    def run(self, step: _Step, before: Case | None, key: str | None) -> Outcome:
        """Apply one step and its follow-ups to the batch."""
        policy = self.book.policy_on(step.on)
        kinds = case_kinds(policy, MACHINES[step.machine].kinds)
        if step.kind not in kinds:
            raise UnknownName(f"{step.machine} kind", step.kind, kinds)
        ctx = self.book._context(step, before, self)
        outcome = apply(ctx, step.case_id)
        case_id = step.case_id
        self._undo.append((case_id, self.cases.get(case_id), self.expected.get(case_id)))
        self.cases[case_id] = outcome.case
        stored = {name: outcome.case.data[name] for name in step.data}  # JSON-ready
        if before is None:  # the opening event names its case, for replays
            stored |= {"_machine": step.machine, "_kind": step.kind, "_subject": step.subject_id}
        stored[PACK_KEY] = _pack_tag(policy)  # the exact pack that governed the event
        version = outcome.case.version
        self.events.append(
            NewEvent(case_id, version, step.event, step.on, step.actor.id, stored, key)
        )
        self.reported += outcome.effects
        for follow in outcome.follow_ups:
            self._follow(follow, step.subject_id, step.on)
        return outcome

    def _follow(self, follow: FollowUp, subject_id: str, on: dt.date) -> None:
        current = self.cases.get(follow.case_id) or _stored(self.book, follow.case_id)
        if current is not None:
            kind, subject = current.kind, current.subject_id
        elif follow.kind is not None:
            kind, subject = follow.kind, subject_id
        else:
            raise TransitionRefused(
                f"follow-up {follow.event!r} on a missing case {follow.case_id}"
            )
        self.expect(follow.case_id, current.version if current else 0)
        step = _Step(
            follow.machine, kind, subject, follow.case_id, follow.event, on, SYSTEM, follow.data
        )
        self.run(step, current, None)

    def rows(self) -> list[CaseRow]:
        return [_row(case) for case in self.cases.values()]


def _restore(mapping: dict[str, Any], key: str, value: object) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value


def _stored(book: CreditBook, case_id: str) -> Case | None:
    row = book._store.case(case_id)
    return _case_of(row) if row else None


@functools.lru_cache(maxsize=1024)
def _recorded_actor(actor_id: str) -> Actor:
    """The actor of a recorded event, for replays (roles are not recorded, nor needed)."""
    return Actor(actor_id, frozenset({"system"}))


def _case_of(row: CaseRow) -> Case:
    """The case a projection holds; :class:`BookCorrupt` if its body cannot be read."""
    try:
        return Case.from_body(row.body)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BookCorrupt(
            f"its body cannot be read ({type(exc).__name__}: {exc})", case_id=row.case_id
        ) from None


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
            else _difference(row, _row(case))
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


def _row(case: Case) -> CaseRow:
    return CaseRow(
        case_id=case.case_id,
        machine=case.machine,
        kind=case.kind,
        subject_id=case.subject_id,
        state=case.state,
        version=case.version,
        closed=case.closed,
        last_on=case.last_on,
        body=case.to_body(),
    )


def _entry(stored: StoredEvent) -> HistoryEntry:
    return HistoryEntry(stored.version, stored.event, stored.on, stored.actor, stored.data)


def _with_history(case: Case, history: tuple[HistoryEntry, ...]) -> Case:
    return attrs.evolve(case, history=history)


def _with_effects(case: Case, effects: list[Effect]) -> Case:
    return attrs.evolve(case, effects=tuple(effects)) if effects else case


def _subject_id(subject: object) -> str:
    """The id of a :class:`Subject` (checked when it was built), or text checked as a unified
    social credit code or resident ID."""
    if isinstance(subject, Subject):
        return subject.id
    return checked_subject_id(subject)


def _check_actor(actor: object) -> None:
    if not isinstance(actor, Actor):
        raise InvalidInput(
            f"actor must be a creditflow.workflows.Actor, got {shown(actor)}"
            f" that is {a_type(actor)}"
        )


def _pack_tag(policy: Policy) -> str:
    """``name@version#`` and the pack's content digest (``Policy.digest``, 64 hex digits):
    what each event records of the pack that governed it (two files of the same version with
    different content get different tags)."""
    return f"{policy.key}#{policy.digest}"


def _check_policy(policy: Policy) -> None:
    """A policy the book runs passes the one soundness check, as ``load_policy`` does."""
    report = analyse_policy(policy)
    if not report.ok:
        raise PolicyAnalysisError(policy.origin, report)


def _bearing_on(on: dt.date) -> ClosedRows:
    """The closed cases that can still bear on a status on ``on``: closed after it, records,
    listings, breached commitments and revoked repairs."""
    return ClosedRows(after=on, machines=BEARING_MACHINES, states=BEARING_STATES)
