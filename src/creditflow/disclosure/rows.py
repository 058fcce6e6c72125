"""Checking one submitted row against the catalogue (信用信息目录): every problem, named.

A row is a mapping of field names to values as read from CSV (text) or JSON lines (text,
numbers). :func:`check_row` checks every field of the row's record kind and returns the row's
values as text, or the problems, each with the file, the 1-based line, the field and the rule
it breaks (``required``, ``type.date``, ``pattern``... the list is in docs/disclosure.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

import attrs

from creditflow._repr import shown
from creditflow._validation import (
    ensure_date,
    ensure_instance,
    ensure_int,
    ensure_iterable,
    ensure_str,
)
from creditflow.core.identifiers import is_valid_resident_id, is_valid_uscc
from creditflow.core.privacy import mask_resident_ids
from creditflow.errors import InvalidInput
from creditflow.policy.catalogue import CatalogueField, RecordKind

__all__ = ["INGEST_COLUMNS", "CheckedRow", "RowProblem", "check_row"]

INGEST_COLUMNS = ("published_on",)
"""Columns a row may carry beyond its kind's fields: ``published_on``, the date the decision
was published online (双公示), when it was."""


@attrs.frozen
class RowProblem:
    """One problem of one row: where (``source``, 1-based ``line``, ``field``; the field is
    ``""`` for the row as a whole), which ``rule`` it breaks, and a message (persons' IDs
    masked)."""

    source: str
    line: int
    field: str
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source} line {self.line}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.rule}: {self.message}"


@attrs.frozen
class CheckedRow:
    """A row that passed every rule: its values as text (absent optional fields left out)
    and its publication date, if given."""

    line: int
    values: Mapping[str, str]
    published_on: dt.date | None


def check_row(
    kind: RecordKind,
    row: Mapping[str, object],
    *,
    source: str,
    line: int,
    units: frozenset[str],
    domains: frozenset[str],
    on: dt.date | None = None,
) -> tuple[CheckedRow | None, tuple[RowProblem, ...]]:
    """The checked row, or None and every problem of ``row`` (see the module docstring).
    ``on`` is the date of the check: a ``decided_on`` or ``published_on`` after it is a
    problem (rule ``future``); None checks no date against today."""
    ensure_instance(kind, RecordKind, "kind")
    if not isinstance(row, Mapping):
        raise InvalidInput(f"row must be a mapping of field names to values, got {shown(row)}")
    ensure_str(source, "source")
    ensure_int(line, "line")
    on = None if on is None else ensure_date(on, "on")
    units, domains = _names(units, "units"), _names(domains, "domains")
    problems: list[RowProblem] = []

    def problem(field: str, rule: str, message: str) -> None:
        problems.append(RowProblem(source, line, field, rule, mask_resident_ids(message)))

    known = {f.name for f in kind.fields} | set(INGEST_COLUMNS)
    for name in row:
        if not isinstance(name, str) or name not in known:
            problem(str(name), "unknown_field", f"not a field of {kind.name}")
    values: dict[str, str] = {}
    for field in kind.fields:
        text = _text(row.get(field.name), dates=field.type == "date")
        if text is None:
            rule = "type.text" if field.type in _TEXT_TYPES else f"type.{field.type}"
            wanted = "text or a date" if field.type == "date" else "text or a number"
            problem(field.name, rule, f"must be {wanted}, got {shown(row.get(field.name))}")
        elif not text:
            if field.required:
                problem(field.name, "required", f"{field.label.en} is required")
        else:
            error = _check(field, text, units, domains)
            if error is not None:
                problem(field.name, *error)
            else:
                values[field.name] = text
    published = _published(row, values, problem)
    _check_order(values, problem)
    if on is not None:
        _check_future(values.get("decided_on", ""), published, on, problem)
    if problems:
        return None, tuple(problems)
    return CheckedRow(line, values, published), ()


def _names(value: object, name: str) -> frozenset[str]:
    names = list(ensure_iterable(value, name))
    for item in names:
        ensure_str(item, name)
    return frozenset(str(item) for item in names)


_TEXT_TYPES = frozenset({"text", "party_name", "document_number"})
"""The field types whose only check of a value's type is that it is text."""


def _text(value: object, *, dates: bool = False) -> str | None:
    """A field's value as stripped text ('' when empty or absent): text, a number, or with
    ``dates`` a ``datetime.date`` (a Parquet date column) as ``YYYY-MM-DD``; None for any
    other value (a ``datetime`` is not a date)."""
    if value is None:
        return ""
    if dates and type(value) is dt.date:
        return value.isoformat()
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value) if value == value and abs(value) != float("inf") else None
    return value.strip() if isinstance(value, str) else None


