"""What a transition may read besides its own case: the policy, the calendar, other cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from creditflow.calendar.workdays import WorkdayCalendar
from creditflow.policy.model import Policy
from creditflow.workflows.case import Actor, Case

__all__ = ["Refusal", "TransitionContext"]


def _no_other_versions(on: dt.date) -> Policy | None:
    """Without a book behind it, no other version of the policy is known."""
    return None


@attrs.frozen
class Refusal:
    """Why a guard refuses: the reason, the date compared, and the rule (the path of the
    policy setting it rests on) with its basis. Guards build it with
    :func:`creditflow.workflows.guards.refuse`."""

    reason: str
    compared: dt.date | None = None
    rule: str | None = None
    basis: str | None = None


@attrs.frozen
class TransitionContext:
    """Everything a guard or an effect reads. ``case`` is the case before the event (None for
    the opening event); ``lookup`` and ``subject_cases`` read other cases as they stand,
    including changes made earlier in the same transaction; ``policy_at`` is the version of
    the policy in force on another date (a decision's, for the transitional rule), or None
    when none is or none is known."""

    policy: Policy
    calendar: WorkdayCalendar
    machine: str
    kind: str
    subject_id: str
    case: Case | None
    event: str
    on: dt.date
    actor: Actor
    data: Mapping[str, Any]
    lookup: Callable[[str], Case | None]
    subject_cases: Callable[[str], list[Case]]
    policy_at: Callable[[dt.date], Policy | None] = _no_other_versions

    def value(self, key: str) -> Any:
        """A data field of this event, or else of the case so far."""
        if key in self.data:
            return self.data[key]
        return self.case.data.get(key) if self.case else None
