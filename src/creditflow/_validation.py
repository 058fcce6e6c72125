"""Small argument checks shared by every public entry point."""

from __future__ import annotations

import datetime as dt

from creditflow.errors import InvalidDate, InvalidInput

__all__ = ["ensure_date", "ensure_int", "ensure_str"]


def ensure_date(value: object, name: str) -> dt.date:
    """Return ``value`` if it is a plain ``date``; a ``datetime`` or anything else is refused."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidDate(name, value)
    return value


def ensure_str(value: object, name: str) -> str:
    """Return ``value`` if it is a non-empty ``str``."""
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a str, got {value!r} that is a {type(value).__name__}")
    if not value:
        raise InvalidInput(f"{name} must not be empty")
    return value


def ensure_int(value: object, name: str) -> int:
    """Return ``value`` if it is an ``int`` (a ``bool`` is refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{name} must be an int, got {value!r} that is a {type(value).__name__}")
    return value