def _check(
    field: CatalogueField, text: str, units: frozenset[str], domains: frozenset[str]
) -> tuple[str, str] | None:
    """The (rule, message) a non-empty value breaks, or None."""
    if field.max_length is not None and len(text) > field.max_length:
        return "max_length", f"{len(text)} characters; at most {field.max_length}"
    check = _CHECKS[field.type]
    error = check(field, text, units, domains)
    if error is not None:
        return f"type.{field.type}", error
    if field.pattern is not None and re.fullmatch(field.pattern, text) is None:
        return "pattern", f"{shown(text)} does not match {field.pattern}"
    return None


def _date(text: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if day.isoformat() == text else None


_Check = Callable[[CatalogueField, str, frozenset[str], frozenset[str]], str | None]


def _no_check(_f: CatalogueField, _t: str, _u: frozenset[str], _d: frozenset[str]) -> None:
    return None


def _check_date(
    _f: CatalogueField, text: str, _u: frozenset[str], _d: frozenset[str]
) -> str | None:
    return None if _date(text) else f"{shown(text)} is not a date YYYY-MM-DD"


def _check_uscc(
    _f: CatalogueField, text: str, _u: frozenset[str], _d: frozenset[str]
) -> str | None:
    return (
        None if is_valid_uscc(text) else f"{shown(text)} is not a valid unified social credit code"
    )


def _check_party(
    _f: CatalogueField, text: str, _u: frozenset[str], _d: frozenset[str]
) -> str | None:
    if is_valid_uscc(text) or is_valid_resident_id(text):
        return None
    return f"{shown(text)} is neither a unified social credit code nor a resident ID"


def _check_enum(f: CatalogueField, text: str, _u: frozenset[str], _d: frozenset[str]) -> str | None:
    return None if text in f.values else f"{shown(text)} is not one of {', '.join(f.values)}"


def _check_amount(
    _f: CatalogueField, text: str, _u: frozenset[str], _d: frozenset[str]
) -> str | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0:
        return f"{shown(text)} is not an amount in yuan (a number >= 0)"
    return None


def _check_unit(
    _f: CatalogueField, text: str, units: frozenset[str], _d: frozenset[str]
) -> str | None:
    return None if text in units else f"{shown(text)} is not a reporting unit: {sorted(units)}"


def _check_domain(
    _f: CatalogueField, text: str, _u: frozenset[str], d: frozenset[str]
) -> str | None:
    return None if text in d else f"{shown(text)} is not a domain of the pack: {sorted(d)}"


_CHECKS: dict[str, _Check] = {
    "text": _no_check,
    "party_name": _no_check,
    "document_number": _no_check,
    "date": _check_date,
    "uscc": _check_uscc,
    "party": _check_party,
    "enum": _check_enum,
    "amount": _check_amount,
    "unit": _check_unit,
    "domain": _check_domain,
}


def _published(
    row: Mapping[str, object], values: Mapping[str, str], problem: Callable[[str, str, str], None]
) -> dt.date | None:
    text = _text(row.get("published_on"), dates=True)
    if not text:
        if text is None:
            problem("published_on", "type.date", "must be a date YYYY-MM-DD")
        return None
    day = _date(text)
    if day is None:
        problem("published_on", "type.date", f"{shown(text)} is not a date YYYY-MM-DD")
        return None
    decided = _date(values.get("decided_on", ""))
    if decided is not None and day < decided:
        problem("published_on", "order", f"published {text}, before the decision {decided}")
    return day


def _check_future(
    decided_text: str,
    published: dt.date | None,
    on: dt.date,
    problem: Callable[[str, str, str], None],
) -> None:
    """Neither the decision nor its publication lies after ``on``, the day of the check."""
    decided = _date(decided_text)
    if decided is not None and decided > on:
        problem("decided_on", "future", f"decided {decided}, after the day of the ingest {on}")
    if published is not None and published > on:
        problem(
            "published_on", "future", f"published {published}, after the day of the ingest {on}"
        )


def _check_order(values: Mapping[str, str], problem: Callable[[str, str, str], None]) -> None:
    """A validity runs forwards: valid_from <= valid_until, and neither before the decision."""
    decided, start, end = (_date(values.get(k, "")) for k in ("decided_on", "valid_from",
                                                              "valid_until"))  # fmt: skip
    if start and end and end < start:
        problem("valid_until", "order", f"valid until {end}, before valid from {start}")
    elif decided and end and end < decided:
        problem("valid_until", "order", f"valid until {end}, before the decision {decided}")
