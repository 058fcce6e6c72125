"""Credit records (信用记录): penalties, breaches and listings with their severity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs

from creditflow._validation import ensure_date, ensure_str
from creditflow.core.severity import Severity

__all__ = ["CreditRecord"]


def _date(name: str) -> Callable[[object, object, object], None]:
    def check(_instance: object, _attribute: object, value: object) -> None:
        ensure_date(value, name)

    return check


@attrs.frozen
class CreditRecord:
    """One piece of credit information about a subject (信用信息).

    ``decided_on`` is the date of the decision document: Order 36 runs publication windows
    from it. ``kind`` says what it records (e.g. ``"penalty"``, ``"commitment_breach"``,
    ``"listing"``); ``basis`` the legal basis of the decision.
    """

    record_id: str = attrs.field(validator=lambda _i, _a, v: ensure_str(v, "record_id"))
    subject_id: str = attrs.field(validator=lambda _i, _a, v: ensure_str(v, "subject_id"))
    domain: str = attrs.field(validator=lambda _i, _a, v: ensure_str(v, "domain"))
    kind: str = attrs.field(validator=lambda _i, _a, v: ensure_str(v, "kind"))
    severity: Severity = attrs.field(converter=Severity.parse)
    decided_on: dt.date = attrs.field(validator=_date("decided_on"))
    summary: str = ""
    basis: str = ""
