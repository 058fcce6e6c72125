"""The credit book (信用档案): workflows applied to cases, every change an appended event.

:class:`CreditBook` is the one façade; behind it each part does one job (docs/book.md,
"The book's parts"): :mod:`._commands` (``open_case``, ``fire``), :mod:`._unit` (the unit of
work, ``batch``), :mod:`._queries` (``get``, ``cases``, ``knows``, ``status``, ``overdue``),
:mod:`._scheduler` (``run_due``) and :mod:`._log` (``events``, ``verify``, ``replay``,
``rebuild``, ``anchor``), sharing :mod:`._repository` (cases as they stand),
:mod:`._transitions` (the transition context, built in one place) and :mod:`._policies`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any, Self

from creditflow.book._cases import SYSTEM
from creditflow.book._commands import Commands
from creditflow.book._log import Log
from creditflow.book._policies import Policies, PolicySource
from creditflow.book._queries import Queries
from creditflow.book._repository import Repository
from creditflow.book._scheduler import Scheduler
from creditflow.book._transitions import Transitions
from creditflow.book._unit import batch
from creditflow.book.anchors import Anchor
from creditflow.book.overdue import Overdue
from creditflow.book.rows import StoredEvent
from creditflow.book.status import CreditStatus
from creditflow.book.store import ChainReport, EventStore
from creditflow.book.stores import open_store
from creditflow.calendar.workdays import WorkdayCalendar
from creditflow.core.subjects import Subject
from creditflow.policy.model import Policy
from creditflow.workflows.case import Actor, Case

__all__ = ["SYSTEM", "CreditBook"]


class CreditBook:
    """Cases of every workflow on one event store, under the policy in force on each date.

    Build it with :meth:`open` (a SQLite file, the embedded default) or :meth:`memory`, or
    give it any :class:`~creditflow.book.store.EventStore`.
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
        self._policies = Policies(policy)
        self._transitions = Transitions(self.policy_on, calendar or WorkdayCalendar.china())
        self._repository = Repository(store)
        self._commands = Commands(self._repository, self._transitions)
        self._queries = Queries(self._repository, self._transitions)
        self._scheduler = Scheduler(self._repository, self.overdue, self.fire)
        self._log = Log(self._repository, self._transitions)

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
        """A book on a SQLite file (created if absent), or in the PostgreSQL database of a
        ``postgresql://`` URL (see :class:`~creditflow.book.postgres_store.PostgresStore`).
        ``read_only=True`` opens an existing book without writing to it (see
        :class:`~creditflow.SqliteStore`): reads, :meth:`verify` and :meth:`replay` work,
        every change is refused."""
        store = open_store(path, clock=clock, read_only=read_only)
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
        self._repository.recent.clear()
        self._repository.store.close()

    # ------------------------------------------------------------------ policy

    def policy_on(self, on: dt.date) -> Policy:
        """The policy that governs acts dated ``on``. It passes the one soundness check
        (:func:`creditflow.workflows.soundness.analyse_policy`): ``load_policy`` runs it on a
        pack named by source, and a :class:`Policy` given to the book is checked once."""
        return self._policies.on(on)

    # ------------------------------------------------------------------ commands

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
        return self._commands.open_case(
            kind, subject, on=on, actor=actor, idempotency_key=idempotency_key, data=data
        )

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
        return self._commands.fire(
            case_id, event, on=on, actor=actor, expected_version=expected_version,
            idempotency_key=idempotency_key, data=data,
        )  # fmt: skip

    # ------------------------------------------------------------------ unit of work

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group many changes into one transaction, for speed (imports, simulations).

        Inside the ``with`` block every ``open_case`` and ``fire`` is checked and applied as
        usual, and a refused one leaves no trace; the block's changes are appended together
        when it ends, or not at all if it ends with an exception. A change repeated with an
        idempotency key used earlier in the batch returns what that change returned, as it
        does for a key in the store. Batches do not nest.
        """
        with batch(self._repository, self._transitions):
            yield

    # ------------------------------------------------------------------ queries

    def get(self, case_id: str) -> Case:
        """A case with its full history."""
        return self._queries.get(case_id)

    def cases(
        self,
        *,
        subject_id: Subject | str | None = None,
        machine: str | None = None,
        open_only: bool = False,
    ) -> Iterator[Case]:
        """Cases matching every filter given. ``subject_id`` is checked as everywhere (a
        credit code or resident ID; a vehicle or vessel is given as its ``Subject``)."""
        return self._queries.cases(subject_id=subject_id, machine=machine, open_only=open_only)

    def knows(self, subject_id: Subject | str) -> bool:
        """True if the book holds any case of the subject (pending batch changes included)."""
        return self._queries.knows(subject_id)

    def status(
        self, subject_id: Subject | str, *, on: dt.date, open_cases: bool = True
    ) -> CreditStatus:
        """The subject's credit status on ``on``: ``subject_id`` is a unified social credit
        code or resident ID (checked), or a :class:`~creditflow.Subject` of any kind.

        ``open_cases=False`` leaves out of ``open_cases`` the open cases other than records
        and listings (commitments, repairs, objections), which bear on nothing else of the
        status: its records, listings, flags and repair are the same, and its cost does not
        grow with the subject's open cases. :func:`creditflow.check` reads it so."""
        return self._queries.status(subject_id, on=on, open_cases=open_cases)

    def overdue(self, *, on: dt.date) -> list[Overdue]:
        """Every due deadline overdue on ``on``, as it stood that day: not met by its last
        day, nor by ``on`` (one met late is listed for the days it was overdue)."""
        return self._queries.overdue(on=on)

    # ------------------------------------------------------------------ scheduler

    def run_due(self, *, on: dt.date) -> list[Case]:
        """Fire, as ``system``, the automatic ends whose time has come by ``on``: listings
        expire after their duration, records end publication after their maximum window.

        A case whose state its end does not fire from (a listing decided but never published)
        is left as it is; :meth:`overdue` keeps showing it."""
        return self._scheduler.run_due(on=on)

    # ------------------------------------------------------------------ log

    def events(self, *, case_id: str | None = None, after: int = 0) -> Iterator[StoredEvent]:
        """The events, in order; ``after`` is a sequence number (0 for all)."""
        return self._log.events(case_id=case_id, after=after)

    def head(self) -> tuple[int, str]:
        """The number of events and the hash of the last one: equal heads, equal books."""
        return self._log.head()

    def anchor(self) -> Anchor:
        """The head as an :class:`~creditflow.book.anchors.Anchor` (``str()`` gives
        ``SEQ:HASH``): print it on what you publish from the book."""
        return self._log.anchor()

    def earliest_on(self) -> dt.date | None:
        """The earliest business date of any event (None for an empty book)."""
        return self._log.earliest_on()

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
        return self._log.verify(anchors=anchors, deep=deep)

    def replay(self) -> dict[str, Case]:
        """Every case rebuilt from the events alone (projections are not read).

        :class:`~creditflow.errors.BookCorrupt` names the first event that cannot be replayed
        (an event changed outside creditflow; :meth:`verify` tells more)."""
        return self._log.replay()

    def rebuild(self) -> int:
        """Replace every projection by the replay of the events; returns the cases rebuilt."""
        return self._log.rebuild()
