"""Credit records (信用记录): penalties, breaches and listings with their severity."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from creditflow._validation import ensure_date, ensure_str
from creditflow.core.severity import Severity

__all__ = ["CreditRecord"]


def _check_date(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    ensure_date(value, attribute.name)


def _check_name(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    ensure_str(value, attribute.name)


def _to_severity(value: object) -> Severity:
    return Severity.parse(value)


@attrs.frozen
class CreditRecord:
    """One piece of credit information about a subject (信用信息).

    ``decided_on`` is the date of the decision document: Order 36 runs publication windows
    from it. ``kind`` says what it records (e.g. ``"penalty"``, ``"commitment_breach"``,
    ``"listing"``); ``basis`` the legal basis of the decision.
    """

    record_id: str = attrs.field(validator=_check_name)
    subject_id: str = attrs.field(validator=_check_name)
    domain: str = attrs.field(validator=_check_name)
    kind: str = attrs.field(validator=_check_name)
    severity: Severity = attrs.field(converter=_to_severity)
    decided_on: dt.date = attrs.field(validator=_check_date)
    summary: str = ""
    basis: str = ""
