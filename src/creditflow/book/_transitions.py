"""Applying a workflow transition in a book: the one place its context is built.

A transition is a pure function of a :class:`~creditflow.workflows.context.TransitionContext`;
the book builds that context here both for a new event (a command) and for a recorded one
(a replay).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from creditflow.book._cases import recorded_actor
from creditflow.book.rows import PACK_KEY, StoredEvent
from creditflow.calendar.periods import Period
from creditflow.calendar.workdays import WorkdayCalendar
from creditflow.errors import NoPolicyInForce
from creditflow.policy.model import Policy
from creditflow.workflows.case import Actor, Case
from creditflow.workflows.context import TransitionContext
from creditflow.workflows.transition import apply

__all__ = ["CaseLookup", "SubjectCases", "Transitions"]

CaseLookup = Callable[[str], Case | None]
"""A case by id as it stands, pending changes included (None: no such case)."""

SubjectCases = Callable[[str], list[Case]]
"""The cases of a subject as they stand, pending changes included."""


class Transitions:
    """Builds transition contexts from the book's policies and calendar.

    ``policy_on`` is the book's own :meth:`~creditflow.CreditBook.policy_on`, so that a book
    that overrides it governs its transitions and replays with what it returns.
    """

    def __init__(self, policy_on: Callable[[dt.date], Policy], calendar: WorkdayCalendar) -> None:
        self.policy_on = policy_on
        self.calendar = calendar

    def policy_at(self, on: dt.date) -> Policy | None:
        """The policy in force on ``on`` (a decision's date), or None when no version is:
        for the transitional rule (see :mod:`creditflow.policy.transition`)."""
        try:
            return self.policy_on(on)
        except NoPolicyInForce:
            return None

    def context(
        self,
        machine: str,
        kind: str,
        subject_id: str,
        case: Case | None,
        event: str,
        on: dt.date,
        actor: Actor,
        data: Mapping[str, Any],
        lookup: CaseLookup,
        subject_cases: SubjectCases,
        policy: Policy | None = None,
    ) -> TransitionContext:
        """The context of ``event`` on ``case`` (None: the case opens), dated ``on``, under
        ``policy`` (default: the one in force on ``on``, which the caller may have already)."""
        return TransitionContext(  # positional, in field order (once per event: it counts)
            policy or self.policy_on(on),
            self.calendar,
            machine,
            kind,
            subject_id,
            case,
            event,
            on,
            actor,
            data,
            lookup,
            subject_cases,
            self.policy_at,
        )

    def replay(
        self,
        stored: StoredEvent,
        cases: dict[str, Case],
        lookup: CaseLookup,
        subject_cases: SubjectCases,
    ) -> Case:
        """Re-apply one recorded event to ``cases`` (no checks: it was checked when written)."""
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
        actor = recorded_actor(stored.actor)
        ctx = self.context(
            machine, kind, subject, before, stored.event, stored.on, actor, data, lookup,
            subject_cases,
        )  # fmt: skip
        case = apply(ctx, stored.case_id, replay=True).case
        cases[stored.case_id] = case
        return case

    def add(self, day: dt.date, period: Period) -> dt.date:
        """``day`` plus ``period`` on the book's calendar (provisional beyond known years)."""
        return self.calendar.add_period(day, period, provisional=True).date
