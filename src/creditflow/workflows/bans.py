"""The fraud ban: false materials in a repair bar the subject from repair (信用修复) for a while.

The ``repair_eligible`` guard refuses a repair during a ban, and a status reports it; both ask
:func:`fraud_ban`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import attrs

from creditflow.calendar.periods import Period
from creditflow.workflows.case import Case

__all__ = ["FraudBan", "fraud_ban"]


@attrs.frozen
class FraudBan:
    """A ban in force: its last day and the revoked repair that started it."""

    until: dt.date
    repair_case: str

    @property
    def reason(self) -> str:
        """Why a repair is refused, in English."""
        return (
            f"repair is barred until {self.until.isoformat()} after false materials "
            f"(repair {self.repair_case})"
        )


def fraud_ban(
    ban: Period,
    cases: Iterable[Case],
    on: dt.date,
    add: Callable[[dt.date, Period], dt.date],
) -> FraudBan | None:
    """The ban in force on ``on`` among a subject's ``cases`` that lasts longest, if any:
    ``ban`` (the policy's ``repair.fraud_ban``) runs from the day a repair was revoked for
    false materials, and ``add`` gives the last day of a period from a date."""
    found = None
    for case in cases:
        if case.machine != "repair" or case.state != "revoked" or case.last_on > on:
            continue
        until = add(case.last_on, ban)  # a revoked repair's last event is its revocation
        if on <= until and (found is None or until > found.until):
            found = FraudBan(until, case.case_id)
    return found
