"""creditflow: credit-based supervision (信用监管) for Chinese transport administration.

The public surface, re-exported from the layers below::

    import creditflow
    policy = creditflow.load_policy()                 # the default pack in force today
    engine = creditflow.Engine(policy)
    decision = engine.decide(creditflow.Facts(domain="road_transport", grade="B"))
    print(decision.sampling_ratio, decision.explain("en"))

Errors live in :mod:`creditflow.errors`.
"""

import importlib
from typing import TYPE_CHECKING, Any

from creditflow import errors
from creditflow.calendar import CalendarDate, Period, PeriodUnit, WorkdayCalendar, WorkdayCount
from creditflow.core import (
    CreditRecord,
    Facts,
    Grade,
    GradeScale,
    Label,
    ResidentId,
    Severity,
    Subject,
    SubjectKind,
    Uscc,
    is_valid_resident_id,
    is_valid_uscc,
)
from creditflow.policy import Policy, builtin_versions, read_policy
from creditflow.rules import AnalysisReport, Decision, Engine, check_policy, load_policy

if TYPE_CHECKING:
    from creditflow.book import CreditBook, CreditStatus
    from creditflow.licensing import (
        CreditCheck,
        Evaluation,
        Evaluations,
        accept_with_missing_documents,
        approve_on_commitment,
        check,
        find_commitment,
        grade_on,
        verify_commitment,
    )
    from creditflow.workflows import Actor, Case

# The book, the workflows and licensing load on first use: `import creditflow` stays fast for
# callers who only decide.
_LAZY = {
    "CreditBook": "creditflow.book",
    "CreditStatus": "creditflow.book",
    "Actor": "creditflow.workflows",
    "Case": "creditflow.workflows",
    "CreditCheck": "creditflow.licensing",
    "Evaluation": "creditflow.licensing",
    "Evaluations": "creditflow.licensing",
    "accept_with_missing_documents": "creditflow.licensing",
    "approve_on_commitment": "creditflow.licensing",
    "check": "creditflow.licensing",
    "find_commitment": "creditflow.licensing",
    "grade_on": "creditflow.licensing",
    "verify_commitment": "creditflow.licensing",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'creditflow' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
    "Actor",
    "AnalysisReport",
    "CalendarDate",
    "Case",
    "CreditBook",
    "CreditCheck",
    "CreditRecord",
    "CreditStatus",
    "Decision",
    "Engine",
    "Evaluation",
    "Evaluations",
    "Facts",
    "Grade",
    "GradeScale",
    "Label",
    "Period",
    "PeriodUnit",
    "Policy",
    "ResidentId",
    "Severity",
    "Subject",
    "SubjectKind",
    "Uscc",
    "WorkdayCalendar",
    "WorkdayCount",
    "__version__",
    "accept_with_missing_documents",
    "approve_on_commitment",
    "builtin_versions",
    "check",
    "check_policy",
    "errors",
    "find_commitment",
    "grade_on",
    "is_valid_resident_id",
    "is_valid_uscc",
    "load_policy",
    "read_policy",
    "verify_commitment",
]
