"""Cases and their stored forms: a projection row to a case and back, history entries.

The conversions every part of the book shares (commands, queries, the log), in one place.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

import attrs

from creditflow._repr import a_type, shown
from creditflow.book._records import EncodedBody
from creditflow.book.encoding import canonical_json
from creditflow.book.rows import CaseRow, StoredEvent
from creditflow.core.identifiers import subject_id as checked_subject_id
from creditflow.core.subjects import Subject
from creditflow.errors import BookCorrupt, InvalidInput
from creditflow.policy.model import Policy
from creditflow.workflows.case import Actor, Case, DeadlineState, Effect, HistoryEntry, copied

__all__ = [
    "SYSTEM",
    "Projection",
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
    """The projection row of ``case`` (its body a :class:`Projection`)."""
    return CaseRow(
        case.case_id, case.machine, case.kind, case.subject_id, case.state, case.version,
        case.closed, case.last_on, Projection(case),
    )  # fmt: skip


_quote = json.encoder.encode_basestring


class Projection(EncodedBody):
    """``case.to_body()`` with its canonical JSON made directly from the case: the parts
    that cases share (their deadlines) are encoded once, and the dict is built only if a
    store reads it instead of the text."""

    __slots__ = ("_case", "_text")

    def __init__(self, case: Case) -> None:
        super().__init__()
        self._case = case
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self._encode()
        return self._text

    def _encode(self) -> str:
        c = self._case
        deadlines = _deadlines_json(c.deadlines)
        return (
            f'{{"case_id":{_quote(c.case_id)},"closed":{"true" if c.closed else "false"},'
            f'"data":{canonical_json(copied(c.data))},"deadlines":[{deadlines}],'
            f'"kind":{_quote(c.kind)},"last_on":"{_iso(c.last_on)}",'
            f'"machine":{_quote(c.machine)},"opened_on":"{_iso(c.opened_on)}",'
            f'"state":{_quote(c.state)},"subject_id":{_quote(c.subject_id)},'
            f'"version":{int(c.version)}}}'
        )

    @property
    def case(self) -> Case:
        """The case whose projection this is."""
        return self._case

    def build(self) -> dict[str, Any]:
        return self._case.to_body()


@functools.lru_cache(maxsize=65536)
def _iso(day: dt.date) -> str:
    """``day.isoformat()``; business dates repeat, so the text is kept."""
    return day.isoformat()


@functools.lru_cache(maxsize=65536)
def _deadlines_json(deadlines: tuple[DeadlineState, ...]) -> str:
    """The members of a body's deadline list: a case's versions and many cases share them."""
    return ",".join([_deadline_json(d) for d in deadlines])


@functools.lru_cache(maxsize=65536)
def _deadline_json(d: DeadlineState) -> str:
    """The canonical JSON of a deadline's part of a body (deadlines are shared values)."""
    met = "null" if d.met_on is None else f'"{_iso(d.met_on)}"'
    return (
        f'{{"extended":{"true" if d.extended else "false"},"kind":{_quote(d.kind)},'
        f'"last_day":"{_iso(d.last_day)}","met_on":{met},"name":{_quote(d.name)},'
        f'"provisional":{"true" if d.provisional else "false"},'
        f'"started_on":"{_iso(d.started_on)}"}}'
    )


def entry(stored: StoredEvent) -> HistoryEntry:
    """The history entry of a stored event."""
    return HistoryEntry(stored.version, stored.event, stored.on, stored.actor, stored.data)


def with_history(case: Case, history: tuple[HistoryEntry, ...]) -> Case:
    return attrs.evolve(case, history=history)


def with_effects(case: Case, effects: list[Effect]) -> Case:
    if not effects:
        return case
    c = case  # positional, in field order: attrs.evolve costs three times as much
    return Case(
        c.case_id, c.machine, c.kind, c.subject_id, c.state, c.version, c.opened_on, c.last_on,
        c.data, c.deadlines, c.closed, c.history, tuple(effects),
    )  # fmt: skip


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


@functools.lru_cache(maxsize=256)
def pack_tag(policy: Policy) -> str:
    """``name@version#`` and the pack's content digest (``Policy.digest``, 64 hex digits):
    what each event records of the pack that governed it (two files of the same version with
    different content get different tags)."""
    return f"{policy.key}#{policy.digest}"
