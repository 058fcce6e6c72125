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
    "ensure_json",
    "ensure_json_key",
    "ensure_json_scalar",
    "ensure_str",
    "is_json",
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


def is_json(value: object, depth: int = 1) -> bool:
    """True if ``value`` is JSON a book keeps as it is (see :func:`ensure_json`), checked
    quickly: no names are built, and strings are not checked for lone surrogates (the
    encoder finds those when it writes the text)."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return -MAX_JSON_INTEGER <= value <= MAX_JSON_INTEGER  # type: ignore[operator]
    if kind is float:
        return math.isfinite(value)  # type: ignore[arg-type]
    if depth > MAX_JSON_DEPTH:
        return False
    if kind is dict:
        for key, item in value.items():  # type: ignore[attr-defined]
            if type(key) is not str or (type(item) is not str and not is_json(item, depth + 1)):
                return False
        return True
    if kind is list or kind is tuple:
        for item in value:  # type: ignore[attr-defined]  # noqa: SIM110 (a loop: no generator per call)
            if type(item) is not str and not is_json(item, depth + 1):
                return False
        return True
    return False


def ensure_json(value: object, where: str, depth: int = 1, *, dates: bool = False) -> None:
    """:class:`InvalidInput` naming the first part of ``value`` (at nesting ``depth``) that a
    book does not keep: anything but None, bool, str (valid Unicode), int within
    ±:data:`MAX_JSON_INTEGER`, finite float, list, tuple and dict with str keys, nested at
    most :data:`MAX_JSON_DEPTH` deep. ``dates=True`` also accepts dates and sets of
    comparable values (the workflows keep them as ISO text and sorted lists)."""
    if ensure_json_scalar(value, where):
        return
    if dates and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return
    if isinstance(value, dict | list | tuple) or (dates and isinstance(value, set | frozenset)):
        if depth > MAX_JSON_DEPTH:
            raise InvalidInput(f"{where} is nested more than {MAX_JSON_DEPTH} levels deep")
        if isinstance(value, set | frozenset):
            try:
                sorted(value)
            except TypeError:
                raise InvalidInput(f"{where} is a set of values that cannot be ordered") from None
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(value, dict):
                ensure_json_key(key, where)
            ensure_json(item, f"{where}[{key!r}]", depth + 1, dates=dates)
        return
    raise InvalidInput(
        f"{where} is a {type(value).__name__}, not JSON: give str, int, float, bool, None, "
        "list or dict with str keys"
    )


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


def _ensure_unicode(text: str, where: str) -> None:
    try:
        text.encode()
    except UnicodeEncodeError as exc:
        raise InvalidInput(
            f"{where} holds a lone surrogate at index {exc.start}: not valid Unicode"
        ) from None
