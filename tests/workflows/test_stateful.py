"""Random histories against the book: the invariants hold whatever the order and the dates."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from _people import DECISION, ME, OFFICER, OFFICIAL, REVIEWER, SUBJECT
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from creditflow.book.book import SYSTEM, CreditBook
from creditflow.calendar import WorkdayCalendar
from creditflow.core.severity import Severity
from creditflow.errors import CreditflowError
from creditflow.workflows import MACHINES

ACTORS = {
    "case_officer": OFFICER,
    "reviewer": REVIEWER,
    "approving_official": OFFICIAL,
    "subject": ME,
    "system": SYSTEM,
}

DATA: dict[str, dict[str, Any]] = {
    "object": {"summary": "异议"},
    "decide": DECISION,
    "remove_early": {"repair_case": "?"},
    "revoke": {"summary": "撤销"},
    "restore": {"repair_case": "?"},
    "reject": {"summary": "s"},
    "extend": {"summary": "s"},
    "deny": {"summary": "s"},
    "uphold": {"summary": "s"},
    "dismiss": {"summary": "s"},
    "breach": {"summary": "违诺"},
    "end": {"reason": "r"},
}


class BookHistories(RuleBasedStateMachine):
    """Opens cases and fires every event of every machine at random on random later dates."""

    def __init__(self) -> None:
        super().__init__()
        calendar = WorkdayCalendar.china(published_through=2030)
        self.book = CreditBook.memory(policy="national-transport", calendar=calendar)
        self.on = dt.date(2026, 4, 6)
        self.case_ids: list[str] = []

    @initialize()
    def start(self) -> None:
        self.case_ids.append(
            self._open("listing.serious", domain="road_transport", grounds="g", basis="b")
        )

    def _open(self, kind: str, **data: Any) -> str:
        machine = kind.partition(".")[0]
        actor = ME if machine in ("commitment", "repair", "objection") else OFFICER
        return self.book.open_case(kind, SUBJECT, on=self.on, actor=actor, **data).case_id

    @rule(days=st.integers(0, 120))
    def time_passes(self, days: int) -> None:
        self.on += dt.timedelta(days=days)

    @rule(kind=st.sampled_from(["serious", "watch", "red"]))
    def propose_listing(self, kind: str) -> None:
        self.case_ids.append(
            self._open(f"listing.{kind}", domain="road_transport", grounds="g", basis="b")
        )

    @rule(severity=st.sampled_from([s.value for s in Severity]))
    def enter_record(self, severity: str) -> None:
        self.case_ids.append(
            self._open(
                f"record.{severity}",
                domain="road_transport",
                record_kind="penalty",
                decided_on=self.on,
                summary="s",
            )
        )

    @rule(data=st.data())
    def apply_for_repair(self, data: st.DataObject) -> None:
        target = data.draw(st.sampled_from(self.case_ids))
        if target.split("-")[0] not in ("listing", "record"):
            return
        promise = self._open("commitment.repair", domain="road_transport", summary="s")
        with contextlib.suppress(CreditflowError):  # refused while the target is not eligible
            self.case_ids.append(
                self._open(
                    "repair",
                    target=target,
                    obligations_fulfilled=True,
                    materials=["correction_proof", "commitment_letter"],
                    commitment_case=promise,
                )
            )

    @rule(data=st.data())
    def fire_something(self, data: st.DataObject) -> None:
        case_id = data.draw(st.sampled_from(self.case_ids))
        case = self.book.get(case_id)
        machine = MACHINES[case.machine]
        possible = [t.event for t in machine.transitions if case.state in t.sources]
        if not possible:
            return
        event = data.draw(st.sampled_from(possible))
        roles = sorted(self.book.policy_on(self.on).permissions.roles(machine.name, event))
        actor = ACTORS[data.draw(st.sampled_from(roles))]
        payload = dict(DATA.get(event, {}))
        if "repair_case" in payload:
            repairs = [c for c in self.case_ids if c.startswith("repair-")] or ["none"]
            payload["repair_case"] = data.draw(st.sampled_from(repairs))
        head = self.book.verify().head
        try:
            self.book.fire(case_id, event, on=self.on, actor=actor, **payload)
        except CreditflowError:
            assert self.book.verify().head == head  # a refusal writes nothing

    @rule()
    def advance_the_procedures(self) -> None:
        """Push decided listings and accepted repairs on, so that later steps are reached."""
        steps = {
            ("listing", "decided"): ("publish", OFFICER),
            ("repair", "accepted"): ("approve", OFFICIAL),
        }
        for case in list(self.book.cases(open_only=True)):
            step = steps.get((case.machine, case.state))
            if step is not None:
                with contextlib.suppress(CreditflowError):
                    self.book.fire(case.case_id, step[0], on=self.on, actor=step[1])

    @invariant()
    def chain_verifies(self) -> None:
        assert self.book.verify().ok

    @invariant()
    def projections_equal_the_replay(self) -> None:
        assert self.book.replay() == {c.case_id: c for c in self.book.cases()}

    @invariant()
    def no_listing_removed_early_without_an_approved_repair(self) -> None:
        for case in self.book.cases(machine="listing"):
            for entry in self.book.get(case.case_id).history:
                if entry.event == "remove_early":
                    repair = self.book.get(str(entry.data["repair_case"]))
                    approved = [h for h in repair.history if h.event == "approve"]
                    assert approved
                    assert approved[0].on <= entry.on
                    early = case.deadline("early_removal")
                    assert early is not None
                    assert entry.on > early.last_day

    @invariant()
    def nothing_is_published_beyond_the_maximum(self) -> None:
        policy = self.book.policy_on(self.on)
        for record in self.book.status(SUBJECT, on=self.on).records:
            longest = policy.severities[Severity(record.severity)].publication_max.value
            assert record.publication_ends == self.book._add(record.decided_on, longest)
            assert record.decided_on <= self.on <= record.publication_ends

    def teardown(self) -> None:
        self.book.close()


BookHistories.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_book_histories = BookHistories.TestCase
