"""Random histories against the book: the invariants hold whatever the order and the dates.

The machine is the testing kit's :class:`~creditflow.testing.BookStateMachine` (chain verifies,
projections equal the replay, refusals write nothing) with the national pack's invariants on
top.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, settings
from hypothesis.stateful import invariant

from _people import SUBJECT
from creditflow.calendar import Period, WorkdayCalendar
from creditflow.core.severity import Severity
from creditflow.testing import BookStateMachine

_CALENDAR = WorkdayCalendar.china(published_through=2030)  # the calendar of BookStateMachine


def _add(day: dt.date, period: Period) -> dt.date:
    """``day`` plus ``period`` on the book's calendar, as the book counts it."""
    return _CALENDAR.add_period(day, period, provisional=True).date


class BookHistories(BookStateMachine):
    """Opens cases and fires every event of every machine at random on random later dates."""

    policy = "national-transport"
    subject = SUBJECT

    @invariant()
    def no_listing_removed_early_without_an_approved_repair(self) -> None:
        for case in self.book.cases(machine="listing"):
            minimum_ends = None  # the last day of the minimum period, counted here afresh
            for entry in self.book.get(case.case_id).history:
                kind = self.book.policy_on(entry.on).lists[case.kind]
                restarts = kind.restarts_on_restore is not None and kind.restarts_on_restore.value
                starts = entry.event == "decide" or (entry.event == "restore" and restarts)
                if starts and kind.early_removal_after is not None:
                    minimum_ends = _add(entry.on, kind.early_removal_after.value)
                if entry.event == "remove_early":
                    repair = self.book.get(str(entry.data["repair_case"]))
                    approved = [h for h in repair.history if h.event == "approve"]
                    assert approved
                    assert approved[0].on <= entry.on
                    assert minimum_ends is not None
                    assert entry.on > minimum_ends

    @invariant()
    def nothing_is_published_beyond_the_maximum(self) -> None:
        """A record's window runs from its decision, or from the restore of its listing that
        restarted it, for its severity's maximum (or ``repair.fraud_publication``)."""
        policy = self.book.policy_on(self.on)
        for record in self.book.status(SUBJECT, on=self.on).records:
            case = self.book.get(record.case_id)
            restarts = [h.on for h in case.history if h.data.get("restart") is True]
            start = restarts[-1] if restarts else record.decided_on
            window = policy.severities[Severity(record.severity)].publication_max
            if case.data.get("window") == "repair.fraud_publication":
                window = policy.repair.fraud_publication
            assert record.publication_ends == _add(start, window.value)
            assert record.decided_on <= self.on <= record.publication_ends


BookHistories.TestCase.settings = settings(
    max_examples=100,  # enough to reach approved repairs, early removals and restores
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_book_histories = BookHistories.TestCase
