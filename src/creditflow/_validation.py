"""Small argument checks shared by every public entry point."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from creditflow._repr import shown
from creditflow.errors import InvalidDate, InvalidInput

__all__ = [
    "MAX_SEQ",
    "check_case_filters",
    "check_event_filters",
    "ensure_bool",
    "ensure_date",
    "ensure_instance",
    "ensure_int",
    "ensure_iterable",
    "ensure_optional_str",
    "ensure_seq",
    "ensure_str",
]

T = TypeVar("T")

MAX_SEQ = 2**63 - 1
"""The largest sequence number or version: SQLite's largest INTEGER."""


def ensure_date(value: object, name: str) -> dt.date:
    """Return ``value`` if it is a plain ``date``; a ``datetime`` or anything else is refused."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidDate(name, value)
    return value


def ensure_str(value: object, name: str) -> str:
    """Return ``value`` if it is a non-empty ``str``."""
    if not isinstance(value, str):
        raise InvalidInput(
            f"{name} must be a str, got {shown(value)} that is a {type(value).__name__}"
        )
    if not value:
        raise InvalidInput(f"{name} must not be empty")
    return value


def ensure_int(value: object, name: str) -> int:
    """Return ``value`` if it is an ``int`` (a ``bool`` is refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(
            f"{name} must be an int, got {shown(value)} that is a {type(value).__name__}"
        )
    return value


def ensure_optional_str(value: object, name: str) -> str | None:
    """Return ``value`` if it is None or a non-empty ``str``."""
    if value is not None and not isinstance(value, str):
        raise InvalidInput(
            f"{name} must be a str or None, got {shown(value)} that is a {type(value).__name__}"
        )
    if value == "":
        raise InvalidInput(f"{name} must not be empty")
    return value


def ensure_bool(value: object, name: str) -> bool:
    """Return ``value`` if it is True or False."""
    if not isinstance(value, bool):
        raise InvalidInput(f"{name} must be True or False, got {shown(value)}")
    return value


def ensure_seq(value: object, name: str) -> int:
    """Return ``value`` if it is an ``int`` in 0..:data:`MAX_SEQ` (a sequence number or version)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SEQ:
        raise InvalidInput(f"{name}={shown(value)} must be an int in 0..{MAX_SEQ}")
    return value


def check_case_filters(subject_id: object, machine: object, open_only: object) -> None:
    """The filters of ``cases()``: a subject id and a machine name (or None), and a flag."""
    ensure_optional_str(subject_id, "subject_id")
    ensure_optional_str(machine, "machine")
    ensure_bool(open_only, "open_only")


def check_event_filters(case_id: object, after: object) -> None:
    """The filters of ``events()``: a case id (or None) and a sequence number."""
    ensure_optional_str(case_id, "case_id")
    ensure_seq(after, "after")


def ensure_instance(value: object, kind: type[T], name: str) -> T:
    """Return ``value`` if it is a ``kind`` (one of creditflow's own types, mostly)."""
    if not isinstance(value, kind):
        raise InvalidInput(
            f"{name} must be a {kind.__qualname__}, got {shown(value)} "
            f"that is a {type(value).__name__}"
        )
    return value


def ensure_iterable(value: object, name: str) -> Iterable[object]:
    """Return ``value`` if it is an iterable other than a str or bytes (a list, a generator)."""
    if isinstance(value, str | bytes | bytearray) or not isinstance(value, Iterable):
        raise InvalidInput(
            f"{name} must be an iterable (a list, a tuple, a generator), got {shown(value)} "
            f"that is a {type(value).__name__}"
        )
    return value
