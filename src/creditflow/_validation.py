"""Small argument checks shared by every public entry point."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Final, TypeVar

from creditflow._repr import a_type, shown
from creditflow.errors import InvalidDate, InvalidInput

__all__ = [
    "MAX_JSON_DEPTH",
    "MAX_JSON_INTEGER",
    "MAX_SEQ",
    "check_case_filters",
    "check_event_filters",
    "ensure_bool",
    "ensure_date",
    "ensure_instance",
    "ensure_int",
    "ensure_iterable",
    "ensure_json",
    "ensure_json_key",
    "ensure_json_scalar",
    "ensure_optional_str",
    "ensure_seq",
    "ensure_str",
    "is_json",
]

T = TypeVar("T")

MAX_SEQ = 2**63 - 1
"""The largest sequence number or version: SQLite's largest INTEGER."""

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
    """Return ``value`` if it is a non-empty ``str`` of valid Unicode (no lone surrogate)."""
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a str, got {shown(value)} that is {a_type(value)}")
    if not value:
        raise InvalidInput(f"{name} must not be empty")
    if not value.isascii():
        _ensure_unicode(value, name)
    return value


def ensure_int(value: object, name: str) -> int:
    """Return ``value`` if it is an ``int`` (a ``bool`` is refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{name} must be an int, got {shown(value)} that is {a_type(value)}")
    return value


def ensure_optional_str(value: object, name: str) -> str | None:
    """Return ``value`` if it is None or a non-empty ``str``."""
    if value is not None and not isinstance(value, str):
        raise InvalidInput(
            f"{name} must be a str or None, got {shown(value)} that is {a_type(value)}"
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
            f"{name} must be a {kind.__qualname__}, got {shown(value)} that is {a_type(value)}"
        )
    return value


def ensure_iterable(value: object, name: str) -> Iterable[object]:
    """Return ``value`` if it is an iterable other than a str or bytes (a list, a generator)."""
    if isinstance(value, str | bytes | bytearray) or not isinstance(value, Iterable):
        raise InvalidInput(
            f"{name} must be an iterable (a list, a tuple, a generator), got {shown(value)} "
            f"that is {a_type(value)}"
        )
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
