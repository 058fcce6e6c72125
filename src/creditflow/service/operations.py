"""The operations of the HTTP service, declared as data: path, method, request schema, the
library type of the answer, the statuses, the retry headers and an example that runs.

The routes of the application and the OpenAPI document are both made from this table.
"""

from __future__ import annotations

from typing import Any

import attrs

from creditflow.book.status import CreditStatus
from creditflow.licensing import CommitmentApproval, CommitmentVerification, CreditCheck
from creditflow.rules.decision import Decision
from creditflow.supervision.verify import PlanVerification
from creditflow.workflows.case import Case, DeadlineState

__all__ = ["EXAMPLE_ACTORS", "OFFICIAL_HEADER", "OPERATIONS", "Operation"]

FIRM = "91350100M000100Y43"
APPLICANT = "91110000600037341L"

NEWCOMER = "91440300708461136T"
"""A subject the example book never holds."""
GRADED = "914403001922038216"
"""A subject the examples' register grades too low for commit-and-approve."""

EXAMPLE_ACTORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "officer": ("officer-1", ("case_officer",)),
    "official": ("official-1", ("approving_official",)),
    "reviewer": ("reviewer-1", ("reviewer",)),
    "applicant": (APPLICANT, ("subject",)),
    "newcomer": (NEWCOMER, ("subject",)),
    "graded": (GRADED, ("subject",)),
}
"""The tokens the examples are sent with: actor id and roles."""

OFFICIAL_HEADER = "Official-Authorization"
"""The header of an official's bearer token vouching for a subject's ``new_subject``."""

_DATE = {"type": "string", "format": "date", "example": "2026-06-01"}
_TEXT = {"type": "string", "minLength": 1}
_NAMES = {"type": "array", "items": _TEXT}
_SUBJECT = {
    "type": "string",
    "minLength": 18,
    "maxLength": 18,
    "description": "unified social credit code or resident ID",
}
_EVALUATIONS = {
    "type": "array",
    "maxItems": 100,
    "description": "the subject's annual evaluations (信用评价) known to the caller",
    "items": {
        "type": "object",
        "required": ["domain", "year", "score", "evaluated_on"],
        "additionalProperties": False,
        "properties": {
            "domain": _TEXT,
            "year": {"type": "integer", "minimum": 1990, "maximum": 9999},
            "score": {"anyOf": [{"type": "integer"}, _TEXT]},
            "evaluated_on": _DATE,
        },
    },
}
_NEW_SUBJECT = {
    "type": "boolean",
    "default": False,
    "description": "check the subject as new (no case in the book, no evaluation): a fact of "
    "the licensing authority, never of the subject. An official's token asserts it; a "
    "subject's token only with an official's token in the Official-Authorization header "
    "(else 403 not_permitted, field new_subject)",
}
_FACTS = {
    "type": "object",
    "required": ["domain", "grade"],
    "additionalProperties": False,
    "properties": {"domain": _TEXT, "grade": _TEXT, "lists": _NAMES, "flags": _NAMES},
}
_DATA = {"type": "object", "description": "the event's data (see docs/workflows.md)"}
_ROW = {
    "type": "object",
    "additionalProperties": {
        "anyOf": [{"type": "string"}, {"type": "number"}, {"type": "null"}, _NAMES]
    },
}


