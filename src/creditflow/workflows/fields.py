"""The kinds of the data fields that workflow events take, checked before a guard reads them.

A field of the wrong kind (``materials=-1``, ``obligations_fulfilled=1``) is refused when the
event is fired, with :class:`~creditflow.errors.InvalidInput` naming the field and the value,
rather than stored and found later by a guard that cannot read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from creditflow._repr import shown
from creditflow.errors import InvalidInput

__all__ = ["FIELD_KINDS", "check_fields"]


def _text(value: object) -> bool:
    return isinstance(value, str)


def _case_id(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _optional_case_id(value: object) -> bool:
    return value is None or _case_id(value)


def _flag(value: object) -> bool:
    return isinstance(value, bool)


def _names(value: object) -> bool:
    return isinstance(value, list | tuple | set | frozenset) and all(
        isinstance(v, str) and v for v in value
    )


def _table(value: object) -> bool:
    return isinstance(value, Mapping) and all(isinstance(k, str) for k in value)


def _date(value: object) -> bool:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return True
    try:
        return isinstance(value, str) and dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


_KINDS: dict[str, tuple[Callable[[object], bool], str]] = {
    "text": (_text, "a str"),
    "case": (_case_id, "a case id (a non-empty str)"),
    "case?": (_optional_case_id, "a case id (a non-empty str) or None"),
    "flag": (_flag, "True or False"),
    "names": (_names, "a list of names (non-empty str)"),
    "table": (_table, "a dict with str keys"),
    "date": (_date, "a date (or its YYYY-MM-DD text)"),
}

FIELD_KINDS: Mapping[str, str] = {
    "approval_id": "text",
    "authority": "text",
    "basis": "text",
    "cause": "case",
    "commitment_case": "case?",
    "decision": "table",
    "document_number": "text",
    "dual_publication": "flag",
    "grounds": "text",
    "item": "text",
    "materials": "names",
    "measures": "names",
    "obligations_fulfilled": "flag",
    "objection_case": "case",
    "reason": "text",
    "record_kind": "text",
    "remedies": "text",
    "removal_conditions": "text",
    "repair_case": "case",
    "restart": "flag",
    "source_case": "case",
    "subject_name": "text",
    "summary": "text",
    "target": "case",
    "url": "text",
    "valid_until": "date",
    "window": "text",
}
"""The kind of the data fields events of :data:`~creditflow.workflows.MACHINES` take; ``domain``
and ``decided_on`` are checked by their guards (``known_domain``, ``decision_date``) instead,
which name the policy rule."""


_FITS: dict[str, Callable[[object], bool]] = {
    key: _KINDS[kind][0] for key, kind in FIELD_KINDS.items()
}


def fields_fit(data: Mapping[str, Any]) -> bool:
    """True if every field of ``data`` is of its kind: the quick test of every event, with no
    message built (:func:`check_fields` says which field does not fit)."""
    fits = _FITS.get
    for key, value in data.items():
        fit = fits(key)
        if fit is not None and not (fit is _text and type(value) is str) and not fit(value):
            return False
    return True


def check_fields(data: Mapping[str, Any], where: str) -> None:
    """Raise :class:`~creditflow.errors.InvalidInput` for the first field of ``data`` whose
    value is not of its kind; ``where`` names the event (``repair apply``)."""
    for key, value in data.items():
        kind = FIELD_KINDS.get(key)
        if kind is None:
            continue
        fits, expected = _KINDS[kind]
        if not fits(value):
            text = shown(value)  # cut, and never raising for a value nested thousands deep
            text = text if len(text) <= 60 else text[:57] + "..."
            raise InvalidInput(
                f"{where}: data {key}={text} must be {expected}, not of type {type(value).__name__}"
            )
