"""Reporting periods (报告期) of the rates and the assessment: a year, a quarter or a month."""

from __future__ import annotations

import datetime as dt
import re

import attrs

from creditflow._repr import shown
from creditflow.errors import InvalidInput

__all__ = ["ReportingPeriod"]

_FORMS = re.compile(r"(?P<year>[0-9]{4})(?:-Q(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))?")


@attrs.frozen
class ReportingPeriod:
    """A period by its label: ``2026`` (a year), ``2026-Q3`` (a quarter) or ``2026-07`` (a
    month), with its first and last day."""

    label: str
    start: dt.date
    end: dt.date

    @classmethod
    def parse(cls, text: object) -> ReportingPeriod:
        """The period ``text`` names; :class:`~creditflow.errors.InvalidInput` otherwise."""
        match = _FORMS.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise InvalidInput(
                f"period {shown(text)}: use a year (2026), a quarter (2026-Q3) or a month (2026-07)"
            )
        year = int(match["year"])
        if year < 1900:
            raise InvalidInput(f"period {shown(text)}: the year must be 1900 or later")
        if match["quarter"]:
            first = 3 * int(match["quarter"]) - 2
            start, months = dt.date(year, first, 1), 3
        elif match["month"]:
            start, months = dt.date(year, int(match["month"]), 1), 1
        else:
            start, months = dt.date(year, 1, 1), 12
        after = start.month - 1 + months
        following = dt.date(year + after // 12, after % 12 + 1, 1)
        return cls(str(text), start, following - dt.timedelta(days=1))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end
