"""Grading a partition of rows (信用评价): each row's grade in force by :func:`grade_on`.

A row holds what :func:`~creditflow.licensing.grade_on` reads of a subject in a domain, flat:
this year's evaluation (``score``, ``evaluated_on``), last year's score (``previous_score``,
evaluated a year before: the cap on upgrades), whether the subject is on the serious list
(``serious_listed_on`` to ``serious_list_until``), the date of a serious record in the domain
(``serious_record_on``: dynamic downgrade) and the records in publication (``records``: a new
subject with a record gets the lower default grade). :func:`grade_partition` grades every row
as ``grade_on`` grades these facts, one by one; rows with equal facts share the work.

No engine is imported here: :mod:`creditflow.scale` runs this function on Dask partitions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Any, TypeVar

from creditflow._repr import shown
from creditflow.book.status import ActiveListing, CreditStatus, PublishedRecord
from creditflow.core.grades import to_fraction
from creditflow.core.identifiers import subject_id as checked_id
from creditflow.errors import CreditflowError, InvalidInput, InvalidRow, UnknownName
from creditflow.licensing.evaluations import Evaluation, Evaluations
from creditflow.licensing.grades import GradeInForce, grade_on
from creditflow.policy.model import Policy

__all__ = [
    "GRADE_COLUMNS",
    "GRADE_INPUT_COLUMNS",
    "FieldError",
    "GradeRow",
    "grade_partition",
    "grade_row",
]

GRADE_INPUT_COLUMNS = (
    "subject_id",
    "domain",
    "score",
    "evaluated_on",
    "previous_score",
    "serious_listed_on",
    "serious_list_until",
    "serious_record_on",
    "records",
)
"""The columns of a row to grade; only ``subject_id`` and ``domain`` are required."""

GRADE_COLUMNS = (
    "subject_id",
    "domain",
    "grade",
    "how",
    "since",
    "until",
    "basis",
    "policy_version",
)
"""The columns :func:`grade_partition` gives: the grade in force, how it was reached
(:class:`~creditflow.licensing.GradeInForce`), the period it holds, its basis and the pack."""

_T = TypeVar("_T")
GradeRow = tuple[Any, ...]
# The grades of the facts of rows already graded, by pack digest and date: a worker grades
# millions of rows that hold a few hundred thousand distinct facts, every partition alike.
_KNOWN: dict[tuple[str, dt.date], dict[tuple[Any, ...], tuple[object, ...]]] = {}
_MAX_KNOWN = 1_000_000
"""A row's values in the order of :data:`GRADE_INPUT_COLUMNS` (empty values None or "")."""


def grade_row(policy: Policy, values: GradeRow, on: dt.date) -> GradeInForce:
    """The grade in force on ``on`` of one row, by :func:`grade_on` on the row's facts."""
    (subject, domain, score, evaluated_on, previous, listed_on, listed_until,
     record_on, records) = values  # fmt: skip
    subject = _field("subject_id", checked_id, subject)
    domain = _field("domain", _domain(policy), domain)
    evaluations = Evaluations()
    if score not in (None, ""):
        day = _field("evaluated_on", _date, evaluated_on)
        evaluations.add(Evaluation(subject, domain, day.year, _field("score", _score, score), day))
        if previous not in (None, ""):
            before, last = _year_before(day), _field("previous_score", _score, previous)
            evaluations.add(Evaluation(subject, domain, before.year, last, before))
    elif previous not in (None, ""):
        raise FieldError("score", "previous_score needs this year's score and evaluated_on")
    listings: tuple[ActiveListing, ...] = ()
    if listed_on not in (None, ""):
        start = _field("serious_listed_on", _date, listed_on)
        end = _field("serious_list_until", _date, listed_until)
        if start <= on <= end:
            listings = (ActiveListing("row", "serious", start, end, None),)
    published = [_record("general", domain, on)] if _field("records", _count, records) else []
    if record_on not in (None, ""):
        published.append(_record("serious", domain, _field("serious_record_on", _date, record_on)))
    status = CreditStatus(subject, on, tuple(published), listings, (), frozenset(), ())
    return grade_on(policy, status, evaluations, domain=domain, on=on)


class FieldError(InvalidInput):
    """A value of a row to grade is wrong: ``field`` names its column."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def _field(name: str, convert: Callable[[Any], _T], value: Any) -> _T:
    try:
        return convert(value)
    except (CreditflowError, TypeError, ValueError) as error:
        raise FieldError(name, str(error)) from None


def _domain(policy: Policy) -> Callable[[Any], str]:
    def known(value: Any) -> str:
        if value not in policy.domains:
            raise UnknownName("domain", value, policy.domains, where=policy.key)
        return str(value)

    return known


def _score(value: Any) -> Fraction:
    if isinstance(value, str):
        return Fraction(value.strip())
    return to_fraction(value, "score")


def grade_partition(
    rows: Iterable[tuple[int, Sequence[Any]]], policy: Policy, on: dt.date, source: str
) -> dict[str, list[object]]:
    """The grade in force on ``on`` of every row, given as its line in ``source`` and its
    values in the order of :data:`GRADE_INPUT_COLUMNS`, as columns (:data:`GRADE_COLUMNS`).
    A bad row raises :class:`~creditflow.errors.InvalidRow` naming ``source`` and the line."""
    columns: dict[str, list[object]] = {name: [] for name in GRADE_COLUMNS}
    add: list[Callable[[object], None]] = [columns[name].append for name in GRADE_COLUMNS]
    if len(_KNOWN) > 8:
        _KNOWN.clear()
    known = _KNOWN.setdefault((policy.digest, on), {})
    if len(known) > _MAX_KNOWN:
        known.clear()
    for line, raw in rows:
        values = tuple(None if v == "" else v for v in raw)
        try:
            _field("subject_id", checked_id, values[0])
            key = values[1:]
            found = known.get(key)
            if found is None:
                found = known[key] = _out(grade_row(policy, values, on))
        except FieldError as error:
            raise InvalidRow(source, line, error.reason, field=error.field) from None
        except (TypeError, ValueError) as error:  # an unhashable value
            raise InvalidRow(source, line, f"cannot be read: {error}") from None
        for append, value in zip(add, (values[0], *found), strict=True):
            append(value)
    return columns


def _out(grade: GradeInForce) -> tuple[object, ...]:
    return (grade.domain, grade.grade, grade.how, grade.since, grade.until,
            grade.basis.text, grade.policy_version)  # fmt: skip


def _date(value: object) -> dt.date:
    if type(value) is dt.date:
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput(f"must be a date YYYY-MM-DD, got {shown(value)}")


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _count(value: object) -> int:
    if value in (None, ""):
        return 0
    number = int(str(value))  # a ValueError names the row
    if number < 0:
        raise InvalidInput(f"records must be 0 or more, got {number}")
    return number


def _record(severity: str, domain: str, decided_on: dt.date) -> PublishedRecord:
    return PublishedRecord("row", severity, "penalty", domain, decided_on, decided_on, None, "")
