"""A small licensing service (行政许可系统) built on creditflow's public API only.

It checks an applicant's credit before deciding, approves on commitment (告知承诺) when the
applicant may, accepts applications with documents missing (容缺受理), and revokes an approval
when a commitment turns out to be breached.

The service keeps no state of its own: every approval on commitment is a case in the credit
book (a SQLite file in production), found again by its approval id with
``creditflow.find_commitment``; a restarted service, or another one on the same book, carries
on where the last stopped. The annual evaluations (grades) come from the grading system and are
handed in, not kept here.
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

    def __init__(
        self,
        book: creditflow.CreditBook,
        domain: str,
        evaluations: creditflow.Evaluations | None = None,
    ) -> None:
        self.book = book
        self.domain = domain
        self.evaluations = evaluations

    def apply(
        self,
        applicant: creditflow.Actor,
        approval_id: str,
        *,
        on: dt.date,
        commit: bool = False,
        missing: tuple[str, ...] = (),
        first_application: bool = False,
    ) -> Answer:
        """Handle an application; ``applicant.id`` is the subject's code.

        ``first_application`` says the registry has never seen this applicant (a new firm):
        only then may the book know nothing of it; an unknown applicant otherwise is refused.
        """
        try:
            result = creditflow.check(self.book, applicant.id, purpose="licensing", on=on,
                                      domain=self.domain, evaluations=self.evaluations,
                                      new_subject=first_application)  # fmt: skip
        except (errors.InvalidInput, errors.UnknownSubject) as error:
            return Answer("refused", approval_id, (error.message,))
        reasons = tuple(f"{c.label.zh}（{c.basis.text}）" for c in result.restrictions)
        if commit and result.applies("commit_and_approve"):
            return self._on_commitment(applicant, approval_id, on, reasons, first_application)
        if missing and result.applies("missing_documents"):
            return self._missing(applicant, approval_id, on, missing, reasons, first_application)
        return Answer("normal_review", approval_id, reasons)

    def _on_commitment(
        self,
        applicant: creditflow.Actor,
        approval_id: str,
        on: dt.date,
        reasons: tuple[str, ...],
        new: bool,
    ) -> Answer:
        made = creditflow.approve_on_commitment(
            self.book, applicant.id, on=on, actor=applicant, approval_id=approval_id,
            domain=self.domain, evaluations=self.evaluations, new_subject=new,
            idempotency_key=f"approve:{approval_id}",
        )  # fmt: skip
        return Answer("on_commitment", approval_id, reasons, made.due, made.case_id)

    def _missing(
        self,
        applicant: creditflow.Actor,
        approval_id: str,
        on: dt.date,
        missing: tuple[str, ...],
        reasons: tuple[str, ...],
        new: bool,
    ) -> Answer:
        made = creditflow.accept_with_missing_documents(
            self.book, applicant.id, on=on, actor=applicant, application_id=approval_id,
            domain=self.domain, missing=list(missing), evaluations=self.evaluations,
            new_subject=new, idempotency_key=f"accept:{approval_id}",
        )  # fmt: skip
        return Answer("missing_documents", approval_id, reasons, made.due, made.case_id)

    def verify(
        self, approval_id: str, *, kept: bool, on: dt.date, officer: creditflow.Actor
    ) -> str | None:
        """Record the on-site verification; return the approval to revoke after a breach."""
        case = creditflow.find_commitment(self.book, approval_id)
        outcome = creditflow.verify_commitment(
            self.book, case.case_id, fulfilled=kept, on=on, actor=officer,
            summary="" if kept else "核查发现承诺不实", idempotency_key=f"verify:{approval_id}",
        )  # fmt: skip
        return outcome.revoke_approval

    def revoked(self, approval_id: str) -> bool:
        """Whether the approval was revoked: its commitment breached (read from the book)."""
        return creditflow.find_commitment(self.book, approval_id).state == "breached"

    def overdue(self, on: dt.date) -> list[str]:
        """Approval ids whose verification or documents are overdue on ``on``."""
        late = [item.case for item in self.book.overdue(on=on)]
        return sorted(
            str(case.data["approval_id"])
            for case in late
            if case.machine == "commitment" and case.data.get("approval_id")
        )
