"""The book's unit of work: the events and case versions of one transaction.

Every change runs in one: alone, or grouped with others by a ``batch()`` block.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from creditflow.book._cases import SYSTEM, pack_tag, row_of
from creditflow.book._repository import Repository
from creditflow.book._transitions import Transitions
from creditflow.book.rows import PACK_KEY, CaseRow, NewEvent
from creditflow.errors import InvalidInput, TransitionRefused, UnknownName
from creditflow.policy.model import Policy
from creditflow.workflows.case import Actor, Case, Effect
from creditflow.workflows.definitions import MACHINES
from creditflow.workflows.effects import FollowUp
from creditflow.workflows.settings import case_kinds
from creditflow.workflows.transition import Outcome, apply

__all__ = ["Mark", "Step", "UnitOfWork", "batch"]

Mark = tuple[int, int, int]
"""A point of a unit of work to undo to."""


class Step(NamedTuple):
    """One event to apply: its case (machine, kind, subject, id), what, when and by whom (a
    tuple: one is made per event)."""

    machine: str
    kind: str
    subject_id: str
    case_id: str
    event: str
    on: dt.date
    actor: Actor
    data: Mapping[str, Any]


class UnitOfWork:
    """One transaction: events and new case versions of transitions and their follow-ups.

    A refused transition is undone (:meth:`undo_to`) so that a unit holds only whole
    transitions.
    """

    def __init__(self, repository: Repository, transitions: Transitions) -> None:
        self.repository = repository
        self.transitions = transitions
        self.cases: dict[str, Case] = {}
        self.expected: dict[str, int] = {}
        self.events: list[NewEvent] = []
        self.reported: list[Effect] = []
        self.keyed: dict[str, tuple[str, Case]] = {}  # each idempotency key's event and case
        self.head: int | None = None  # the store's head seq, once a new case id needs it
        self._undo: list[tuple[str, Case | None, int | None]] = []
        self.lookup = repository.lookup(self.cases)
        self.subject_cases = repository.subject_cases(self.cases)

    def mark(self) -> Mark:
        """A point to undo to."""
        return (len(self.events), len(self.reported), len(self._undo))

    def settle(self, mark: Mark) -> None:
        """Keep everything done since ``mark`` for good: what undoing it would need (the
        versions it replaced) is let go, so that a long ``batch()`` holds each case once."""
        del self._undo[mark[2] :]

    def undo_to(self, mark: Mark) -> None:
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

    def run(self, step: Step, before: Case | None, key: str | None) -> Outcome:
        """Apply one step and its follow-ups to the unit."""
        policy = self.transitions.policy_on(step.on)
        kinds = _kinds(policy, step.machine)
        if step.kind not in kinds:
            raise UnknownName(f"{step.machine} kind", step.kind, kinds)
        ctx = self.transitions.context(
            step.machine, step.kind, step.subject_id, before, step.event, step.on, step.actor,
            step.data, self.lookup, self.subject_cases, policy,
        )  # fmt: skip
        outcome = apply(ctx, step.case_id)
        case_id = step.case_id
        self._undo.append((case_id, self.cases.get(case_id), self.expected.get(case_id)))
        self.cases[case_id] = outcome.case
        stored = {name: outcome.case.data[name] for name in step.data}  # JSON-ready
        if before is None:  # the opening event names its case, for replays
            stored |= {"_machine": step.machine, "_kind": step.kind, "_subject": step.subject_id}
        stored[PACK_KEY] = pack_tag(policy)  # the exact pack that governed the event
        version = outcome.case.version
        self.events.append(
            NewEvent(case_id, version, step.event, step.on, step.actor.id, stored, key)
        )
        self.reported += outcome.effects
        for follow in outcome.follow_ups:
            self._follow(follow, step.subject_id, step.on, case_id)
        return outcome

    def _follow(self, follow: FollowUp, subject_id: str, on: dt.date, source: str) -> None:
        current = self.cases.get(follow.case_id)
        if current is None and not (follow.kind is not None and self.expected.get(source) == 0):
            current = self.repository.stored(follow.case_id)
        # else: a case a follow-up opens has an id derived from its source (FollowUp), and a
        # source opened in this unit has none in the store yet: the store is not asked (were
        # another writer to take the source's id meanwhile, the append conflicts on it)
        if current is not None:
            kind, subject = current.kind, current.subject_id
        elif follow.kind is not None:
            kind, subject = follow.kind, subject_id
        else:
            raise TransitionRefused(
                f"follow-up {follow.event!r} on a missing case {follow.case_id}"
            )
        self.expect(follow.case_id, current.version if current else 0)
        step = Step(
            follow.machine, kind, subject, follow.case_id, follow.event, on, SYSTEM, follow.data
        )
        self.run(step, current, None)

    def rows(self) -> list[CaseRow]:
        """The projection rows of the unit's cases."""
        return [row_of(case) for case in self.cases.values()]


@contextlib.contextmanager
def batch(repository: Repository, transitions: Transitions) -> Iterator[None]:
    """Open one unit of work for the block (see :meth:`CreditBook.batch`); save it at the end."""
    if repository.pending is not None:
        raise InvalidInput("CreditBook.batch() blocks do not nest")
    unit = repository.pending = UnitOfWork(repository, transitions)
    try:
        yield
        if unit.events:
            repository.save(unit)
    finally:
        repository.pending = None


@functools.lru_cache(maxsize=256)
def _kinds(policy: Policy, machine: str) -> tuple[str, ...]:
    """The kinds a case of ``machine`` may have under ``policy`` (a policy is immutable)."""
    return case_kinds(policy, MACHINES[machine].kinds)


def _restore(mapping: dict[str, Any], key: str, value: object) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value
