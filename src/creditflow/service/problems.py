"""Errors as RFC 9457 problem details: a stable ``code``, the right status, the error's fields.

A problem is JSON with ``type`` (``urn:creditflow:problem:<code>``), ``title``, ``status``,
``detail`` (the error's masked message), ``code`` and the structured fields the error carries
(``case_id``, ``event``, ``state``, ``guard``, ``rule``, ``basis``, ...). Never a stack trace.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

from creditflow import errors

__all__ = [
    "FIELDS",
    "PROBLEM_TYPE",
    "STATUS_TITLES",
    "ServiceProblem",
    "answer_problem",
    "outcome_unknown",
    "problem_of",
    "rate_limited",
    "status_of",
    "unauthenticated",
]

PROBLEM_TYPE = "urn:creditflow:problem:"
"""The prefix of every problem's ``type``; the code follows it."""

STATUS_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}
"""The title of each status a problem may have."""

FIELDS = (
    "case_id",
    "event",
    "state",
    "guard",
    "on",
    "rule",
    "basis",
    "path",  # refusals
    "expected",
    "actual",  # Conflict
    "kind",
    "name",
    "known",
    "where",  # unknown names
    "reason",
    "position",
    "field",
    "line",
    "index",
    "first",  # bad input
    "seq",
    "stratum",
    "versions",
)
"""The structured fields a problem may carry, copied from the error when it has them."""

# The most specific class first: a subclass is mapped before its parent.
_STATUS: tuple[tuple[type[errors.CreditflowError], int], ...] = (
    (errors.NotPermitted, 403),
    (errors.TransitionRefused, 422),
    (errors.InfeasiblePlan, 422),
    (errors.IdempotencyKeyReused, 422),
    (errors.UnknownCase, 404),
    (errors.UnknownSubject, 404),
    (errors.UnknownName, 400),
    (errors.NoPolicyInForce, 400),
    (errors.CalendarUnknown, 400),
    (errors.PolicyError, 400),
    (errors.InvalidInput, 400),
    (errors.Conflict, 409),
    (errors.BookUnavailable, 503),
)


class ServiceProblem(Exception):
    """A problem the service itself finds (no token, a role missing, a rate exceeded, a bad
    header): its ``status``, stable ``code``, ``detail`` and extra ``fields``."""

    def __init__(self, status: int, code: str, detail: str, **fields: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.fields = fields


def status_of(error: errors.CreditflowError) -> int:
    """The HTTP status of a library error: 400 bad input or pack, 404 unknown case or subject,
    403 not permitted, 409 conflict, 422 refused, 503 book unavailable, 500 otherwise."""
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 500


def problem_of(error: BaseException, *, status: int | None = None) -> dict[str, Any]:
    """The problem details of ``error`` (``status`` overrides the mapped one)."""
    if isinstance(error, ServiceProblem):
        return _problem(error.status, error.code, error.detail, error.fields)
    if isinstance(error, errors.BookUnavailable):  # its path and reason stay in the log
        unknown = outcome_unknown(error)
        detail = UNKNOWN_OUTCOME if unknown else UNAVAILABLE
        return _problem(status or 503, error.code, detail, {"outcome_unknown": unknown})
    if isinstance(error, errors.CreditflowError):
        fields = {name: getattr(error, name) for name in FIELDS if hasattr(error, name)}
        return _problem(status or status_of(error), error.code, error.message, fields)
    return _problem(500, "internal_error", "the service failed; the error is logged", {})


def answer_problem(error: BaseException, *, conditional: bool = False) -> dict[str, Any]:
    """The problem details a request failing with ``error`` is answered with: a conflict of
    a ``conditional`` request (``If-Match``) is 412. A ``retry_after`` field is the value of
    the ``Retry-After`` header, not part of the body."""
    if isinstance(error, errors.Conflict) and conditional:
        return problem_of(error, status=412)
    return problem_of(error)


def unauthenticated(*, known: bool) -> ServiceProblem:
    """401: no bearer token, or (``known``) one the service does not know."""
    detail = "the bearer token is not known" if known else "a bearer token is required"
    return ServiceProblem(401, "unauthenticated", detail)


def rate_limited(rate: float, burst: int, retry_after: str) -> ServiceProblem:
    """429: a token over its ``rate`` per second (``burst`` at once); retry after
    ``retry_after`` seconds."""
    return ServiceProblem(
        429,
        "rate_limited",
        f"the token's limit is {rate:g} requests a second (burst {burst}); retry later",
        retry_after=retry_after,
    )


UNAVAILABLE = "the book is unavailable, nothing was written; the change may be tried again"
"""The detail of a 503 ``book_unavailable`` (the database's own words stay in the log)."""
UNKNOWN_OUTCOME = (
    "the book is unavailable and the change may have been written: "
    "retry with the same Idempotency-Key"
)
"""The detail of a 503 ``book_unavailable`` when a commit's outcome is unknown."""


def outcome_unknown(error: errors.BookUnavailable) -> bool:
    """True when the store lost a commit's outcome (the change may have been written)."""
    flag = getattr(error, "outcome_unknown", None)
    if isinstance(flag, bool):
        return flag
    return "whether the change was written" in str(error)


def _problem(status: int, code: str, detail: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    problem: dict[str, Any] = {
        "type": PROBLEM_TYPE + code,
        "title": STATUS_TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
    }
    for name, value in fields.items():
        if value is not None and name not in problem:
            problem[name] = _plain(value)
    return problem


def _plain(value: object) -> Any:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, list | tuple | frozenset | set):
        return [_plain(item) for item in value]
    return str(value)
