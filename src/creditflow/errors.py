"""The one exception hierarchy of creditflow.

Every error subclasses :class:`CreditflowError` *and* the builtin it resembles, so
``except ValueError`` keeps working for callers who do not know creditflow::

    CreditflowError                     (Exception)   base; every error has a stable ``code``
    ├── InvalidInput                    (ValueError)  a value given by the caller is malformed
    │   ├── InvalidIdentifier                         USCC or resident ID: position / check char
    │   ├── InvalidDate                 (TypeError)   a datetime (naive or aware) for a date
    │   ├── InvalidPeriod                             "3 months", "5 workdays" could not be read
    │   ├── InvalidFacts                              facts for a decision are malformed
    │   ├── InvalidRow                                a row of an input file, named by source/line
    │   ├── IdempotencyKeyReused                      a retry's key was used for another act
    │   └── DateBeforeBook                            a date before the book's first event
    ├── UnknownName                     (LookupError) a domain, grade, list kind, flag or pack
    │   ├── UnknownPolicy                             no built-in pack of that name
    │   ├── UnknownCase                               no case with that id in the book
    │   └── UnknownSubject                            no case and no evaluation of that subject
    ├── NoPolicyInForce                 (LookupError) no version of a pack covers the date
    ├── CalendarUnknown                 (LookupError) holiday schedule of the year not published
    ├── PolicyError                     (ValueError)  a pack is invalid: every problem, at once
    │   └── PolicyAnalysisError                       table has gaps, overlaps or order violations
    ├── InfeasiblePlan                  (ValueError)  an inspection plan cannot honour the rules
    ├── TransitionRefused               (ValueError)  a workflow event is not allowed now
    │   └── NotPermitted                              the actor may not fire it (not an OSError)
    ├── Conflict                        (RuntimeError) a stale expected_version
    ├── BookUnavailable                 (RuntimeError) the book's file or server is locked or fails
    ├── BookCorrupt                     (RuntimeError) a stored event or projection cannot be read
    ├── MissingExtra                    (ImportError) an optional part needs its extra installed
    └── EngineFailure                   (RuntimeError) durable_rules failed or answered nonsense

Messages are stable English text meant for logs and audit trails; user-facing
Chinese text comes from a pack's labels, never from exception messages. A message never shows a
whole resident ID: every message is masked by :func:`creditflow.core.privacy.mask_resident_ids`
(and :class:`InvalidIdentifier` masks a value typed for a resident ID whatever its length); the
structured fields keep the values as given, for the caller.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import Protocol

from creditflow._repr import a_type, shown

__all__ = [
    "BookCorrupt",
    "BookUnavailable",
    "CalendarUnknown",
    "Conflict",
    "CreditflowError",
    "DateBeforeBook",
    "EngineFailure",
    "IdempotencyKeyReused",
    "InfeasiblePlan",
    "InvalidDate",
    "InvalidFacts",
    "InvalidIdentifier",
    "InvalidInput",
    "InvalidPeriod",
    "InvalidRow",
    "MissingExtra",
    "NoPolicyInForce",
    "NotPermitted",
    "PolicyAnalysisError",
    "PolicyError",
    "PolicyProblem",
    "TransitionRefused",
    "UnknownCase",
    "UnknownName",
    "UnknownPolicy",
    "UnknownSubject",
]


class CreditflowError(Exception):
    """Base of every error raised by creditflow on purpose."""

    code = "creditflow_error"

    index: int | None = None
    """The 0-based index of the bad item when the error is about one item of many
    (:meth:`creditflow.Engine.decide_many`); the message then starts with it."""

    def __init__(self, message: str) -> None:
        # core imports this module, so the masking function is imported when first needed
        from creditflow.core.privacy import mask_resident_ids

        message = mask_resident_ids(message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInput(CreditflowError, ValueError):
    """A value given by the caller is malformed."""

    code = "invalid_input"


class InvalidIdentifier(InvalidInput):
    """A unified social credit code (统一社会信用代码) or resident ID (居民身份证号码) is wrong.

    ``position`` is the 1-based character position at fault (None when the length
    is wrong); ``expected`` and ``found`` are the characters compared, when a check
    character is wrong.
    """

    code = "invalid_identifier"

    def __init__(
        self,
        kind: str,
        value: object,
        reason: str,
        *,
        position: int | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        echoed = value
        if isinstance(value, str) and ("resident ID" in kind or value[:17].isdigit()):
            # a resident ID, or what may be one mistyped (17 digits, whatever follows)
            from creditflow.core.privacy import mask_resident_id

            echoed = mask_resident_id(value)
        super().__init__(f"invalid {kind} {shown(echoed)}: {reason}")
        self.kind = kind
        self.value = value
        self.reason = reason
        self.position = position
        self.expected = expected
        self.found = found


class InvalidDate(InvalidInput, TypeError):
    """A datetime (naive or aware) or another type was given where a business date is due."""

    code = "invalid_date"

    def __init__(self, name: str, value: object) -> None:
        if isinstance(value, _dt.datetime):
            zone = "an aware" if value.tzinfo is not None else "a naive"
            hint = (
                "convert it first, e.g. value.astimezone(ZoneInfo('Asia/Shanghai')).date()"
                if value.tzinfo is not None
                else "a naive datetime has no time zone; pass value.date() if it is Beijing time"
            )
            message = f"{name} must be a datetime.date, got {zone} datetime {shown(value)}: {hint}"
        else:
            message = f"{name} must be a datetime.date, got {shown(value)} that is {a_type(value)}"
        super().__init__(message)
        self.name = name
        self.value = value


class InvalidPeriod(InvalidInput):
    """A period such as ``"3 months"`` or ``"5 workdays"`` could not be read."""

    code = "invalid_period"

    def __init__(self, text: object, reason: str) -> None:
        super().__init__(f"invalid period {shown(text)}: {reason}")
        self.text = text
        self.reason = reason


class InvalidFacts(InvalidInput):
    """Facts for a decision are malformed (wrong type of a field)."""

    code = "invalid_facts"


class InvalidRow(InvalidInput):
    """A row of an input file (CSV, JSON lines) is wrong: ``source``, 1-based ``line``, ``field``.

    ``reason`` says what is wrong; the message reads ``<source> line <n>, <field>: <reason>``.
    """

    code = "invalid_row"

    def __init__(self, source: str, line: int, reason: str, *, field: str | None = None) -> None:
        where = f"{source} line {line}" + (f", {field}" if field else "")
        super().__init__(f"{where}: {reason}")
        self.source = source
        self.line = line
        self.field = field
        self.reason = reason


class IdempotencyKeyReused(InvalidInput):
    """An idempotency key already stored was given for another act: another event, another
    case, or another subject's case. ``key`` is the key; ``case_id`` and ``event`` name the act
    it was used for. Nothing is written: a retry must repeat its act, a new act needs a new key.
    """

    code = "idempotency_key_reused"

    def __init__(self, key: str, case_id: str, event: str) -> None:
        super().__init__(
            f"idempotency key {key!r} was used for {event!r} on case {case_id}, not for this "
            "act: use a new key for a new act"
        )
        self.key = key
        self.case_id = case_id
        self.event = event


class UnknownName(CreditflowError, LookupError):
    """A name (domain, grade, list kind, flag, measure, pack) that the policy does not declare.

    ``known`` lists the names declared, sorted, or in the order given when ``ordered`` (the
    grades of a scale, best first).
    """

    code = "unknown_name"

    def __init__(
        self,
        kind: str,
        name: object,
        known: Iterable[str],
        *,
        where: str | None = None,
        ordered: bool = False,
    ) -> None:
        known_sorted = list(known) if ordered else sorted(known)
        place = f" in {where}" if where else ""
        super().__init__(
            f"unknown {kind} {shown(name)}{place}; known: {', '.join(known_sorted) or '(none)'}"
        )
        self.kind = kind
        self.name = name
        self.known = tuple(known_sorted)
        self.where = where

    def __str__(self) -> str:  # LookupError would quote the message otherwise
        return self.message


class UnknownPolicy(UnknownName):
    """No built-in pack has that name."""

    code = "unknown_policy"

    def __init__(self, name: object, known: Iterable[str]) -> None:
        super().__init__("policy pack", name, known)


class UnknownCase(UnknownName):
    """No case with that id exists in the book."""

    code = "unknown_case"

    def __init__(self, case_id: object) -> None:
        CreditflowError.__init__(self, f"no case {shown(case_id)} in the book")
        self.kind = "case"
        self.name = case_id
        self.known = ()
        self.where = None


class UnknownSubject(UnknownName):
    """The book has no case of the subject and no evaluation of it was given.

    A subject the caller knows to be new may be checked with ``new_subject=True`` instead.
    """

    code = "unknown_subject"

    def __init__(self, subject_id: object) -> None:
        CreditflowError.__init__(
            self,
            f"subject {shown(subject_id)} has no case in the book and no evaluation; "
            "pass new_subject=True to check it as a new subject",
        )
        self.kind = "subject"
        self.name = subject_id
        self.known = ()
        self.where = None


class DateBeforeBook(InvalidInput):
    """A date lies before the book's first event: the book cannot tell the status then."""

    code = "date_before_book"

    def __init__(self, on: _dt.date, first: _dt.date | None) -> None:
        since = first.isoformat() if first else "(the book is empty)"
        super().__init__(f"{on.isoformat()} is before the book's first event on {since}")
        self.on = on
        self.first = first


