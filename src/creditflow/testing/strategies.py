"""Hypothesis strategies for creditflow's values: identifiers, subjects, grades, facts, records.

Every strategy that says "valid" draws only values the library accepts, and every "invalid"
one only strings that parsing refuses with :class:`~creditflow.errors.InvalidIdentifier`;
``tests/testing/test_strategies.py`` holds them to it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from creditflow.calendar.periods import Period, PeriodUnit
from creditflow.core.facts import Facts
from creditflow.core.grades import GradeScale
from creditflow.core.identifiers import (
    ResidentId,
    Uscc,
    is_valid_resident_id,
    is_valid_uscc,
    organisation_code_check_character,
    resident_id_check_character,
    uscc_check_character,
)
from creditflow.core.records import CreditRecord
from creditflow.core.subjects import PLATE_PATTERN, Subject, SubjectKind
from creditflow.policy.model import Policy
from creditflow.workflows.machine import Machine, Transition

__all__ = [
    "credit_records",
    "event_sequences",
    "facts",
    "grades",
    "invalid_resident_ids",
    "invalid_usccs",
    "register",
    "resident_ids",
    "subjects",
    "usccs",
]

_DIGITS = "0123456789"
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
_FOREIGN = "IOSVZaxz -"  # characters no identifier accepts at every position
_EARLIEST_BIRTH = dt.date(1800, 1, 1)
_LATEST_BIRTH = dt.date(2099, 12, 31)


# --- unified social credit codes --------------------------------------------------------------


@st.composite
def _uscc_text(draw: st.DrawFn) -> str:
    head = draw(st.text(_USCC_ALPHABET, min_size=2, max_size=2))
    region = draw(st.text(_DIGITS, min_size=6, max_size=6))
    body = draw(st.text(_USCC_ALPHABET, min_size=8, max_size=8))
    first17 = head + region + body + organisation_code_check_character(body)
    return first17 + uscc_check_character(first17)


def usccs() -> st.SearchStrategy[str]:
    """Valid unified social credit codes (统一社会信用代码) as 18-character strings.

    Both check characters (positions 17 and 18) are computed, so :meth:`Uscc.parse` accepts
    every code drawn. ``st.from_type(Uscc)`` draws :class:`Uscc` values built from these.
    """
    return _uscc_text()


def invalid_usccs() -> st.SearchStrategy[str]:
    """Strings that differ from a valid code so that :meth:`Uscc.parse` raises.

    One character changed (to another allowed one, or to a refused one such as ``'I'`` or
    lower case), one dropped or one added.
    """
    return _mutations(usccs(), _USCC_ALPHABET).filter(lambda text: not is_valid_uscc(text))


# --- resident IDs -----------------------------------------------------------------------------


@st.composite
def _resident_id_text(draw: st.DrawFn, born: st.SearchStrategy[str] | None = None) -> str:
    region = draw(st.text(_DIGITS, min_size=6, max_size=6))
    if born is None:
        born = st.dates(_EARLIEST_BIRTH, _LATEST_BIRTH).map(lambda d: f"{d:%Y%m%d}")
    birth = draw(born)
    sequence = draw(st.text(_DIGITS, min_size=3, max_size=3))
    first17 = region + birth + sequence
    return first17 + resident_id_check_character(first17)


def resident_ids() -> st.SearchStrategy[str]:
    """Valid resident IDs (居民身份证号码) as 18-character strings, birth dates 1800-2099."""
    return _resident_id_text()


def _impossible_birth_dates() -> st.SearchStrategy[str]:
    """Eight digits that are not a date from 1800 on: month 13, day 32, February 30, 1799."""
    return st.sampled_from(["20001301", "19990132", "20230230", "17991231", "20000000"])


def invalid_resident_ids() -> st.SearchStrategy[str]:
    """Strings that differ from a valid resident ID so that :meth:`ResidentId.parse` raises.

    One character changed, dropped or added; a lower-case ``'x'``; or a correct check
    character over an impossible birth date.
    """
    mutated = _mutations(resident_ids(), _DIGITS + "X")
    lower_x = resident_ids().filter(lambda text: text.endswith("X")).map(str.lower)
    bad_birth = _resident_id_text(born=_impossible_birth_dates())
    return st.one_of(mutated, lower_x, bad_birth).filter(lambda t: not is_valid_resident_id(t))


# --- shared: one-character mutations ----------------------------------------------------------


def _mutations(valid: st.SearchStrategy[str], alphabet: str) -> st.SearchStrategy[str]:
    """A valid code with one character replaced, dropped or added."""

    @st.composite
    def mutate(draw: st.DrawFn) -> str:
        text = draw(valid)
        at = draw(st.integers(0, len(text) - 1))
        how = draw(st.sampled_from(["replace", "drop", "add"]))
        if how == "drop":
            return text[:at] + text[at + 1 :]
        char = draw(st.sampled_from(alphabet + _FOREIGN))
        if how == "add":
            return text[:at] + char + text[at:]
        return text[:at] + char + text[at + 1 :]

    return mutate()


# --- subjects, grades and facts ---------------------------------------------------------------


def _names() -> st.SearchStrategy[str]:
    """Non-blank names, Chinese or Latin."""
    letters = st.characters(categories=("Lo", "Lu", "Ll", "Nd"))
    return st.text(letters, min_size=1, max_size=20).filter(str.strip)


def _subject_ids(kind: SubjectKind) -> st.SearchStrategy[str]:
    if kind is SubjectKind.ENTERPRISE:
        return usccs()
    if kind is SubjectKind.PERSON:
        return resident_ids()
    if kind is SubjectKind.VEHICLE:
        return st.from_regex(PLATE_PATTERN, fullmatch=True)
    visible = st.characters(categories=("Lu", "Ll", "Nd", "Lo"), codec="utf-8")
    return st.text(visible, min_size=1, max_size=16)


def subjects(kind: SubjectKind | str | None = None) -> st.SearchStrategy[Subject]:
    """Valid subjects (主体) of ``kind`` (a :class:`SubjectKind` or its value), any kind if None.

    An enterprise has a valid unified social credit code, a person a valid resident ID, a
    vehicle a licence plate matching :data:`~creditflow.core.subjects.PLATE_PATTERN`.
    """
    kinds = list(SubjectKind) if kind is None else [SubjectKind(kind)]
    return st.sampled_from(kinds).flatmap(
        lambda k: st.builds(Subject, st.just(k), _subject_ids(k), _names())
    )


def grades(scale: GradeScale) -> st.SearchStrategy[str]:
    """Grade names of ``scale``; shrinks towards the best grade."""
    if not isinstance(scale, GradeScale):
        raise TypeError(f"scale must be a GradeScale, got {scale!r} that is a {type(scale)}")
    return st.sampled_from(scale.names)


def facts(policy: Policy) -> st.SearchStrategy[Facts]:
    """Facts naming only what ``policy`` declares: its domains, their grades, lists and flags.

    Shrinks towards the first domain, the best grade, no list and no flag.
    """
    if not isinstance(policy, Policy):
        raise TypeError(f"policy must be a Policy, got {policy!r} that is a {type(policy)}")
    # sampled_from([]) is nothing(), so a pack without lists or flags gives empty sets only.
    lists = st.frozensets(st.sampled_from(sorted(policy.lists)))
    flags = st.frozensets(st.sampled_from(sorted(policy.flags)))

    def in_domain(name: str) -> st.SearchStrategy[Facts]:
        return st.builds(Facts, st.just(name), grades(policy.domains[name].scale), lists, flags)

    return st.sampled_from(list(policy.domains)).flatmap(in_domain)


# --- credit records ---------------------------------------------------------------------------


def _back(day: dt.date, period: Period) -> dt.date:
    """``day`` moved back by ``period``; a workday is taken as 7/5 of a calendar day."""
    step = {
        PeriodUnit.DAYS: relativedelta(days=period.amount),
        PeriodUnit.WORKDAYS: relativedelta(days=-(-period.amount * 7 // 5)),
        PeriodUnit.WEEKS: relativedelta(weeks=period.amount),
        PeriodUnit.MONTHS: relativedelta(months=period.amount),
        PeriodUnit.YEARS: relativedelta(years=period.amount),
    }[period.unit]
    result: dt.date = day - step
    return result


def credit_records(
    policy: Policy, around: dt.date, *, spread: int = 3
) -> st.SearchStrategy[CreditRecord]:
    """Credit records whose publication window (公示期) starts or ends near ``around``.

    ``decided_on`` is ``around`` minus the ``publication_min`` or ``publication_max`` of the
    record's severity in ``policy`` (or zero), give or take ``spread`` days: the dates where
    off-by-one errors in publication and repair live.
    """
    if not isinstance(around, dt.date):
        raise TypeError(f"around must be a date, got {around!r}")
    if spread < 0:
        raise ValueError(f"Cannot have spread={spread} < 0")

    @st.composite
    def record(draw: st.DrawFn) -> CreditRecord:
        severity = draw(st.sampled_from(sorted(policy.severities, key=lambda s: s.rank)))
        rule = policy.severities[severity]
        boundary = draw(
            st.sampled_from(
                [Period.days(0), rule.publication_min.value, rule.publication_max.value]
            )
        )
        shift = dt.timedelta(days=draw(st.integers(-spread, spread)))
        number = draw(st.integers(1, 999_999))
        return CreditRecord(
            record_id=f"record-{number}",
            subject_id=draw(usccs()),
            domain=draw(st.sampled_from(list(policy.domains))),
            kind=draw(st.sampled_from(["penalty", "commitment_breach", "listing"])),
            severity=severity,
            decided_on=_back(around, boundary) + shift,
            summary=draw(_names()),
            basis=draw(_names()),
        )

    return record()


# --- event sequences -------------------------------------------------------------------------


def _allowed(machine: Machine, state: str) -> list[Transition]:
    return [t for t in machine.transitions if state in t.sources]


def event_sequences(
    machine: Machine | str, *, broken: bool = False, max_size: int = 10
) -> st.SearchStrategy[tuple[str, ...]]:
    """Event names for ``machine`` (a :class:`~creditflow.workflows.machine.Machine` or its
    name in :data:`~creditflow.workflows.MACHINES`) after its opening event.

    Each event fires from the state the previous ones lead to (a walk of the state graph; the
    guards, which read the case's data and dates, are left to the book). With ``broken=True``
    the last event is one the state reached does not allow: the book must refuse it.
    """
    if isinstance(machine, str):
        from creditflow.workflows.definitions import MACHINES

        machine = MACHINES[machine]
    if max_size < 1:
        raise ValueError(f"Cannot have max_size={max_size} < 1")
    chosen = machine

    @st.composite
    def walk(draw: st.DrawFn) -> tuple[str, ...]:
        state = chosen.opening.target or ""
        events: list[str] = []
        length = draw(st.integers(0, max_size - 1 if broken else max_size))
        for _ in range(length):
            allowed = _allowed(chosen, state)
            if not allowed:
                break
            step = draw(st.sampled_from(allowed))
            events.append(step.event)
            state = step.target or state
        if broken:
            refused = sorted(
                {t.event for t in chosen.transitions} - {t.event for t in _allowed(chosen, state)}
            )
            events.append(draw(st.sampled_from(refused)))
        return tuple(events)

    return walk()


# --- st.from_type -----------------------------------------------------------------------------


@functools.cache
def _default_policy() -> Policy:
    from creditflow.rules.loading import load_policy

    return load_policy()


def _registrations() -> dict[type, Callable[[type], st.SearchStrategy[Any]]]:
    # Resolvers, not strategies: nothing is built while Hypothesis is still being imported.
    return {
        Uscc: lambda _type: st.builds(Uscc, usccs()),
        ResidentId: lambda _type: st.builds(ResidentId, resident_ids()),
        Subject: lambda _type: subjects(),
        Facts: lambda _type: facts(_default_policy()),
    }


def register() -> None:
    """Let ``st.from_type`` draw :class:`Uscc`, :class:`ResidentId`, :class:`Subject` and
    :class:`Facts` (for the default pack in force today). Registering twice is harmless."""
    for kind, resolver in _registrations().items():
        st.register_type_strategy(kind, resolver)
