"""The response examples of the OpenAPI document, made by running the code, never written by hand.

The request examples of :data:`~creditflow.service.operations.OPERATIONS` run in order through
the handlers on an empty book in memory (the default pack, a fixed clock), as their example
tokens: each answer is its operation's success example. Then each failing request of
:data:`FAILING` runs on the book they left: each problem details is the example of its status.
The problems every operation may meet outside its handler (no token, a rate exceeded, a book
unavailable) are made by the functions the application itself calls. A failing request that
does not fail with its status stops the document being made: the examples cannot drift.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping
from typing import Any

import attrs

from creditflow import errors
from creditflow.book import CreditBook
from creditflow.licensing import Evaluation, Evaluations
from creditflow.service.auth import Principal
from creditflow.service.handlers import HANDLERS, State
from creditflow.service.operations import (
    APPLICANT,
    EXAMPLE_ACTORS,
    GRADED,
    NEWCOMER,
    OPERATIONS,
    Operation,
)
from creditflow.service.problems import (
    ServiceProblem,
    answer_problem,
    problem_of,
    rate_limited,
    unauthenticated,
)
from creditflow.service.requests import Call
from creditflow.service.values import json_text
from creditflow.workflows.case import Actor

__all__ = ["CLOCK", "FAILING", "Example", "Failing", "response_examples"]

CLOCK = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
"""The recorded time of every event the examples write (so that the document is the same
on every run; a real server records its own clock)."""


@attrs.frozen
class Example:
    """One documented response: its ``summary`` and ``value`` (the JSON body)."""

    summary: str
    value: Any


@attrs.frozen
class Failing:
    """A request that fails with ``status`` and ``code`` (its example is named ``name``, by
    default the code): the operation's example request changed by
    ``body`` (keys replaced; a None value removes the key), ``path``, ``query`` or
    ``if_match`` (the version an ``If-Match`` header names), sent as the example token ``as_``
    (default: the operation's), with the example token ``official`` vouching for
    ``new_subject`` (default: the operation's; ``""``: none)."""

    status: int
    code: str
    summary: str
    name: str | None = None
    as_: str | None = None
    body: Mapping[str, Any] = attrs.field(factory=dict)
    path: Mapping[str, str] = attrs.field(factory=dict)
    query: Mapping[str, str] | None = None
    if_match: int | None = None
    official: str | None = None


_BAD_DAY = {"on": "2026-13-01"}
_DECIDE = {
    "event": "decide",
    "on": "2026-05-07",
    "data": {
        "measures": ["key_supervision"],
        "removal_conditions": "期满或修复",
        "remedies": "行政复议或诉讼",
    },
}

FAILING: dict[str, tuple[Failing, ...]] = {
    "openCase": (
        Failing(400, "invalid_input", "a date that is no date", body=_BAD_DAY),
        Failing(403, "not_permitted", "a role the pack does not allow", as_="reviewer"),
    ),
    "fireEvent": (
        Failing(400, "invalid_input", "a date that is no date", body=_BAD_DAY),
        Failing(
            403, "not_permitted", "a role the pack does not allow", as_="reviewer", body=_DECIDE
        ),
        Failing(404, "unknown_case", "no such case", path={"case_id": "listing-9"}),
        Failing(412, "conflict", "the case moved since its ETag was read", if_match=1),
        Failing(
            422,
            "transition_refused",
            "a guard refuses",
            as_="official",
            body=_DECIDE,
        ),
    ),
    "getCase": (
        Failing(404, "unknown_case", "no such case (or another subject's)", as_="applicant"),
    ),
    "subjectStatus": (
        Failing(400, "invalid_identifier", "not a credit code", body={"subject_id": "9135"}),
        Failing(403, "not_permitted", "a subject's token asks about another", as_="applicant"),
    ),
    "checkCredit": (
        Failing(400, "unknown_name", "a purpose the pack does not have", body={"purpose": "x"}),
        Failing(403, "not_permitted", "a subject's token asks about another", as_="applicant"),
        Failing(
            403,
            "not_permitted",
            "a subject's token asserts new_subject itself",
            name="new_subject",
            as_="applicant",
            body={"subject_id": APPLICANT, "new_subject": True},
        ),
        Failing(
            404,
            "unknown_subject",
            "a subject the book does not know",
            body={"subject_id": NEWCOMER},
        ),
    ),
    "decide": (
        Failing(
            400,
            "unknown_name",
            "a grade the pack does not have",
            body={"facts": {"domain": "road_transport", "grade": "Z"}},
        ),
    ),
    "decideBatch": (
        Failing(
            400,
            "invalid_facts",
            "a bad item, with its index",
            body={"facts": [{"domain": "road_transport", "grade": "A"}, {"grade": "A"}]},
        ),
    ),
    "approveOnCommitment": (
        Failing(400, "invalid_input", "a date that is no date", body=_BAD_DAY),
        Failing(
            403,
            "not_permitted",
            "new_subject without an official vouching",
            name="new_subject",
            official="",
        ),
        Failing(
            403,
            "not_permitted",
            "an official makes the subject's commitment",
            as_="officer",
            official="",
        ),
        Failing(
            404,
            "unknown_subject",
            "a subject the book does not know, not vouched for as new",
            as_="newcomer",
            official="",
            body={"subject_id": NEWCOMER, "new_subject": None},
        ),
        Failing(
            422,
            "transition_refused",
            "a subject not eligible: its grade (from the register) does not allow it",
            as_="graded",
            official="",
            body={"subject_id": GRADED, "new_subject": None, "approval_id": "XK-2026-009"},
        ),
    ),
    "acceptMissingDocuments": (
        Failing(400, "invalid_input", "no document missing", body={"missing": []}),
        Failing(
            403,
            "not_permitted",
            "new_subject without an official vouching",
            name="new_subject",
            official="",
        ),
    ),
    "verifyCommitment": (
        Failing(400, "invalid_input", "fulfilled is no boolean", body={"fulfilled": "yes"}),
        Failing(
            403,
            "not_permitted",
            "a role the pack does not allow (the subject verifies itself)",
            as_="applicant",
            path={"case_id": "commitment-4"},
        ),
        Failing(404, "unknown_case", "no such case", path={"case_id": "commitment-9"}),
        Failing(412, "conflict", "the case moved since its ETag was read", if_match=1),
        Failing(422, "transition_refused", "the commitment was verified already"),
    ),
    "listOverdue": (
        Failing(400, "invalid_input", "a date that is no date", query={"on": "2026-13-01"}),
        Failing(403, "not_permitted", "a subject's token", as_="applicant"),
    ),
    "listOverdueCommitments": (
        Failing(400, "invalid_input", "no date", query={}),
        Failing(403, "not_permitted", "a subject's token", as_="applicant"),
    ),
    "listNotices": (Failing(400, "invalid_input", "a date that is no date", query={"on": "June"}),),
    "verifyPlan": (Failing(400, "invalid_input", "the plan is no object", body={"plan": 1}),),
}
"""The failing requests of each operation, run after every example request succeeded."""


@functools.cache
def _examples_text() -> str:
    return json.dumps(_make(), ensure_ascii=False)


def response_examples() -> dict[str, dict[int, dict[str, Example]]]:
    """Operation id -> status -> example name -> :class:`Example`, made by running the code
    (once per process)."""
    data = json.loads(_examples_text())
    return {
        op: {
            int(status): {n: Example(**e) for n, e in named.items()} for status, named in by.items()
        }
        for op, by in data.items()
    }


def _make() -> dict[str, dict[int, dict[str, dict[str, Any]]]]:
    from creditflow.service.openapi import plan_example

    book = CreditBook.memory(clock=lambda: CLOCK)
    low = Evaluation(GRADED, "road_transport", 2026, 50, dt.date(2026, 5, 1))
    try:
        state = State(book, None, Evaluations([low]))
        found: dict[str, dict[int, dict[str, dict[str, Any]]]] = {}
        for operation in OPERATIONS:
            body = plan_example() if operation.operation_id == "verifyPlan" else operation.example
            call = _call(operation, operation.as_, body or {}, operation.example_official)
            reply = HANDLERS[operation.operation_id](state, call)
            if reply.status != operation.status:
                raise AssertionError(
                    f"{operation.operation_id}: the example answered {reply.status}"
                )
            value = json.loads(json_text(reply.data))
            found[operation.operation_id] = {
                operation.status: {"success": {"summary": operation.summary, "value": value}}
            }
        for operation in OPERATIONS:
            base = plan_example() if operation.operation_id == "verifyPlan" else operation.example
            named = found[operation.operation_id]
            for failing in FAILING.get(operation.operation_id, ()):
                problem = _fail(state, operation, base or {}, failing)
                named.setdefault(failing.status, {})[failing.name or failing.code] = {
                    "summary": failing.summary,
                    "value": problem,
                }
            for status, name, summary, problem in _outside(operation):
                named.setdefault(status, {})[name] = {"summary": summary, "value": problem}
        return found
    finally:
        book.close()


def _principal(name: str) -> Principal:
    actor, roles = EXAMPLE_ACTORS[name]
    return Principal(Actor(actor, frozenset(roles)), 100.0, 200, name)


def _call(
    operation: Operation,
    token: str,
    body: Mapping[str, Any],
    official: str | None,
    *,
    path: Mapping[str, str] | None = None,
    query: Mapping[str, str] | None = None,
    if_match: int | None = None,
) -> Call:
    params = dict(zip(_names(operation.path), _values(operation), strict=True))
    return Call(
        _principal(token),
        body if operation.request is not None else {},
        {**params, **(path or {})},
        dict(operation.example_query or {}) if query is None else dict(query),
        None,
        if_match,
        operation.operation_id,
        _principal(official) if official else None,
    )


def _names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _values(operation: Operation) -> list[str]:
    template = operation.path.split("/")
    example = (operation.example_path or "").split("/")
    return [example[i] for i, part in enumerate(template) if part.startswith("{")]


def _fail(
    state: State, operation: Operation, base: Mapping[str, Any], failing: Failing
) -> dict[str, Any]:
    body = {k: v for k, v in {**base, **failing.body}.items() if v is not None}
    official = operation.example_official if failing.official is None else failing.official
    call = _call(
        operation,
        failing.as_ or operation.as_,
        body,
        official,
        path=failing.path,
        query=failing.query,
        if_match=failing.if_match,
    )
    try:
        HANDLERS[operation.operation_id](state, call)
    except (ServiceProblem, errors.CreditflowError) as error:
        problem = answer_problem(error, conditional=failing.if_match is not None)
    else:
        raise AssertionError(f"{operation.operation_id}: {failing} did not fail")
    problem.pop("retry_after", None)
    if (problem["status"], problem["code"]) != (failing.status, failing.code):
        raise AssertionError(f"{operation.operation_id}: {failing} answered {problem}")
    value: dict[str, Any] = json.loads(json_text(problem))
    return value


def _outside(operation: Operation) -> list[tuple[int, str, str, dict[str, Any]]]:
    """The problems of the application around the handler, as it makes them."""
    limited = rate_limited(100.0, 200, "1")
    unavailable = errors.BookUnavailable("credit.sqlite", "database is locked")
    found = [
        (401, "unauthenticated", "no bearer token", problem_of(unauthenticated(known=False))),
        (429, "rate_limited", "over the token's rate", problem_of(limited)),
    ]
    if 503 in operation.errors:
        found.append(
            (503, "book_unavailable", "the book is locked or failing", problem_of(unavailable))
        )
    for _, _, _, problem in found:
        problem.pop("retry_after", None)
    return found
