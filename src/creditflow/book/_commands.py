"""The book's commands: open a case, fire an event; each checked, applied and appended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from creditflow._validation import ensure_date, ensure_seq, ensure_str
from creditflow.book._cases import check_actor, entry, subject_id_of, with_effects, with_history
from creditflow.book._repository import Repository
from creditflow.book._transitions import Transitions
from creditflow.book._unit import Step, UnitOfWork
from creditflow.core.subjects import Subject
from creditflow.errors import (
    Conflict,
    IdempotencyKeyReused,
    TransitionRefused,
    UnknownCase,
    UnknownName,
)
from creditflow.workflows.case import Actor, Case
from creditflow.workflows.definitions import MACHINES

__all__ = ["Commands"]

_RETRIES = 5  # attempts when another writer takes the case id we allocated


class Commands:
    """``open_case`` and ``fire`` (see :class:`~creditflow.CreditBook` for their contract)."""

    def __init__(self, repository: Repository, transitions: Transitions) -> None:
        self.repository = repository
        self.transitions = transitions

    def open_case(
        self,
        kind: str,
        subject: Subject | str,
        *,
        on: dt.date,
        actor: Actor,
        idempotency_key: str | None = None,
        data: dict[str, Any],
    ) -> Case:
        on = ensure_date(on, "on")
        machine, case_kind = self._kind(kind, data)
        subject_id = subject_id_of(subject)
        check_actor(actor)
        opening = MACHINES[machine].opening.event
        if idempotency_key is not None and (done := self._replayed(idempotency_key)) is not None:
            return _same_act(idempotency_key, done, opening, machine=machine, subject=subject_id)
        try:
            return self._open(machine, case_kind, subject_id, opening, on, actor, idempotency_key,
                              data)  # fmt: skip
        except TransitionRefused:  # a guard the racing first try made refuse (see fire)
            if idempotency_key is not None and (done := self._raced(idempotency_key)):
                return _same_act(idempotency_key, done, opening, machine=machine,
                                 subject=subject_id)  # fmt: skip
            raise

    def _open(
        self,
        machine: str,
        case_kind: str,
        subject_id: str,
        opening: str,
        on: dt.date,
        actor: Actor,
        idempotency_key: str | None,
        data: dict[str, Any],
    ) -> Case:
        store, pending = self.repository.store, self.repository.pending
        for _ in range(_RETRIES):
            if pending is None:
                case_id = f"{machine}-{store.head()[0] + 1}"
            else:  # the head read once per batch: its events are appended after it
                if pending.head is None:
                    pending.head = store.head()[0]
                case_id = f"{machine}-{pending.head + len(pending.events) + 1}"
            try:
                step = Step(machine, case_kind, subject_id, case_id, opening, on, actor, data)
                return self._commit(step, idempotency_key, expected_version=0)
            except Conflict:
                if idempotency_key is not None and (done := self._raced(idempotency_key)):
                    return _same_act(idempotency_key, done, opening, machine=machine,
                                     subject=subject_id)  # fmt: skip
                if store.case(case_id) is None:
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
        data: dict[str, Any],
    ) -> Case:
        on = ensure_date(on, "on")
        ensure_str(event, "event")
        check_actor(actor)
        if expected_version is not None:
            ensure_seq(expected_version, "expected_version")
        if idempotency_key is not None and (done := self._replayed(idempotency_key)) is not None:
            return _same_act(idempotency_key, done, event, case_id=case_id)
        try:
            return self._fire_or_race(case_id, event, on, actor, expected_version,
                                      idempotency_key, data)  # fmt: skip
        except TransitionRefused:
            # a writer racing with the same key may have fired it first: the case then refuses
            # the event (notify after notify), and the retry returns what the first did
            if idempotency_key is not None and (done := self._raced(idempotency_key)):
                return _same_act(idempotency_key, done, event, case_id=case_id)
            raise

    def _fire_or_race(
        self,
        case_id: str,
        event: str,
        on: dt.date,
        actor: Actor,
        expected_version: int | None,
        idempotency_key: str | None,
        data: dict[str, Any],
    ) -> Case:
        """:meth:`_fire`; on a conflict, the act a writer racing with the same key stored, or
        once more from the store when the case came from memory."""
        repository = self.repository
        remembered = (
            repository.pending is None and isinstance(case_id, str) and case_id in repository.recent
        )
        try:
            return self._fire(case_id, event, on, actor, expected_version, idempotency_key, data)
        except Conflict:
            if idempotency_key is not None and (done := self._raced(idempotency_key)):
                return _same_act(idempotency_key, done, event, case_id=case_id)
            if not remembered:
                raise
            repository.recent.pop(case_id, None)
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
        case = self.repository.case(case_id, recent=True)
        if expected_version is not None and expected_version != case.version:
            raise Conflict(case_id, expected_version, case.version)
        step = Step(case.machine, case.kind, case.subject_id, case_id, event, on, actor, data)
        return self._commit(step, idempotency_key, expected_version=case.version, before=case)

    def _commit(
        self, step: Step, key: str | None, *, expected_version: int, before: Case | None = None
    ) -> Case:
        pending = self.repository.pending
        unit = pending or UnitOfWork(self.repository, self.transitions)
        mark = unit.mark()
        try:
            unit.expect(step.case_id, expected_version)
            outcome = unit.run(step, before, key)
        except BaseException:
            unit.undo_to(mark)
            raise
        unit.settle(mark)
        if unit is not pending:
            self.repository.save(unit)
        case = with_effects(outcome.case, unit.reported[mark[1] :])
        if key is not None:
            unit.keyed[key] = (step.event, case)
        return case

    def _raced(self, key: str) -> tuple[str, Case] | None:
        """After a conflict outside a batch: the act a writer racing with the same key stored
        (a retry sent twice at once returns what the first did), if any."""
        if self.repository.pending is not None:
            return None
        return self._replayed(key)

    def _replayed(self, key: str) -> tuple[str, Case] | None:
        """The event stored under ``key`` and the case as it left it, with its history so far
        (or, for a key used earlier in the pending unit of work, as that change returned it)."""
        repository = self.repository
        if repository.pending is not None and key in repository.pending.keyed:
            return repository.pending.keyed[key]
        store = repository.store
        stored = store.by_idempotency_key(ensure_str(key, "idempotency_key"))
        if stored is None:
            return None
        history = [e for e in store.events(case_id=stored.case_id) if e.seq <= stored.seq]
        cases: dict[str, Case] = {}
        lookup, subject_cases = repository.lookup(cases), repository.subject_cases(cases)
        for event in history:
            case = self.transitions.replay(event, cases, lookup, subject_cases)
        return stored.event, with_history(case, tuple(entry(e) for e in history))

    def _kind(self, kind: object, data: Mapping[str, Any]) -> tuple[str, str]:
        text = ensure_str(kind, "kind")
        machine, _, case_kind = text.partition(".")
        if machine not in MACHINES:
            raise UnknownName("case kind", text, sorted(MACHINES))
        if machine in ("repair", "objection") and not case_kind:
            target = self.repository.store.case(str(data.get("target")))
            if target is None:
                raise UnknownCase(data.get("target"))
            case_kind = target.machine
        return machine, case_kind


def _same_act(
    key: str,
    done: tuple[str, Case],
    event: str,
    *,
    case_id: object = None,
    machine: str | None = None,
    subject: str | None = None,
) -> Case:
    """The case a retried act left, once it is sure the key was used for this act."""
    done_event, case = done
    if (
        done_event != event
        or (case_id is not None and case.case_id != case_id)
        or (machine is not None and case.machine != machine)
        or (subject is not None and case.subject_id != subject)
    ):
        raise IdempotencyKeyReused(key, case.case_id, done_event)
    return case