class NoPolicyInForce(CreditflowError, LookupError):
    """No version of the pack is in force on the date asked for.

    ``name`` is the pack name, or ``name@version`` when one version was asked for (by version
    or as a file) together with a date it is not in force on.
    """

    code = "no_policy_in_force"

    def __init__(self, name: str, on: _dt.date, versions: Sequence[str]) -> None:
        spans = "; ".join(versions) or "(none)"
        day = on.isoformat()
        if "@" in name:  # one version was asked for: name it
            text = f"policy pack {name!r} is not in force on {day}; in force: {spans}"
        else:
            text = f"no version of policy pack {name!r} is in force on {day}; versions: {spans}"
        super().__init__(text)
        self.name = name
        self.on = on
        self.versions = tuple(versions)

    def __str__(self) -> str:
        return self.message


class CalendarUnknown(CreditflowError, LookupError):
    """The date lies in a year whose holiday schedule (放假安排) is not published yet.

    Pass ``provisional=True`` to compute from the weekends and fixed-date holidays
    alone; the result then says it is provisional.
    """

    code = "calendar_unknown"

    def __init__(self, day: _dt.date, known_years: tuple[int, int]) -> None:
        first, last = known_years
        super().__init__(
            f"the holiday schedule for {day.year} is not known (known: {first}-{last}), "
            f"needed for {day.isoformat()}; pass provisional=True to compute a provisional result"
        )
        self.day = day
        self.known_years = known_years

    def __str__(self) -> str:
        return self.message


