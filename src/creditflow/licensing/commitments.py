"""Commit-and-approve (告知承诺) and missing-documents acceptance (容缺受理) for licensing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from creditflow._repr import shown
from creditflow._validation import ensure_instance, ensure_str
from creditflow.book.book import CreditBook
from creditflow.book.overdue import Overdue
from creditflow.errors import InvalidInput, TransitionRefused, UnknownName
from creditflow.licensing.check import CreditCheck, check
from creditflow.licensing.evaluations import Evaluations
from creditflow.policy.model import Basis
from creditflow.workflows.case import Actor, Case, Effect

__all__ = [
    "CommitmentApproval",
    "CommitmentVerification",
    "accept_with_missing_documents",
    "approve_on_commitment",
    "find_commitment",
    "overdue_commitments",
    "verify_commitment",
]


@attrs.frozen
class CommitmentApproval:
    """What a licensing system needs to issue an approval on commitment, or to accept an
    application with documents missing: its own ``approval_id``, the commitment ``case_id``,
    the last day to verify (or to supply the documents) and the legal basis."""

    approval_id: str
    case_id: str
    kind: str
    due: dt.date
    due_provisional: bool
    basis: Basis
    period_basis: Basis
    check: CreditCheck


@attrs.frozen
class CommitmentVerification:
    """The outcome of :func:`verify_commitment`: the case and what the licensing system must do.

    ``revoke_approval`` is the approval to revoke (a breach of commit-and-approve), else None;
    it is set on a retried call too (``effects`` is then empty: nothing new happened).
    """

    case_id: str
    state: str
    effects: tuple[Effect, ...]
    revoke_approval: str | None


def approve_on_commitment(
    book: CreditBook,
    subject_id: str,
    *,
    on: dt.date,
    actor: Actor,
    approval_id: str,
    domain: str,
    summary: str = "告知承诺审批",
    evaluations: Evaluations | None = None,
    new_subject: bool = False,
    idempotency_key: str | None = None,
) -> CommitmentApproval:
    """Approve on commitment: check eligibility (the ``commit_and_approve`` incentive of the
    licensing check), open an ``approval_substitute`` commitment with its verification deadline.

    ``actor`` makes the commitment and needs the ``subject`` role. Refused with
    :class:`~creditflow.errors.TransitionRefused` naming the rule and basis when not eligible.
    """
    return _open(book, subject_id, "approval_substitute", "commit_and_approve", on=on,
                 actor=actor, approval_id=approval_id, domain=domain, summary=summary,
                 evaluations=evaluations, new_subject=new_subject,
                 idempotency_key=idempotency_key)  # fmt: skip


def accept_with_missing_documents(
    book: CreditBook,
    subject_id: str,
    *,
    on: dt.date,
    actor: Actor,
    application_id: str,
    domain: str,
    missing: Sequence[str],
    evaluations: Evaluations | None = None,
    new_subject: bool = False,
    idempotency_key: str | None = None,
) -> CommitmentApproval:
    """Accept an application with documents ``missing``: a ``missing_documents`` commitment
    whose verification deadline is the last day to supply them (overdue ones are reported by
    :func:`overdue_commitments` and ``CreditBook.overdue``)."""
    if (
        not isinstance(missing, list | tuple | set | frozenset)
        or not missing
        or not all(isinstance(m, str) for m in missing)
    ):
        raise InvalidInput(
            f"missing must be a non-empty list of document names, got {shown(missing)}"
        )
    summary = "容缺受理，待补材料：" + "、".join(missing)
    return _open(book, subject_id, "missing_documents", "missing_documents", on=on,
                 actor=actor, approval_id=application_id, domain=domain, summary=summary,
                 evaluations=evaluations, new_subject=new_subject,
                 idempotency_key=idempotency_key)  # fmt: skip


def _open(
    book: CreditBook,
    subject_id: str,
    kind: str,
    incentive: str,
    *,
    on: dt.date,
    actor: Actor,
    approval_id: str,
    domain: str,
    summary: str,
    evaluations: Evaluations | None,
    new_subject: bool,
    idempotency_key: str | None,
) -> CommitmentApproval:
    approval_id = ensure_str(approval_id, "approval_id")
    result = check(book, subject_id, purpose="licensing", on=on, domain=domain,
                   evaluations=evaluations, new_subject=new_subject)  # fmt: skip
    if not result.applies(incentive):
        raise _not_eligible(result, incentive)
    case = book.open_case(f"commitment.{kind}", result.subject_id, on=on, actor=actor,
                          idempotency_key=idempotency_key, domain=domain, summary=summary,
                          approval_id=approval_id)  # fmt: skip
    return _approval(book, case, approval_id, result)


def _not_eligible(result: CreditCheck, incentive: str) -> TransitionRefused:
    blocking = [r for r in result.restrictions if r.measure == f"no_{incentive}"]
    rule = blocking[0].rule_id if blocking else result.decision_rule
    basis = blocking[0].basis.text if blocking else result.decision_basis
    return TransitionRefused(
        f"subject {result.subject_id} is not eligible for {incentive} "
        f"(grade {result.grade.grade}, lists {sorted(result.lists)}, flags {sorted(result.flags)})",
        event="make",
        guard=f"{incentive}_eligible",
        on=result.on,
        rule=f"{result.policy_version}:{rule}",
        basis=basis,
    )


def _approval(
    book: CreditBook, case: Case, approval_id: str, result: CreditCheck
) -> CommitmentApproval:
    deadline = case.deadline("verification")
    assert deadline is not None  # the commitment machine always sets it
    kind = book.policy_on(case.opened_on).commitments[case.kind]
    return CommitmentApproval(
        approval_id=approval_id,
        case_id=case.case_id,
        kind=case.kind,
        due=deadline.last_day,
        due_provisional=deadline.provisional,
        basis=kind.basis,
        period_basis=kind.verification_period.basis,
        check=result,
    )


def verify_commitment(
    book: CreditBook,
    case_id: str,
    *,
    fulfilled: bool,
    on: dt.date,
    actor: Actor,
    summary: str = "",
    expected_version: int | None = None,
    idempotency_key: str | None = None,
) -> CommitmentVerification:
    """Record the verification: ``fulfil`` (践诺) or ``breach`` (违诺, needs a ``summary``).

    A breach of commit-and-approve reports ``revoke_approval``: the licensing system must
    revoke the approval named in :attr:`CommitmentVerification.revoke_approval`.
    """
    ensure_instance(book, CreditBook, "book")
    if not isinstance(fulfilled, bool):
        raise InvalidInput(f"fulfilled must be a bool, got {shown(fulfilled)}")
    event = "fulfil" if fulfilled else "breach"
    data = {"summary": summary} if summary or not fulfilled else {}
    case = book.fire(case_id, event, on=on, actor=actor, expected_version=expected_version,
                     idempotency_key=idempotency_key, **data)  # fmt: skip
    approval = _to_revoke(book, case)
    return CommitmentVerification(case.case_id, case.state, case.effects, approval)


def _to_revoke(book: CreditBook, case: Case) -> str | None:
    """The approval to revoke: from the case itself, so that a retried (replayed) breach, which
    reports no effects, still says it."""
    if case.state != "breached" or not case.data.get("approval_id"):
        return None
    kind = book.policy_on(case.last_on).commitments[case.kind]
    return str(case.data["approval_id"]) if "revoke_approval" in kind.breach_consequences else None


def overdue_commitments(book: CreditBook, *, on: dt.date, kind: str | None = None) -> list[Overdue]:
    """Commitments open after their verification deadline on ``on``, as they stood that day
    (see :meth:`CreditBook.overdue`: ``Overdue(case, deadline)`` records; ``kind`` narrows
    them, e.g. ``"missing_documents"``: documents not supplied in time)."""
    ensure_instance(book, CreditBook, "book")
    if kind is not None:
        ensure_str(kind, "kind")
    return [
        item
        for item in book.overdue(on=on)
        if item.case.machine == "commitment" and (kind is None or item.case.kind == kind)
    ]


def find_commitment(book: CreditBook, approval_id: str, *, subject_id: str | None = None) -> Case:
    """The commitment made for ``approval_id`` (the approval or application id given to
    :func:`approve_on_commitment` or :func:`accept_with_missing_documents`), read from the
    book: a licensing system keeps no map of its own, and a restarted one finds it again.

    With ``subject_id`` only that subject's cases are read (an indexed query); without, every
    commitment of the book is. Raises :class:`~creditflow.errors.UnknownName` when the book
    holds no commitment for the id.
    """
    ensure_instance(book, CreditBook, "book")
    approval_id = ensure_str(approval_id, "approval_id")
    if not approval_id:
        raise InvalidInput("approval_id must not be empty")
    found = [
        case
        for case in book.cases(subject_id=subject_id, machine="commitment")
        if case.data.get("approval_id") == approval_id
    ]
    if not found:
        where = "the commitments of the book" + (f" of {subject_id}" if subject_id else "")
        raise UnknownName("approval id", approval_id, (), where=where)
    return max(found, key=lambda case: (case.opened_on, case.case_id))
