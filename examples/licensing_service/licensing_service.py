"""A small licensing service (行政许可系统) built on creditflow's public API only.

It checks an applicant's credit before deciding, approves on commitment (告知承诺) when the
applicant may, accepts applications with documents missing (容缺受理), and revokes an approval
when a commitment turns out to be breached.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import creditflow
from creditflow import errors


@dataclasses.dataclass(frozen=True)
class Answer:
    """What the service tells the applicant: the route taken and why."""

    route: str  # "on_commitment", "missing_documents", "normal_review", "refused"
    approval_id: str
    reasons: tuple[str, ...]
    due: dt.date | None = None
    case_id: str | None = None


class LicensingService:
    """Applications for one domain, on one credit book."""

    def __init__(self, book: creditflow.CreditBook, domain: str) -> None:
        self.book = book
        self.domain = domain
        self.evaluations = creditflow.Evaluations()
        self.revoked: set[str] = set()
        self._cases: dict[str, str] = {}  # approval id -> commitment case id

    def apply(
        self,
        applicant: creditflow.Actor,
        approval_id: str,
        *,
        on: dt.date,
        commit: bool = False,
        missing: tuple[str, ...] = (),
    ) -> Answer:
        """Handle an application; ``applicant.id`` is the subject's code."""
        try:
            result = creditflow.check(self.book, applicant.id, purpose="licensing", on=on,
                                      domain=self.domain, evaluations=self.evaluations,
                                      new_subject=True)  # fmt: skip
        except errors.InvalidInput as error:
            return Answer("refused", approval_id, (error.message,))
        reasons = tuple(f"{c.label.zh}（{c.basis.text}）" for c in result.restrictions)
        if commit and result.applies("commit_and_approve"):
            return self._on_commitment(applicant, approval_id, on, reasons)
        if missing and result.applies("missing_documents"):
            return self._missing(applicant, approval_id, on, missing, reasons)
        return Answer("normal_review", approval_id, reasons)

    def _on_commitment(
        self, applicant: creditflow.Actor, approval_id: str, on: dt.date, reasons: tuple[str, ...]
    ) -> Answer:
        made = creditflow.approve_on_commitment(
            self.book, applicant.id, on=on, actor=applicant, approval_id=approval_id,
            domain=self.domain, evaluations=self.evaluations, new_subject=True,
            idempotency_key=f"approve:{approval_id}",
        )  # fmt: skip
        self._cases[approval_id] = made.case_id
        return Answer("on_commitment", approval_id, reasons, made.due, made.case_id)

    def _missing(
        self,
        applicant: creditflow.Actor,
        approval_id: str,
        on: dt.date,
        missing: tuple[str, ...],
        reasons: tuple[str, ...],
    ) -> Answer:
        made = creditflow.accept_with_missing_documents(
            self.book, applicant.id, on=on, actor=applicant, application_id=approval_id,
            domain=self.domain, missing=list(missing), evaluations=self.evaluations,
            new_subject=True, idempotency_key=f"accept:{approval_id}",
        )  # fmt: skip
        self._cases[approval_id] = made.case_id
        return Answer("missing_documents", approval_id, reasons, made.due, made.case_id)

    def verify(
        self, approval_id: str, *, kept: bool, on: dt.date, officer: creditflow.Actor
    ) -> None:
        """Record the on-site verification; a breach revokes the approval."""
        outcome = creditflow.verify_commitment(
            self.book, self._cases[approval_id], fulfilled=kept, on=on, actor=officer,
            summary="" if kept else "核查发现承诺不实", idempotency_key=f"verify:{approval_id}",
        )  # fmt: skip
        if outcome.revoke_approval is not None:
            self.revoked.add(outcome.revoke_approval)

    def overdue(self, on: dt.date) -> list[str]:
        """Approval ids whose verification or documents are overdue."""
        late = {case.case_id for case, _ in self.book.overdue(on=on)}
        return sorted(a for a, case_id in self._cases.items() if case_id in late)
