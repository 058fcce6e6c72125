"""The book's scheduler: the automatic ends (expiries, ends of publication) fired when due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from creditflow.book._cases import SYSTEM
from creditflow.book._repository import Repository
from creditflow.book.overdue import Overdue
from creditflow.workflows.case import Case
from creditflow.workflows.definitions import MACHINES

__all__ = ["AUTOMATIC", "Scheduler"]

AUTOMATIC = {("listing", "expiry"): "expire", ("record", "publication_end"): "end"}
"""The event fired, as ``system``, when a deadline of a machine is reached."""


class Scheduler:
    """``run_due`` (see :class:`~creditflow.CreditBook`): asks what is overdue and fires the
    automatic ends, through the book's own ``overdue`` and ``fire`` (so that a book that
    extends them schedules with them)."""

    def __init__(
        self,
        repository: Repository,
        overdue: Callable[..., list[Overdue]],
        fire: Callable[..., Case],
    ) -> None:
        self.repository = repository
        self.overdue = overdue
        self.fire = fire

    def run_due(self, *, on: dt.date) -> list[Case]:
        fired = []
        for case, deadline in self.overdue(on=on):
            event = AUTOMATIC.get((case.machine, deadline.name))
            if event is None:
                continue
            current = self.repository.case(case.case_id)
            if current.version != case.version or deadline.met_on is not None:
                continue  # already moved by an earlier follow-up, or met after ``on``
            transition = MACHINES[case.machine].transition(event)
            if transition is None or current.state not in transition.sources:
                continue
            data: dict[str, Any] = (
                {"reason": f"{deadline.name} reached"} if case.machine == "record" else {}
            )
            fired.append(self.fire(case.case_id, event, on=on, actor=SYSTEM, **data))
        return fired
