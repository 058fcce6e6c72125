"""Cases, actors, deadlines and effects: the values a workflow transition reads and returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from creditflow._repr import shown
from creditflow.core.privacy import masked_repr
from creditflow.errors import InvalidInput

__all__ = ["Actor", "Case", "DeadlineState", "Effect", "HistoryEntry", "copied"]


def copied(data: Mapping[str, Any]) -> dict[str, Any]:
    """A shallow copy of a case's data as a dict; ``dict(proxy)`` of a ``MappingProxyType``
    walks it key by key, seven times slower than the ``copy`` it has."""
    return data.copy() if isinstance(data, MappingProxyType | dict) else dict(data)


def _roles(value: object) -> frozenset[str]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise InvalidInput(f"Actor.roles must be a set of role names, got {shown(value)}")
    try:
        roles = frozenset(value)
    except TypeError:  # an unhashable item
        raise InvalidInput(f"Actor.roles must hold role names, got {shown(value)}") from None
    if not roles or not all(isinstance(r, str) and r for r in roles):
        raise InvalidInput(f"Actor.roles must hold at least one non-empty name, got {shown(value)}")
    return roles


def _actor_id(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"Actor.id must be a non-empty str, got {shown(value)}")
    return value


@masked_repr
@attrs.frozen
class Actor:
    """Who fires an event: an id (a staff number, or the subject's own id) and the roles held."""

    id: str = attrs.field(converter=_actor_id)
    roles: frozenset[str] = attrs.field(converter=_roles)


@attrs.frozen(cache_hash=True)  # deadlines are shared between cases through caches
class DeadlineState:
    """One deadline of a case: when it started, its last day, and when it was met (if it was).

    ``provisional`` when the last day was counted in a year whose holiday schedule is not
    published yet (see :class:`creditflow.WorkdayCalendar`).
    """

    name: str
    kind: str
    started_on: dt.date
    last_day: dt.date
    provisional: bool
    met_on: dt.date | None = None
    extended: bool = False

    def overdue(self, on: dt.date) -> bool:
        """Whether this due deadline was overdue on ``on``, as it stood that day: started by
        then, its last day passed, and not met by then. A deadline met late (``met_on``
        after its last day) was overdue from the day after its last day until the day
        before it was met: a later act does not erase a missed deadline from an audit."""
        return (
            self.kind == "due"
            and self.last_day < on
            and self.started_on <= on
            and (self.met_on is None or self.met_on > on)
        )


@attrs.frozen
class Effect:
    """Something a transition asks of the world or of other cases.

    Effects the book carries out itself (a credit record entered, a listing removed) are
    reported too; ``external`` ones are for the caller (e.g. ``revoke_approval``: the
    licensing system must revoke the approval given on commitment).
    """

    name: str
    data: Mapping[str, Any] = attrs.field(factory=dict)
    external: bool = False


@masked_repr
@attrs.frozen
class HistoryEntry:
    """One event of a case, as recorded."""

    version: int
    event: str
    on: dt.date
    actor: str
    data: Mapping[str, Any]


@masked_repr
@attrs.frozen
class Case:
    """One case of a workflow: its subject, state, version, deadlines and accumulated data.

    ``history`` is filled by :meth:`CreditBook.get`; ``effects`` holds what the last
    transition caused.
    """

    case_id: str
    machine: str
    kind: str
    subject_id: str
    state: str
    version: int
    opened_on: dt.date
    last_on: dt.date
    data: Mapping[str, Any]
    deadlines: tuple[DeadlineState, ...] = ()
    closed: bool = False
    history: tuple[HistoryEntry, ...] = ()
    effects: tuple[Effect, ...] = ()

    def deadline(self, name: str) -> DeadlineState | None:
        """The deadline called ``name``, if the case has started it."""
        return next((d for d in self.deadlines if d.name == name), None)

    def interrupted_on(self, on: dt.date) -> bool:
        """True if ``on`` falls in an interruption of the case: ended, later restored (its
        ``gaps``, ``[ended_on, restored_on]`` pairs)."""
        return any(
            dt.date.fromisoformat(str(start)) <= on < dt.date.fromisoformat(str(end))
            for start, end in self.data.get("gaps") or ()
        )

    def overdue(self, on: dt.date) -> tuple[DeadlineState, ...]:
        """The case's due deadlines that were overdue on ``on``, as they stood that day
        (:meth:`DeadlineState.overdue`): none before the case was opened, nor while it was
        interrupted (ended then, its deadlines were met; the restore reopened them)."""
        late = tuple(d for d in self.deadlines if d.overdue(on))
        if not late or self.opened_on > on or self.interrupted_on(on):
            return ()
        return late

    def to_body(self) -> dict[str, Any]:
        """The projection as JSON-ready data (history and effects are not part of it)."""
        return {
            "case_id": self.case_id,
            "machine": self.machine,
            "kind": self.kind,
            "subject_id": self.subject_id,
            "state": self.state,
            "version": self.version,
            "opened_on": self.opened_on.isoformat(),
            "last_on": self.last_on.isoformat(),
            "closed": self.closed,
            "data": copied(self.data),
            "deadlines": [_deadline_data(d) for d in self.deadlines],
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> Case:
        """The inverse of :meth:`to_body`."""
        return cls(
            case_id=body["case_id"],
            machine=body["machine"],
            kind=body["kind"],
            subject_id=body["subject_id"],
            state=body["state"],
            version=body["version"],
            opened_on=dt.date.fromisoformat(body["opened_on"]),
            last_on=dt.date.fromisoformat(body["last_on"]),
            closed=body["closed"],
            data=MappingProxyType(dict(body["data"])),
            deadlines=tuple(_deadline_from(d) for d in body["deadlines"]),
        )


def _deadline_data(d: DeadlineState) -> dict[str, Any]:
    return {
        "name": d.name,
        "kind": d.kind,
        "started_on": d.started_on.isoformat(),
        "last_day": d.last_day.isoformat(),
        "provisional": d.provisional,
        "met_on": d.met_on.isoformat() if d.met_on else None,
        "extended": d.extended,
    }


def _deadline_from(d: Mapping[str, Any]) -> DeadlineState:
    return DeadlineState(
        name=d["name"],
        kind=d["kind"],
        started_on=dt.date.fromisoformat(d["started_on"]),
        last_day=dt.date.fromisoformat(d["last_day"]),
        provisional=d["provisional"],
        met_on=dt.date.fromisoformat(d["met_on"]) if d["met_on"] else None,
        extended=d["extended"],
    )