def _body(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


@attrs.frozen
class Operation:
    """One operation: ``answer`` is the library type the response holds (its schema is read
    from it) or a JSON Schema; ``example`` runs in order on an empty book (``as_`` names the
    example token, ``path`` the example path). ``vouched``: the request may carry
    ``new_subject``, and a subject's request an official's token in
    :data:`OFFICIAL_HEADER` vouching for it (``example_official`` names the example's)."""

    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    answer: Any
    status: int = 200
    request: dict[str, Any] | None = None
    query: tuple[tuple[str, dict[str, Any], bool], ...] = ()
    errors: tuple[int, ...] = (400, 401, 403, 429, 503)
    idempotent: bool = False
    if_match: bool = False
    etag: bool = False
    example: dict[str, Any] | None = None
    example_path: str | None = None
    example_query: dict[str, str] | None = None
    as_: str = "officer"
    vouched: bool = False
    example_official: str | None = None


def _list(name: str, item: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [name],
        "additionalProperties": False,
        "properties": {name: {"type": "array", "items": item}},
    }


_OVERDUE = {
    "type": "object",
    "required": ["case_id", "machine", "kind", "subject_id", "state", "deadline"],
    "additionalProperties": False,
    "properties": {
        "case_id": _TEXT,
        "machine": _TEXT,
        "kind": _TEXT,
        "subject_id": _TEXT,
        "state": _TEXT,
        "deadline": DeadlineState,
    },
}
_OVERDUE_COMMITMENT = {
    "type": "object",
    "required": ["case_id", "kind", "subject_id", "approval_id", "deadline"],
    "additionalProperties": False,
    "properties": {
        "case_id": _TEXT,
        "kind": _TEXT,
        "subject_id": _TEXT,
        "approval_id": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "deadline": DeadlineState,
    },
}

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "openCase",
        "POST",
        "/cases",
        "Open a case",
        "Opens a listing, commitment, record, repair or objection case "
        "(`CreditBook.open_case`) as the token's actor.",
        Case,
        status=201,
        errors=(400, 401, 403, 404, 409, 422, 429, 503),
        idempotent=True,
        etag=True,
        request=_body(
            ["kind", "subject_id", "on"], kind=_TEXT, subject_id=_SUBJECT, on=_DATE, data=_DATA
        ),
        example={
            "kind": "listing.serious",
            "subject_id": FIRM,
            "on": "2026-05-06",
            "data": {
                "domain": "road_transport",
                "grounds": "多次严重违法",
                "basis": "交政研发〔2018〕181号",
            },
        },
    ),
    Operation(
        "fireEvent",
        "POST",
        "/cases/{case_id}/events",
        "Fire an event on a case",
        "Fires `event` (`CreditBook.fire`) as the token's actor. `If-Match` with the case's "
        "ETag makes it conditional (412 when the case moved); `Idempotency-Key` makes a retry "
        "return the case as the first request left it.",
        Case,
        errors=(400, 401, 403, 404, 409, 412, 422, 429, 503),
        idempotent=True,
        if_match=True,
        etag=True,
        request=_body(["event", "on"], event=_TEXT, on=_DATE, data=_DATA),
        example={"event": "notify", "on": "2026-05-06"},
        example_path="/cases/listing-1/events",
    ),
    Operation(
        "getCase",
        "GET",
        "/cases/{case_id}",
        "A case with its history",
        "The case, its deadlines and its history (`CreditBook.get`); the ETag is its version. "
        "A subject's token sees its own cases only (another's is 404).",
        Case,
        errors=(401, 404, 429, 503),
        etag=True,
        example_path="/cases/listing-1",
    ),
    Operation(
        "subjectStatus",
        "POST",
        "/status",
        "A subject's credit status on a date",
        "Records in publication, active listings, open cases, flags and repair eligibility "
        "(`CreditBook.status`). The subject is in the body, not the URL, so that a person's "
        "resident ID stays out of access logs.",
        CreditStatus,
        request=_body(["subject_id", "on"], subject_id=_SUBJECT, on=_DATE),
        example={"subject_id": FIRM, "on": "2026-06-01"},
    ),
    Operation(
        "checkCredit",
        "POST",
        "/checks",
        "Credit check for a purpose",
        "May the matter proceed normally, with which restrictions and incentives "
        "(`creditflow.check`). Logged in the decision log. A subject unknown to the book is "
        "404 `unknown_subject` unless `new_subject: true`, which an official's token may "
        "assert; a subject's token only with an official's token in `Official-Authorization` "
        "(else 403 `not_permitted`, `field: new_subject`).",
        CreditCheck,
        errors=(400, 401, 403, 404, 429, 503),
        request=_body(
            ["subject_id", "purpose", "on", "domain"],
            subject_id=_SUBJECT,
            purpose=_TEXT,
            on=_DATE,
            domain=_TEXT,
            evaluations=_EVALUATIONS,
            new_subject=_NEW_SUBJECT,
        ),
        vouched=True,
        example={
            "subject_id": FIRM,
            "purpose": "licensing",
            "on": "2026-06-01",
            "domain": "road_transport",
        },
    ),
    Operation(
        "decide",
        "POST",
        "/decisions",
        "Decide graded supervision for facts",
        "The decision of the table in force on `on` (`Engine.decide`): sampling ratio (exact, "
        "as text), inspections a year, measures, rule and basis. Logged.",
        Decision,
        request=_body(["on", "facts"], on=_DATE, facts=_FACTS),
        example={"on": "2026-06-01", "facts": {"domain": "road_transport", "grade": "B"}},
    ),
    Operation(
        "decideBatch",
        "POST",
        "/decisions/batch",
        "Decide many facts at once",
        "Decisions in order (`Engine.decide_many`), at most 1000 facts a request; a bad item "
        "is a 400 naming its `index`. Logged as one line.",
        _list("decisions", Decision),
        request=_body(
            ["on", "facts"], on=_DATE, facts={"type": "array", "items": _FACTS, "maxItems": 1000}
        ),
        example={
            "on": "2026-06-01",
            "facts": [
                {"domain": "road_transport", "grade": "A"},
                {"domain": "road_transport", "grade": "D", "lists": ["serious"]},
            ],
        },
    ),
    Operation(
        "approveOnCommitment",
        "POST",
        "/commitments/approvals",
        "Approve on commitment",
        "Checks eligibility and opens an `approval_substitute` commitment "
        "(`creditflow.approve_on_commitment`) as the subject (a subject's token). 422 when "
        "not eligible, naming the rule and basis. A subject's token may not state "
        "`evaluations`: they come from the service's register (`--evaluations`). A subject "
        "unknown to the book is 404 `unknown_subject` unless `new_subject` is vouched for by "
        "an official's token in `Official-Authorization` (its roles must be among those the "
        "pack lets verify commitments); a subject's token asserting it alone is 403 "
        "`not_permitted` with `field: new_subject`, nothing written.",
        CommitmentApproval,
        status=201,
        errors=(400, 401, 403, 404, 409, 422, 429, 503),
        idempotent=True,
        request=_body(
            ["subject_id", "on", "approval_id", "domain"],
            subject_id=_SUBJECT,
            on=_DATE,
            approval_id=_TEXT,
            domain=_TEXT,
            summary={"type": "string"},
            evaluations=_EVALUATIONS,
            new_subject=_NEW_SUBJECT,
        ),
        vouched=True,
        example={
            "subject_id": APPLICANT,
            "on": "2026-06-01",
            "approval_id": "XK-2026-001",
            "domain": "road_transport",
            "new_subject": True,
        },
        as_="applicant",
        example_official="officer",
    ),
    Operation(
        "acceptMissingDocuments",
        "POST",
        "/commitments/missing-documents",
        "Accept an application with documents missing",
        "Opens a `missing_documents` commitment whose deadline is the last day to supply "
        "them (`creditflow.accept_with_missing_documents`), as the subject. `new_subject` "
        "as for `approveOnCommitment`: vouched for by an official's token in "
        "`Official-Authorization`, never asserted by the subject's token alone (403).",
        CommitmentApproval,
        status=201,
        errors=(400, 401, 403, 404, 409, 422, 429, 503),
        idempotent=True,
        request=_body(
            ["subject_id", "on", "application_id", "domain", "missing"],
            subject_id=_SUBJECT,
            on=_DATE,
            application_id=_TEXT,
            domain=_TEXT,
            missing={"type": "array", "items": _TEXT, "minItems": 1},
            evaluations=_EVALUATIONS,
            new_subject=_NEW_SUBJECT,
        ),
        vouched=True,
        example={
            "subject_id": APPLICANT,
            "on": "2026-06-02",
            "application_id": "SQ-2026-002",
            "domain": "road_transport",
            "missing": ["道路运输证复印件"],
            "new_subject": True,
        },
        as_="applicant",
        example_official="officer",
    ),
    Operation(
        "verifyCommitment",
        "POST",
        "/commitments/{case_id}/verification",
        "Record a commitment's verification",
        "`fulfilled: true` fulfils, `false` breaches (with a `summary`) "
        "(`creditflow.verify_commitment`); `revoke_approval` names the approval to revoke.",
        CommitmentVerification,
        errors=(400, 401, 403, 404, 409, 412, 422, 429, 503),
        idempotent=True,
        if_match=True,
        etag=True,
        request=_body(
            ["fulfilled", "on"], fulfilled={"type": "boolean"}, on=_DATE, summary={"type": "string"}
        ),
        example={"fulfilled": True, "on": "2026-06-20"},
        example_path="/commitments/commitment-3/verification",
    ),
    Operation(
        "listOverdue",
        "GET",
        "/overdue",
        "Deadlines overdue on a date",
        "Every due deadline overdue on `on`, as it stood that day (`CreditBook.overdue`). "
        "Not for subjects' tokens.",
        _list("overdue", _OVERDUE),
        query=(("on", _DATE, True),),
        example_query={"on": "2026-08-01"},
    ),
    Operation(
        "listOverdueCommitments",
        "GET",
        "/commitments/overdue",
        "Commitments overdue on a date",
        "Commitments open past their verification deadline (`overdue_commitments`), of one "
        "`kind` if given (`missing_documents`: documents not supplied in time).",
        _list("overdue", _OVERDUE_COMMITMENT),
        query=(("on", _DATE, True), ("kind", _TEXT, False)),
        example_query={"on": "2026-08-01", "kind": "missing_documents"},
    ),
    Operation(
        "listNotices",
        "GET",
        "/notices",
        "Public notices on a date",
        "Listings, commitments and repairs public on `on`, persons masked, with the `anchor` "
        "(`SEQ:HASH`) of the book they were read from (`extract_notices`).",
        "notices",
        query=(("on", _DATE, True),),
        example_query={"on": "2026-06-01"},
    ),
    Operation(
        "verifyPlan",
        "POST",
        "/plans/verification",
        "Verify a published inspection plan",
        "Draws the plan again from its seed with the population and inspectors given and "
        "compares (`creditflow.supervision.verify_plan`). At most 100,000 rows each. The plan's "
        "`policy.key` must be a built-in pack (`name@version`) or the server's own `--policy` "
        "pack: a request never names a file (400 `unknown_policy`; a pack that cannot be read "
        "is 400 `policy_error`, never a 5xx).",
        PlanVerification,
        errors=(400, 401, 429),
        request=_body(
            ["plan", "population", "inspectors"],
            plan={"type": "object"},
            population={"type": "array", "items": _ROW, "maxItems": 100_000},
            inspectors={"type": "array", "items": _ROW, "maxItems": 100_000},
        ),
        example={"plan": "(a plan.json)", "population": [], "inspectors": []},
    ),
)
"""Every operation, in the order of the examples."""
