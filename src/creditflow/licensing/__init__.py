"""Licensing integration (行政许可信用核查): credit checks by purpose, commit-and-approve,
missing-documents acceptance and grades from scores.

A licensing, procurement or bidding system calls :func:`check` before deciding, and
:func:`approve_on_commitment` / :func:`verify_commitment` to run approvals on commitment.
See ``docs/licensing.md``.
"""

from creditflow.licensing.check import Consequence, CreditCheck, check
from creditflow.licensing.commitments import (
    CommitmentApproval,
    CommitmentVerification,
    accept_with_missing_documents,
    approve_on_commitment,
    find_commitment,
    overdue_commitments,
    verify_commitment,
)
from creditflow.licensing.evaluations import Evaluation, Evaluations
from creditflow.licensing.grades import GradeInForce, grade_on, score_grade

__all__ = [
    "CommitmentApproval",
    "CommitmentVerification",
    "Consequence",
    "CreditCheck",
    "Evaluation",
    "Evaluations",
    "GradeInForce",
    "accept_with_missing_documents",
    "approve_on_commitment",
    "check",
    "find_commitment",
    "grade_on",
    "overdue_commitments",
    "score_grade",
    "verify_commitment",
]

Verification = CommitmentVerification
"""Deprecated name of :class:`CommitmentVerification` (kept for existing imports)."""
