"""The periods of a plan (a year or its four quarters) and how a subject's visits spread on them."""

from __future__ import annotations

import re

from creditflow._repr import shown
from creditflow.errors import InvalidInput

__all__ = ["period_labels", "read_year", "schedule"]

_YEAR = re.compile(r"[0-9]{4}")


def read_year(period: object) -> int:
    """The year of a plan from ``2026`` or ``"2026"``; anything else is refused."""
    if isinstance(period, int) and not isinstance(period, bool):
        text = str(period)
    elif isinstance(period, str):
        text = period
    else:
        raise InvalidInput(f"period must be a year such as 2026, got {shown(period)}")
    if not _YEAR.fullmatch(text) or int(text) < 1900:
        raise InvalidInput(f"period must be a year such as 2026 (from 1900), got {shown(period)}")
    return int(text)


def period_labels(year: int, quarters: bool) -> tuple[str, ...]:
    """``("2026",)`` for a whole year, ``("2026-Q1", ..., "2026-Q4")`` for its quarters."""
    if not quarters:
        return (str(year),)
    return tuple(f"{year}-Q{q}" for q in range(1, 5))


def schedule(rank: int, visits: int, periods: int) -> list[int]:
    """The period index of each visit of the subject drawn ``rank``-th (0-based) in its stratum.

    Visit ``j`` (0-based) of ``visits`` falls in period ``(rank + j * periods // visits) mod
    periods``: the visits of one subject are spread evenly over the year, and the subjects of a
    stratum take turns at the first period, so each period gets a fair share.
    """
    return [(rank + j * periods // visits) % periods for j in range(visits)]
