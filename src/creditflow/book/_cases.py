"""Cases and their stored forms: a projection row to a case and back, history entries.

The conversions every part of the book shares (commands, queries, the log), in one place.
"""

from __future__ import annotations

import functools

import attrs

from creditflow._repr import a_type, shown
from creditflow.book.rows import CaseRow, StoredEvent
from creditflow.core.identifiers import subject_id as checked_subject_id
from creditflow.core.subjects import Subject
from creditflow.errors import BookCorrupt, InvalidInput
from creditflow.policy.model import Policy
from creditflow.workflows.case import Actor, Case, Effect, HistoryEntry

__all__ = [
    "SYSTEM",
    "case_of",
    "check_actor",
    "entry",
    "pack_tag",
    "recorded_actor",
    "row_of",
    "subject_id_of",
    "with_effects",
    "with_history",
]

SYSTEM = Actor("system", frozenset({"system"}))
"""The actor of the events the book fires itself (follow-ups, expiries)."""


def case_of(row: CaseRow) -> Case:
    """The case a projection holds; :class:`BookCorrupt` if its body cannot be read."""
    try:
        return Case.from_body(row.body)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BookCorrupt(
            f"its body cannot be read ({type(exc).__name__}: {exc})", case_id=row.case_id
        ) from None


def row_of(case: Case) -> CaseRow:
    """The projection row of ``case``."""
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


def entry(stored: StoredEvent) -> HistoryEntry:
    """The history entry of a stored event."""
    return HistoryEntry(stored.version, stored.event, stored.on, stored.actor, stored.data)


def with_history(case: Case, history: tuple[HistoryEntry, ...]) -> Case:
    return attrs.evolve(case, history=history)


def with_effects(case: Case, effects: list[Effect]) -> Case:
    return attrs.evolve(case, effects=tuple(effects)) if effects else case


@functools.lru_cache(maxsize=1024)
def recorded_actor(actor_id: str) -> Actor:
    """The actor of a recorded event, for replays (roles are not recorded, nor needed)."""
    return Actor(actor_id, frozenset({"system"}))


def subject_id_of(subject: object) -> str:
    """The id of a :class:`Subject` (checked when it was built), or text checked as a unified
    social credit code or resident ID."""
    if isinstance(subject, Subject):
        return subject.id
    return checked_subject_id(subject)


def check_actor(actor: object) -> None:
    if not isinstance(actor, Actor):
        raise InvalidInput(
            f"actor must be a creditflow.workflows.Actor, got {shown(actor)}"
            f" that is {a_type(actor)}"
        )


def pack_tag(policy: Policy) -> str:
    """``name@version#`` and the pack's content digest (``Policy.digest``, 64 hex digits):
    what each event records of the pack that governed it (two files of the same version with
    different content get different tags)."""
    return f"{policy.key}#{policy.digest}"
