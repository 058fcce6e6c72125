"""The fraud ban: false materials in a repair bar the repair of the original information.

Order 36: false materials or a false commitment in a repair (信用修复) are recorded, published
for ``repair.fraud_publication``, and the original information may not be repaired for
``repair.fraud_ban``. The original information is what the revoked repair was about: its
target, a listing with its credit record or a record. The subject's other records stay
repairable as usual; the record of the false materials is never repaired.

The ``repair_eligible`` guard refuses a repair during a ban, and a status reports it; both ask
:func:`fraud_ban` and :func:`fraud_record_end`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable

import attrs

from creditflow.calendar.periods import Period
from creditflow.workflows.case import Case
from creditflow.workflows.effects import FRAUD_WINDOW, record_id

__all__ = ["FraudBan", "fraud_ban", "fraud_record_end", "original_information"]


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


def original_information(target: Case) -> frozenset[str]:
    """The ids a ban on repairing ``target`` covers: a listing and its credit record (a
    listing is repaired by its early removal, which ends both), or a record alone."""
    if target.machine == "listing":
        return frozenset({target.case_id, record_id(target.case_id)})
    source = target.data.get("source_case")
    if target.data.get("record_kind") == "listing" and isinstance(source, str):
        return frozenset({target.case_id, source})
    return frozenset({target.case_id})


def fraud_ban(
    ban: Callable[[dt.date], Period],
    cases: Iterable[Case],
    on: dt.date,
    add: Callable[[dt.date, Period], dt.date],
    targets: Collection[str],
) -> FraudBan | None:
    """The ban in force on ``on`` on repairing any of ``targets`` (see
    :func:`original_information`) that lasts longest, if any, among a subject's ``cases``:
    ``ban(day)`` (the policy's ``repair.fraud_ban`` that governs a revocation on ``day``)
    runs from the day a repair of one of them was revoked, and ``add`` gives the last day of
    a period from a date."""
    found = None
    for case in cases:
        if case.machine != "repair" or case.state != "revoked" or case.last_on > on:
            continue
        if case.data.get("target") not in targets:
            continue
        until = add(case.last_on, ban(case.last_on))  # its last event is its revocation
        if on <= until and (found is None or until > found.until):
            found = FraudBan(until, case.case_id)
    return found


def fraud_record_end(record: Case) -> str | None:
    """Why ``record`` is never repaired, if it is the record of false materials or a false
    commitment in a repair (published for ``repair.fraud_publication``, its ``window``)."""
    if record.machine != "record" or record.data.get("window") != FRAUD_WINDOW:
        return None
    window = record.deadline("publication_end")
    last = window.last_day.isoformat() if window else "(not started)"
    return (
        "the record of false materials or a false commitment in a repair is published for "
        f"its whole window, until {last}"
    )
