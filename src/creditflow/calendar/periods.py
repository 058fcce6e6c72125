"""Periods of time (期间) such as ``"3 months"`` or ``"5 workdays"``: the value and its text."""

from __future__ import annotations

import enum
import re

import attrs

from creditflow._repr import a_type, shown
from creditflow.errors import InvalidPeriod

__all__ = ["Period", "PeriodUnit"]


class PeriodUnit(enum.StrEnum):
    """The unit of a :class:`Period`.

    ``WORKDAYS`` counts working days (工作日); the other units count calendar days.
    """

    DAYS = "days"
    WORKDAYS = "workdays"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"

    @property
    def singular(self) -> str:
        """The unit's name for an amount of one: ``"month"`` for ``MONTHS``."""
        return self.value[:-1]


# Every spelling that Period.parse reads, singular and plural.
_UNIT_WORDS: dict[str, PeriodUnit] = {
    **{unit.value: unit for unit in PeriodUnit},
    **{unit.singular: unit for unit in PeriodUnit},
    "working days": PeriodUnit.WORKDAYS,
    "working day": PeriodUnit.WORKDAYS,
}
_TEXT = re.compile(r"(?P<amount>[^ ]+) (?P<unit>[^ ]+(?: [^ ]+)?)")
_AMOUNT = re.compile(r"[0-9]+")


def _to_unit(value: object) -> PeriodUnit:
    """Accept a :class:`PeriodUnit` or its plural name (``"months"``)."""
    if isinstance(value, PeriodUnit):
        return value
    if isinstance(value, str):
        try:
            return PeriodUnit(value)
        except ValueError:
            pass
    known = ", ".join(PeriodUnit)
    raise InvalidPeriod(value, f"unknown unit {shown(value)}; expected one of {known}")


def _check_amount(instance: Period, attribute: attrs.Attribute[int], value: object) -> None:
    """Refuse an amount that is not a non-negative ``int`` (a ``bool`` is refused).

    attrs runs validators after every field is set, so ``instance.unit`` is available.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        reason = f"amount must be an int, got {shown(value)} that is {a_type(value)}"
        raise InvalidPeriod(f"{shown(value)} {instance.unit}", reason)
    if value < 0:
        raise InvalidPeriod(f"{value} {instance.unit}", f"amount={value} must not be negative")


@attrs.frozen(cache_hash=True)  # periods are cache keys of every deadline computed
class Period:
    """A length of time: an ``amount`` of a ``unit``, e.g. three months or five workdays.

    The text form is ``"<amount> <unit>"`` with one space (``"3 months"``, ``"1 year"``,
    ``"5 workdays"``); :meth:`parse` reads it and ``str()`` writes it. Periods of different
    units are not ordered: a month is not a fixed number of days.
    """

    amount: int = attrs.field(validator=_check_amount)
    unit: PeriodUnit = attrs.field(converter=_to_unit)

    @classmethod
    def parse(cls, text: object) -> Period:
        """Read ``"3 months"``, ``"1 year"``, ``"5 workdays"``, ``"5 working days"``, ``"2 weeks"``.

        Singular and plural are both read; the amount is a whole number without sign.
        Anything else raises :class:`~creditflow.errors.InvalidPeriod` with the reason.
        """
        if not isinstance(text, str):
            raise InvalidPeriod(text, f"must be a str, not {type(text).__name__}")
        match = _TEXT.fullmatch(text)
        if match is None:
            raise InvalidPeriod(
                text, "expected '<amount> <unit>' with one space, e.g. '3 months' or '5 workdays'"
            )
        amount, word = match["amount"], match["unit"]
        if not _AMOUNT.fullmatch(amount):
            raise InvalidPeriod(text, f"amount {shown(amount)} is not a non-negative whole number")
        unit = _UNIT_WORDS.get(word)
        if unit is None and word.lower() in _UNIT_WORDS:
            raise InvalidPeriod(text, f"write the unit in lower case: {shown(word.lower())}")
        if unit is None:
            known = ", ".join(sorted(_UNIT_WORDS))
            raise InvalidPeriod(text, f"unknown unit {shown(word)}; expected one of {known}")
        return cls(int(amount), unit)

    @classmethod
    def days(cls, amount: int) -> Period:
        """A period of ``amount`` calendar days (日)."""
        return cls(amount, PeriodUnit.DAYS)

    @classmethod
    def workdays(cls, amount: int) -> Period:
        """A period of ``amount`` working days (工作日)."""
        return cls(amount, PeriodUnit.WORKDAYS)

    @classmethod
    def weeks(cls, amount: int) -> Period:
        """A period of ``amount`` weeks (周) of seven calendar days."""
        return cls(amount, PeriodUnit.WEEKS)

    @classmethod
    def months(cls, amount: int) -> Period:
        """A period of ``amount`` months (月)."""
        return cls(amount, PeriodUnit.MONTHS)

    @classmethod
    def years(cls, amount: int) -> Period:
        """A period of ``amount`` years (年)."""
        return cls(amount, PeriodUnit.YEARS)

    @property
    def is_calendar(self) -> bool:
        """True unless the period counts working days: it needs no holiday schedule."""
        return self.unit is not PeriodUnit.WORKDAYS

    def __str__(self) -> str:
        word = self.unit.singular if self.amount == 1 else self.unit.value
        return f"{self.amount} {word}"