class PolicyProblem:
    """One problem in a policy pack: the file, the key path within it and the reason."""

    __slots__ = ("key", "reason", "source")

    def __init__(self, source: str, key: str, reason: str) -> None:
        self.source = source
        self.key = key
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.source}: {self.key or '(top)'}: {self.reason}"

    def __repr__(self) -> str:
        return f"PolicyProblem({self.source!r}, {self.key!r}, {self.reason!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PolicyProblem):
            return NotImplemented
        return (self.source, self.key, self.reason) == (other.source, other.key, other.reason)

    def __hash__(self) -> int:
        return hash((self.source, self.key, self.reason))


class PolicyError(CreditflowError, ValueError):
    """A policy pack is invalid. ``problems`` lists every problem found, not only the first."""

    code = "policy_error"

    def __init__(self, source: str, problems: Sequence[PolicyProblem]) -> None:
        count = len(problems)
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"policy pack {source} has {count} problem{'s' if count != 1 else ''}:\n{lines}"
        )
        self.source = source
        self.problems = tuple(problems)


class _Report(Protocol):
    """What this module needs of an analysis report (core names no type of the rules layer)."""

    def problems(self, source: str) -> Sequence[PolicyProblem]: ...


class PolicyAnalysisError(PolicyError):
    """A pack fails the one soundness check: its decision table has gaps, unresolved overlaps,
    grade-order or direction violations, or the pack has a period that is not positive, a blank
    basis, or a workflow event or setting the book could not run.

    ``report`` is the full :class:`~creditflow.rules.analysis.AnalysisReport`.
    """

    code = "policy_analysis_error"

    def __init__(self, source: str, report: _Report) -> None:
        super().__init__(source, report.problems(source))
        self.report = report


class InfeasiblePlan(CreditflowError, ValueError):
    """An inspection plan cannot be drawn without breaking a rule; ``reason`` says which.

    The draw is never silently weakened (fewer inspectors, a conflicted inspector, a ratio
    below the pack's): it is refused with this error instead.
    """

    code = "infeasible_plan"

    def __init__(self, reason: str, *, stratum: str | None = None) -> None:
        super().__init__(
            f"infeasible plan: {reason}" + (f" (stratum {stratum})" if stratum else "")
        )
        self.reason = reason
        self.stratum = stratum


