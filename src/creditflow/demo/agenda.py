"""The simulated clock and the agenda (日程) of acts planned for later working days."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable

from creditflow.calendar.workdays import WorkdayCalendar

__all__ = ["Agenda", "SimulatedClock", "Task"]

Task = Callable[[dt.date], object]
"""An act to perform on the working day it falls due (the day is passed in)."""


class SimulatedClock:
    """The book's clock: 09:00 UTC+8 on the simulated day, so that a seed fixes the chain.

    ``pinned``, when set, is the day the clock shows whatever ``day`` says: the day a
    transaction ending later would record, for the parts of it written before."""

    def __init__(self, day: dt.date) -> None:
        self.day = day
        self.pinned: dt.date | None = None

    def __call__(self) -> dt.datetime:
        zone = dt.timezone(dt.timedelta(hours=8))
        return dt.datetime.combine(self.pinned or self.day, dt.time(9, 0), tzinfo=zone)


class Agenda:
    """Tasks by due date, run in the order they were planned (deterministic for a seed)."""

    def __init__(self, calendar: WorkdayCalendar) -> None:
        self._calendar = calendar
        self._heap: list[tuple[dt.date, int, Task]] = []
        self._planned = 0

    def at(self, day: dt.date, task: Task) -> None:
        """Plan ``task`` for ``day`` (it runs on the first simulated working day from then)."""
        self._planned += 1
        heapq.heappush(self._heap, (day, self._planned, task))

    def after(self, day: dt.date, workdays: int, task: Task) -> None:
        """Plan ``task`` ``workdays`` working days after ``day``."""
        self.at(self.workdays_after(day, workdays), task)

    def workdays_after(self, day: dt.date, workdays: int) -> dt.date:
        """The ``workdays``-th working day after ``day`` (provisional past the published years)."""
        return self._calendar.add_workdays(day, workdays, provisional=True).date

    def due(self, day: dt.date) -> list[Task]:
        """Take the tasks due by ``day``, in planned order."""
        tasks = []
        while self._heap and self._heap[0][0] <= day:
            tasks.append(heapq.heappop(self._heap)[2])
        return tasks

    def __len__(self) -> int:
        return len(self._heap)
