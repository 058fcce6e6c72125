"""Small argument checks shared by every public entry point."""

from __future__ import annotations

import datetime as dt
import math
from typing import Final

from creditflow.errors import InvalidDate, InvalidInput

__all__ = [
    "MAX_JSON_DEPTH",
    "MAX_JSON_INTEGER",
    "ensure_date",
    "ensure_int",
    "ensure_json_depth",
    "ensure_json_key",
    "ensure_json_scalar",
    "ensure_str",
]

MAX_JSON_DEPTH: Final = 32
"""The deepest nesting of arrays and objects in case data (the data itself is level 1)."""

MAX_JSON_INTEGER: Final = 2**53 - 1
"""The largest magnitude of an integer in case data: the range every JSON reader keeps exact
(I-JSON, RFC 7493)."""


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


def ensure_json_scalar(value: object, where: str) -> bool:
    """True if ``value`` is a JSON scalar a book keeps (None, bool, valid Unicode str, int
    within ±:data:`MAX_JSON_INTEGER`, finite float), False if it is no scalar at all;
    :class:`InvalidInput` naming ``where`` for a scalar out of those bounds."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, str):
        _ensure_unicode(value, where)
    elif isinstance(value, int):
        if abs(value) > MAX_JSON_INTEGER:
            raise InvalidInput(
                f"{where}={value} is beyond ±(2**53 - 1), the integers every JSON reader keeps "
                "exact: give it as a string"
            )
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput(f"{where}={value!r} is not a JSON number (no NaN or infinity)")
    else:
        return False
    return True


def ensure_json_key(key: object, where: str) -> str:
    """``key`` if it is a JSON object key (a valid Unicode str); :class:`InvalidInput` else."""
    if not isinstance(key, str):
        raise InvalidInput(f"{where} has the key {key!r}: JSON object keys are str")
    _ensure_unicode(key, f"a key of {where}")
    return key


def ensure_json_depth(depth: int, where: str) -> None:
    """:class:`InvalidInput` if a container at ``depth`` is nested too deep."""
    if depth > MAX_JSON_DEPTH:
        raise InvalidInput(f"{where} is nested more than {MAX_JSON_DEPTH} levels deep")


def _ensure_unicode(text: str, where: str) -> None:
    try:
        text.encode()
    except UnicodeEncodeError as exc:
        raise InvalidInput(
            f"{where} holds a lone surrogate at index {exc.start}: not valid Unicode"
        ) from None