class TransitionRefused(CreditflowError, ValueError):
    """A workflow event is refused: it names the case, event, state, the guard that failed, the
    date compared and the policy rule with its legal basis.

    ``path`` is the address of the policy setting the refusal rests on
    (``lists.serious.duration``, ``repair.fraud_ban``, ``permissions.listing.decide``): a
    guard's refusal always has one, and ``basis`` is the pack's basis at it; ``rule`` is the
    same path for a guard, or names another rule (a separation of duties, a licensing rule).
    Both are None where the machine's shape refuses (no such event, wrong state, data)."""

    code = "transition_refused"

    def __init__(
        self,
        reason: str,
        *,
        case_id: str | None = None,
        event: str | None = None,
        state: str | None = None,
        guard: str | None = None,
        on: _dt.date | None = None,
        rule: str | None = None,
        basis: str | None = None,
        path: str | None = None,
    ) -> None:
        parts = [f"case {case_id}" if case_id else None, f"event {shown(event)}" if event else None,
                 f"in state {shown(state)}" if state else None]  # fmt: skip
        head = " ".join(p for p in parts if p) or "transition"
        tail = "".join(
            [
                f"; guard {guard}" if guard else "",
                f"; on {on.isoformat()}" if on else "",
                f"; rule {rule}" if rule else "",
                f"; basis: {basis}" if basis else "",
            ]
        )
        super().__init__(f"{head} refused: {reason}{tail}")
        self.reason = reason
        self.case_id = case_id
        self.event = event
        self.state = state
        self.guard = guard
        self.on = on
        self.rule = rule
        self.basis = basis
        self.path = path


class NotPermitted(TransitionRefused):
    """The actor's roles do not allow the event, or separation of duties forbids it.

    A refusal, not a system error: it is no :class:`PermissionError` (an ``OSError``), so an
    ``except OSError`` around a book's input and output never catches it."""

    code = "not_permitted"


class Conflict(CreditflowError, RuntimeError):
    """A change was based on a stale version of a case (``expected_version`` did not match)."""

    code = "conflict"

    def __init__(self, case_id: str, expected: int, actual: int) -> None:
        super().__init__(
            f"case {case_id} is at version {actual}, not the expected {expected}: "
            "reload it and decide again"
        )
        self.case_id = case_id
        self.expected = expected
        self.actual = actual


class BookUnavailable(CreditflowError, RuntimeError):
    """The book's store could not do a change: its file stayed locked by another writer past
    the retries, or the database failed (disk full or failing, a broken migration; for
    PostgreSQL also a lost connection, a server shutting down, a lock timeout, a read-only
    replica). Nothing was written; the change may be tried again. ``path`` is the store's
    file or URL (without its password), ``reason`` what the database said (the original error
    is chained as ``__cause__``)."""

    code = "book_unavailable"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"the book {path} is unavailable, nothing was written: {reason}")
        self.path = path
        self.reason = reason


class BookCorrupt(CreditflowError, RuntimeError):
    """A stored event or case projection cannot be read back: the book was damaged outside
    creditflow. ``seq`` names the event or ``case_id`` the projection (either or both may be
    None when the damage has no known place), ``reason`` what is wrong. Nothing was changed;
    ``creditflow verify`` reports every damage."""

    code = "book_corrupt"

    def __init__(self, reason: str, *, seq: int | None = None, case_id: str | None = None) -> None:
        if seq is not None:
            where = f" at event {seq}"
        elif case_id is not None:
            where = f" at the projection of case {case_id}"
        else:
            where = ""
        super().__init__(f"the book is damaged{where}: {reason}; run creditflow verify")
        self.seq = seq
        self.case_id = case_id
        self.reason = reason


class MissingExtra(CreditflowError, ImportError):
    """An optional part of creditflow needs a library from an extra that is not installed.

    ``extra`` names the extra (``pip install 'creditflow[<extra>]'``), ``module`` the missing
    library and ``feature`` what needed it."""

    code = "missing_extra"

    def __init__(self, extra: str, module: str, feature: str) -> None:
        super().__init__(
            f"{feature} needs {module}, which is not installed: pip install 'creditflow[{extra}]'"
        )
        self.extra = extra
        self.module = module
        self.feature = feature
        self.name = module


class EngineFailure(CreditflowError, RuntimeError):
    """durable_rules failed, or answered something a decision cannot be read from."""

    code = "engine_failure"
