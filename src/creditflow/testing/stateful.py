"""A stateful base over the credit book: random histories, built-in invariants, your pack.

Subclass :class:`BookStateMachine`, set ``policy`` to your pack, add invariants of your own,
and expose ``MyHistories.TestCase`` to pytest. Hypothesis then opens listings, records and
repairs, fires every event of every workflow by permitted actors on random later dates, and
checks after each step that the hash chain verifies, that the projections equal the replay of
the events, and that a refused event writes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from creditflow.book.book import SYSTEM, CreditBook
from creditflow.book.memory_store import MemoryStore
from creditflow.calendar.workdays import WorkdayCalendar
from creditflow.core.severity import Severity
from creditflow.errors import CreditflowError
from creditflow.policy.model import Policy
from creditflow.workflows.case import Actor, Case
from creditflow.workflows.definitions import MACHINES

__all__ = [
    "BookStateMachine",
    "CommitmentStateMachine",
    "ListingStateMachine",
    "ObjectionStateMachine",
    "RepairStateMachine",
]

_DECISION = {
    "measures": ["key_supervision"],
    "removal_conditions": "期满或修复",
    "remedies": "复议或诉讼",
}


_USUAL_NEXT = {
    ("listing", "proposed"): "notify",
    ("listing", "notified"): "decide",
    ("listing", "decided"): "publish",
    ("listing", "published"): "remove_early",
    ("repair", "applied"): "accept",
    ("repair", "accepted"): "approve",
}
"""The event that moves a case along its usual path, by workflow and state."""


class BookStateMachine(RuleBasedStateMachine):
    """Random histories over a memory book; subclass it with your own ``policy``.

    Class attributes to set: ``policy`` (a :class:`~creditflow.Policy`, a built-in pack name
    or a ``.toml`` path; the version in force on each date when a name), ``subject`` (the
    unified social credit code of the enterprise the cases are about), ``start_on``,
    ``max_days_per_step``, ``event_data`` (the payload each event is fired with) and
    ``machines`` (the workflows whose events are fired; the per-workflow bases below set it).
    Built-in invariants: :meth:`chain_verifies` and :meth:`projections_equal_the_replay`;
    every refused event is checked to write nothing. ``self.book`` is the book under test and
    ``self.store`` its :class:`~creditflow.book.MemoryStore`, for invariants on the rows.
    """

    policy: ClassVar[Policy | str | None] = None
    subject: ClassVar[str] = "91350100M000100Y43"
    start_on: ClassVar[dt.date] = dt.date(2026, 4, 6)
    max_days_per_step: ClassVar[int] = 120
    machines: ClassVar[frozenset[str]] = frozenset(MACHINES)
    event_data: ClassVar[dict[str, dict[str, Any]]] = {
        "object": {"summary": "异议"},
        "decide": _DECISION,
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

    def __init__(self) -> None:
        super().__init__()
        calendar = WorkdayCalendar.china(published_through=2030)
        self.store = MemoryStore()
        self.book = CreditBook(self.store, policy=self.policy, calendar=calendar)
        self.on = self.start_on
        self.case_ids: list[str] = []

    # ------------------------------------------------------------------ helpers

    @property
    def current_policy(self) -> Policy:
        """The policy in force on the machine's current date."""
        return self.book.policy_on(self.on)

    @property
    def domain(self) -> str:
        """The business domain cases are opened in: the pack's first."""
        return next(iter(self.current_policy.domains))

    def actor(self, role: str) -> Actor:
        """An actor holding ``role``: the subject itself, the system, or a staff member."""
        if role == "subject":
            return Actor(self.subject, {"subject"})
        if role == "system":
            return SYSTEM
        return Actor(f"{role}-1", {role})

    def open(self, kind: str, **data: Any) -> str:
        """Open a case of ``kind`` about :attr:`subject` today; returns its id."""
        machine = kind.partition(".")[0]
        role = "subject" if machine in ("commitment", "repair", "objection") else "case_officer"
        case = self.book.open_case(kind, self.subject, on=self.on, actor=self.actor(role), **data)
        self.case_ids.append(case.case_id)
        return case.case_id

    # ------------------------------------------------------------------ rules

    @initialize()
    def start(self) -> None:
        """Begin with a serious-list proposal (or a commitment, for a base without listings),
        so that every step has a case to act on."""
        policy = self.current_policy
        if "listing" not in self.machines:
            kind = next(iter(policy.commitments))
            self.open(f"commitment.{kind}", domain=self.domain, summary="承诺", approval_id="XK-1")
            return
        kind = "serious" if "serious" in policy.lists else next(iter(policy.lists))
        self.open(f"listing.{kind}", domain=self.domain, grounds="g", basis="b")

    @rule(data=st.data())
    def time_passes(self, data: st.DataObject) -> None:
        """The date moves on by up to ``max_days_per_step`` days."""
        self.on += dt.timedelta(days=data.draw(st.integers(0, self.max_days_per_step)))

    @precondition(lambda self: "listing" in self.machines)
    @rule(data=st.data())
    def propose_listing(self, data: st.DataObject) -> None:
        """Propose a listing of a kind the pack declares."""
        kind = data.draw(st.sampled_from(sorted(self.current_policy.lists)))
        self.open(f"listing.{kind}", domain=self.domain, grounds="g", basis="b")

    @rule(severity=st.sampled_from([s.value for s in Severity]))
    def enter_record(self, severity: str) -> None:
        """Enter a credit record decided today."""
        self.open(
            f"record.{severity}",
            domain=self.domain,
            record_kind="penalty",
            decided_on=self.on,
            summary="s",
        )

    @precondition(lambda self: "commitment" in self.machines)
    @rule(data=st.data())
    def make_commitment(self, data: st.DataObject) -> None:
        """The subject makes a commitment of a kind the pack declares."""
        kind = data.draw(st.sampled_from(sorted(self.current_policy.commitments)))
        approval = f"XK-{len(self.case_ids)}"  # the approval a commit-and-approve stands for
        self.open(f"commitment.{kind}", domain=self.domain, summary="承诺", approval_id=approval)

    @precondition(lambda self: "objection" in self.machines)
    @rule(data=st.data())
    def file_objection(self, data: st.DataObject) -> None:
        """The subject objects to one of its records or listings (refused unless it is
        decided or published)."""
        target = data.draw(st.sampled_from(self.case_ids))
        if self.book.get(target).machine in ("listing", "record"):
            head = self.book.head()
            try:
                self.open("objection", target=target, summary="异议")
            except CreditflowError:
                assert self.book.head() == head, f"a refused objection to {target} wrote events"

    @precondition(lambda self: "repair" in self.machines)
    @rule(data=st.data())
    def apply_for_repair(self, data: st.DataObject) -> None:
        """The subject applies to repair a listing or record (refused while not eligible)."""
        targets = [c for c in self.case_ids if c.partition("-")[0] in ("listing", "record")]
        if not targets:
            return
        target = data.draw(st.sampled_from(targets))
        promise = self.open("commitment.repair", domain=self.domain, summary="s")
        materials = list(self.current_policy.repair.materials.value)
        with contextlib.suppress(CreditflowError):
            self.open(
                "repair",
                target=target,
                obligations_fulfilled=True,
                materials=materials,
                commitment_case=promise,
            )

    @precondition(lambda self: "repair" in self.machines)
    @rule(data=st.data())
    def find_false_materials(self, data: st.DataObject) -> None:
        """False materials come to light in an approved repair: revoking it restores what it
        removed and bars repair."""
        approved = [c for c in self.book.cases(machine="repair") if c.state == "approved"]
        if approved:
            self._fire_by_anyone(data.draw(st.sampled_from(approved)), "revoke", data)

    @rule(data=st.data())
    def years_pass(self, data: st.DataObject) -> None:
        """The date moves on by one to three years: minimum listing periods, expiries and the
        ends of publication come within reach."""
        self.on += dt.timedelta(days=data.draw(st.integers(365, 3 * 365)))

    @rule(data=st.data())
    def fire_something(self, data: st.DataObject) -> None:
        """Fire any event the case's state allows, by an actor the pack permits."""
        case = self.book.get(data.draw(st.sampled_from(self.case_ids)))
        possible = self._possible(case)
        if not possible:
            return
        event = data.draw(st.sampled_from(possible))
        roles = self._roles(case.machine, event)
        if roles:
            actor = self.actor(data.draw(st.sampled_from(roles)))
            self._try(case.case_id, event, actor, self._payload(case.case_id, event, data))

    @rule(data=st.data())
    def move_a_case_on(self, data: st.DataObject) -> None:
        """Fire on one case the first of its possible events, in a random order, that the
        book takes: histories then reach decisions, publications, approvals and early
        removals instead of stopping at the first refusal."""
        case = self.book.get(data.draw(st.sampled_from(self.case_ids)))
        for event in data.draw(st.permutations(self._possible(case))):
            if self._fire_by_anyone(case, event, data):
                return

    @rule(data=st.data())
    def advance_the_procedures(self, data: st.DataObject) -> None:
        """Take every open case one step along its usual path (notify, decide, publish, accept,
        approve, remove early), so that random histories reach the later steps."""
        for case in list(self.book.cases(open_only=True)):
            event = _USUAL_NEXT.get((case.machine, case.state))
            if event is not None and case.machine in self.machines:
                self._fire_by_anyone(case, event, data)

    def _possible(self, case: Case) -> list[str]:
        """The events the case's state allows, if its workflow is one this base fires."""
        if case.machine not in self.machines:
            return []
        return [t.event for t in MACHINES[case.machine].transitions if case.state in t.sources]

    def _roles(self, machine: str, event: str) -> list[str]:
        return sorted(self.current_policy.permissions.roles(machine, event))

    def _payload(self, case_id: str, event: str, data: st.DataObject) -> dict[str, Any]:
        """The data ``event`` is fired with; where it names a repair, one of this case if
        there is one."""
        payload = dict(self.event_data.get(event, {}))
        if "repair_case" in payload:
            repairs = [c for c in self.case_ids if c.startswith("repair-")]
            own = [r for r in repairs if self.book.get(r).data.get("target") == case_id]
            payload["repair_case"] = data.draw(st.sampled_from(own or repairs or ["none"]))
        return payload

    def _fire_by_anyone(self, case: Case, event: str, data: st.DataObject) -> bool:
        """Fire ``event`` by each role permitted in turn until the book takes it."""
        payload = self._payload(case.case_id, event, data)
        roles = self._roles(case.machine, event)
        return any(self._try(case.case_id, event, self.actor(role), payload) for role in roles)

    def _try(self, case_id: str, event: str, actor: Actor, payload: dict[str, Any]) -> bool:
        """Fire ``event``; True if the book took it. A refusal must write nothing."""
        head = self.book.head()
        try:
            self.book.fire(case_id, event, on=self.on, actor=actor, **payload)
        except CreditflowError:
            assert self.book.head() == head, f"refused {event} on {case_id} wrote events"
            return False
        return True

    # ------------------------------------------------------------------ invariants

    @invariant()
    def chain_verifies(self) -> None:
        """The hash chain of the event store is unbroken and every projection is the one its
        case's last event recorded."""
        report = self.book.verify()
        assert report.ok, f"the chain does not verify: {report}"

    @invariant()
    def projections_equal_the_replay(self) -> None:
        """Every case as stored equals the case rebuilt from the events alone."""
        assert self.book.replay() == {c.case_id: c for c in self.book.cases()}

    def teardown(self) -> None:
        self.book.close()


class ListingStateMachine(BookStateMachine):
    """Listings (and the records they enter): proposal to removal."""

    machines = frozenset({"listing", "record"})


class CommitmentStateMachine(BookStateMachine):
    """Commitments made, fulfilled, breached and withdrawn (and the records breaches enter)."""

    machines = frozenset({"commitment", "record"})


class RepairStateMachine(BookStateMachine):
    """Repairs of listings and records, with the listings and records they act on."""

    machines = frozenset({"repair", "listing", "record", "commitment"})


class ObjectionStateMachine(BookStateMachine):
    """Objections to records and listings."""

    machines = frozenset({"objection", "record", "listing"})
