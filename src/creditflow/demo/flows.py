"""The bureau's daily work as flows of acts: licensing, penalties, listings, objections, repair.

Each flow opens a case and plans its next acts on the :class:`~creditflow.demo.agenda.Agenda`;
a small share of acts is late on purpose, so that the report has missed deadlines (逾期) too.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

from creditflow.book.book import CreditBook
from creditflow.demo.agenda import Agenda
from creditflow.demo.population import Member
from creditflow.errors import TransitionRefused
from creditflow.licensing import (
    Evaluations,
    accept_with_missing_documents,
    approve_on_commitment,
    check,
    verify_commitment,
)
from creditflow.workflows import Actor

__all__ = [
    "AUTHORITY",
    "DECISION",
    "OFFICER",
    "OFFICIAL",
    "REVIEWER",
    "Bureau",
    "decision",
    "subject_actor",
]

OFFICER = Actor("officer-01", {"case_officer"})
REVIEWER = Actor("reviewer-01", {"reviewer"})
OFFICIAL = Actor("official-01", {"approving_official"})
DECISION: dict[str, Any] = {
    "measures": ["key_supervision"],
    "removal_conditions": "期满移出或信用修复后提前移出",
    "remedies": "可依法申请行政复议或提起行政诉讼",
}
AUTHORITY = "演示市交通运输局"
"""The authority that decides the demo's listings (a made-up city's transport bureau)."""
_BASIS = {"serious": "交政研发〔2018〕181号", "watch": "交政研发〔2018〕181号", "red": "守信激励"}


def decision(case_id: str, day: dt.date) -> dict[str, Any]:
    """The data of a listing decision: :data:`DECISION`, its document number and authority."""
    number = f"交信用决字〔{day.year}〕{case_id.rsplit('-', 1)[-1]}号"
    return {**DECISION, "document_number": number, "authority": AUTHORITY}


def subject_actor(member: Member) -> Actor:
    """The subject acting for itself (applying, objecting, committing)."""
    return Actor(member.subject.id, {"subject"})


class Bureau:
    """A county transport bureau at work on one book: every flow of the demo."""

    def __init__(
        self,
        book: CreditBook,
        agenda: Agenda,
        rng: random.Random,
        evaluations: Evaluations,
        tally: Counter[str],
    ) -> None:
        self.book = book
        self.agenda = agenda
        self.rng = rng
        self.evaluations = evaluations
        self.tally = tally

    # ------------------------------------------------------------------ helpers

    def attempt(self, what: str, act: Callable[[], object]) -> bool:
        """Run ``act``; a refusal by a guard is counted under ``refused.<what>``, not raised."""
        try:
            act()
        except TransitionRefused:
            self.tally[f"refused.{what}"] += 1
            return False
        return True

    def later(self, day: dt.date, low: int, high: int) -> dt.date:
        """A working day between ``low`` and ``high`` working days after ``day``."""
        return self.agenda.workdays_after(day, self.rng.randint(low, high))

    # ------------------------------------------------------------------ licensing

    def licensing_application(self, member: Member, day: dt.date) -> None:
        """A licence application: commit-and-approve (告知承诺) if the credit check allows it,
        missing-documents acceptance (容缺受理) for some, or the normal procedure. The approval
        makes the credit check; only a refused one is checked again, for the tally (a refusal
        writes nothing, so the second check reads what the first did)."""
        sid, domain = member.subject.id, member.domain
        self.tally["licensing.checked"] += 1
        application = f"XK-{day:%Y%m%d}-{self.tally['licensing.checked']:06d}"
        try:
            if self.rng.random() < 0.2:
                approval = accept_with_missing_documents(
                    self.book, sid, on=day, actor=subject_actor(member), application_id=application,
                    domain=domain, missing=["安全生产管理制度文本"], evaluations=self.evaluations,
                )  # fmt: skip
            else:
                approval = approve_on_commitment(
                    self.book, sid, on=day, actor=subject_actor(member), approval_id=application,
                    domain=domain, evaluations=self.evaluations,
                )  # fmt: skip
        except TransitionRefused:
            result = check(self.book, sid, purpose="licensing", on=day, domain=domain,
                           evaluations=self.evaluations)  # fmt: skip
            self.tally[f"licensing.restricted.{bool(result.restrictions)}"] += 1
            self.tally["licensing.normal_procedure"] += 1
            return
        self.tally[f"licensing.restricted.{bool(approval.check.restrictions)}"] += 1
        self.tally[f"licensing.{approval.kind}"] += 1
        self._plan_verification(approval.case_id, day, approval.due)

    def _plan_verification(self, case_id: str, day: dt.date, due: dt.date) -> None:
        roll = self.rng.random()
        span = max(1, (due - day).days)
        on_time = day + dt.timedelta(days=self.rng.randint(1, span))
        if roll < 0.88:
            self.agenda.at(on_time, lambda d: self._verify(case_id, d, True))
        elif roll < 0.95:
            self.agenda.at(on_time, lambda d: self._verify(case_id, d, False))
        else:  # verified late: a missed deadline in the report
            late = self.later(due, 1, 10)
            self.agenda.at(late, lambda d: self._verify(case_id, d, True))

    def _verify(self, case_id: str, day: dt.date, fulfilled: bool) -> None:
        summary = "" if fulfilled else "核查发现承诺内容与实际不符"
        self.attempt(
            "commitment.verify",
            lambda: verify_commitment(
                self.book, case_id, fulfilled=fulfilled, on=day, actor=OFFICER, summary=summary
            ),
        )

    # ------------------------------------------------------------------ penalties and objections

    def penalty(self, member: Member, day: dt.date, severity: str) -> str:
        """An administrative penalty (行政处罚) entered as a credit record; returns its case id."""
        decided = day - dt.timedelta(days=self.rng.randint(0, 7))
        case = self.book.open_case(
            f"record.{severity}", member.subject.id, on=day, actor=OFFICER, domain=member.domain,
            record_kind="penalty", decided_on=decided, summary="行政处罚决定",
        )  # fmt: skip
        self.tally[f"penalty.{severity}"] += 1
        if severity != "minor" and self.rng.random() < 0.08:
            self.agenda.after(
                day, self.rng.randint(1, 4), lambda d: self._object(member, case.case_id, d)
            )
        return case.case_id

    def _object(self, member: Member, target: str, day: dt.date) -> None:
        objection = self.book.open_case("objection", member.subject.id, on=day,
                                        actor=subject_actor(member), target=target,
                                        summary="处罚信息有误")  # fmt: skip
        forward_in = 1 if self.rng.random() < 0.95 else 3
        self.agenda.after(day, forward_in, lambda d: self._forward(objection.case_id, d))

    def _forward(self, case_id: str, day: dt.date) -> None:
        self.book.fire(case_id, "forward", on=day, actor=OFFICER)
        upheld = self.rng.random() < 0.3
        self.agenda.after(
            day, self.rng.randint(2, 7), lambda d: self._check_objection(case_id, d, upheld)
        )

    def _check_objection(self, case_id: str, day: dt.date, upheld: bool) -> None:
        event, summary = ("uphold", "核实有误，予以更正") if upheld else ("dismiss", "经核实无误")
        self.book.fire(case_id, event, on=day, actor=REVIEWER, summary=summary)

    # ------------------------------------------------------------------ listings

    def propose_listing(self, member: Member, kind: str, day: dt.date) -> str:
        """Propose a listing (名单); the statement, objection, decision and publication follow."""
        case = self.book.open_case(
            f"listing.{kind}", member.subject.id, on=day, actor=OFFICER, domain=member.domain,
            grounds="多次受到行政处罚" if kind != "red" else "连续三年信用评价AA级",
            basis=_BASIS[kind], subject_name=member.subject.name,
        )  # fmt: skip
        self.tally[f"listing.proposed.{kind}"] += 1
        if kind == "red":
            self.agenda.after(day, 1, lambda d: self._decide(case.case_id, d))
        else:
            self.agenda.after(day, 0, lambda d: self._notify(member, case.case_id, d))
        return case.case_id

    def _notify(self, member: Member, case_id: str, day: dt.date) -> None:
        self.book.fire(case_id, "notify", on=day, actor=OFFICER)
        roll = self.rng.random()
        if roll < 0.08:
            self.agenda.after(day, 2, lambda d: self._object_listing(member, case_id, d))
        elif roll < 0.16:
            self.agenda.after(day, 1, lambda d: self._waive(member, case_id, d))
        elif roll < 0.20:
            self.agenda.after(day, 3, lambda d: self._drop(case_id, d))
        else:
            self.agenda.after(day, self.rng.randint(6, 9), lambda d: self._decide(case_id, d))

    def _waive(self, member: Member, case_id: str, day: dt.date) -> None:
        self.book.fire(case_id, "waive", on=day, actor=subject_actor(member))
        self.agenda.after(day, 1, lambda d: self._decide(case_id, d))

    def _drop(self, case_id: str, day: dt.date) -> None:
        self.book.fire(case_id, "drop", on=day, actor=REVIEWER, summary="证据不足")

    def _object_listing(self, member: Member, case_id: str, day: dt.date) -> None:
        self.book.fire(case_id, "object", on=day, actor=subject_actor(member), summary="事实有误")
        accepted = self.rng.random() < 0.25
        self.agenda.after(day, 2, lambda d: self._answer_objection(case_id, d, accepted))

    def _answer_objection(self, case_id: str, day: dt.date, accepted: bool) -> None:
        if accepted:
            self.book.fire(case_id, "accept_objection", on=day, actor=REVIEWER, summary="异议成立")
            return
        self.book.fire(case_id, "dismiss_objection", on=day, actor=REVIEWER, summary="异议不成立")
        self.agenda.after(day, 5, lambda d: self._decide(case_id, d))

    def _decide(self, case_id: str, day: dt.date) -> None:
        if not self.attempt("listing.decide", lambda: self.book.fire(
                case_id, "decide", on=day, actor=OFFICIAL, **decision(case_id, day))):  # fmt: skip
            return
        late = self.rng.random() < 0.04
        low, high = (21, 25) if late else (1, 5)
        self.agenda.after(day, self.rng.randint(low, high), lambda d: self._publish(case_id, d))

    def _publish(self, case_id: str, day: dt.date) -> None:
        self.book.fire(case_id, "publish", on=day, actor=OFFICER)
        self.tally["listing.published"] += 1

    # ------------------------------------------------------------------ repair

    def apply_for_repair(self, member: Member, target: str, day: dt.date) -> None:
        """A repair application (信用修复) with its repair commitment; acceptance and decision
        follow, most on time, some refused."""
        actor = subject_actor(member)
        promise = self.book.open_case("commitment.repair", member.subject.id, on=day, actor=actor,
                                      domain=member.domain, summary="信用修复承诺",
                                      subject_name=member.subject.name)  # fmt: skip
        complete = self.rng.random() < 0.9
        materials = ["correction_proof", "commitment_letter"] if complete else ["correction_proof"]
        repair = self.book.open_case(
            "repair", member.subject.id, on=day, actor=actor, target=target, materials=materials,
            obligations_fulfilled=True, commitment_case=promise.case_id,
        )  # fmt: skip
        self.tally["repair.applied"] += 1
        task = self._accept if complete else self._reject
        self.agenda.after(day, self.rng.randint(1, 3), lambda d: task(repair.case_id, d))

    def _reject(self, case_id: str, day: dt.date) -> None:
        self.book.fire(case_id, "reject", on=day, actor=OFFICER, summary="材料不全")

    def _accept(self, case_id: str, day: dt.date) -> None:
        if not self.attempt("repair.accept", lambda: self.book.fire(
                case_id, "accept", on=day, actor=OFFICER)):  # fmt: skip
            return
        roll = self.rng.random()
        if roll < 0.05:
            self.agenda.after(day, 3, lambda d: self._extend(case_id, d))
        else:
            approve = roll < 0.85
            self.agenda.after(
                day, self.rng.randint(2, 7), lambda d: self._decide_repair(case_id, d, approve)
            )

    def _extend(self, case_id: str, day: dt.date) -> None:
        self.book.fire(case_id, "extend", on=day, actor=OFFICIAL, summary="情况复杂，延长办理")
        self.agenda.after(day, 8, lambda d: self._decide_repair(case_id, d, True))

    def _decide_repair(self, case_id: str, day: dt.date, approve: bool) -> None:
        if approve:
            self.attempt("repair.approve", lambda: self.book.fire(
                case_id, "approve", on=day, actor=OFFICIAL))  # fmt: skip
        else:
            self.book.fire(case_id, "deny", on=day, actor=OFFICIAL, summary="整改不到位")
