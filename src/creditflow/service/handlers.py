"""The operations of the service: each takes the book's state and one :class:`Call`, calls the
library's public API as the token's actor, and answers with a :class:`Reply`."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

import creditflow
from creditflow.core.facts import Facts
from creditflow.docs import extract_notices
from creditflow.errors import CreditflowError, InvalidInput, TransitionRefused, UnknownCase
from creditflow.licensing import overdue_commitments
from creditflow.policy.model import Policy
from creditflow.policy.sources import builtin_versions
from creditflow.rules.engine import Engine
from creditflow.rules.loading import load_policy
from creditflow.service.auth import SUBJECT_ROLE
from creditflow.service.decision_log import DecisionLog
from creditflow.service.problems import ServiceProblem
from creditflow.service.requests import Call, Reply, parse_day
from creditflow.service.values import to_json
from creditflow.supervision import read_inspectors, read_population, verify_plan
from creditflow.supervision.exports import plan_from_json
from creditflow.workflows import Case

__all__ = ["BATCH_LIMIT", "HANDLERS", "ROWS_LIMIT", "State", "vouching_roles"]

BATCH_LIMIT = 1000
"""The most facts one batch decision takes."""
ROWS_LIMIT = 100_000
"""The most population or inspector rows one plan verification takes."""


class State:
    """What the handlers share: the book, the decision log, the register of evaluations and
    one engine per pack version."""

    def __init__(
        self,
        book: creditflow.CreditBook,
        log: DecisionLog | None,
        evaluations: creditflow.Evaluations | None = None,
        policy: str | None = None,
    ) -> None:
        self.book = book
        self.log = log
        self.evaluations = evaluations
        self.policy = policy
        self._engines: dict[str, Engine] = {}
        self._packs: dict[str, Policy] = {}

    def engine(self, policy: Policy) -> Engine:
        """The engine of ``policy``, built once."""
        engine = self._engines.get(policy.digest)
        if engine is None:
            engine = self._engines[policy.digest] = Engine(policy)
        return engine

    def plan_engine(self, key: str) -> Engine:
        """The engine of the pack a plan names: a built-in ``name@version`` or the server's own
        ``--policy`` pack. A request never names a file: any other key is unknown."""
        policy = self._packs.get(key)
        if policy is None:
            if self.policy is not None:
                own = load_policy(self.policy)
                self._packs[own.key] = own
            for version in builtin_versions():
                if version.key == key and key not in self._packs:
                    self._packs[key] = load_policy(key)
            policy = self._packs.get(key)
        if policy is None:
            known = sorted({v.key for v in builtin_versions()} | set(self._packs))
            raise ServiceProblem(
                400,
                "unknown_policy",
                "the plan's policy is neither a built-in pack (name@version) nor the "
                "server's own pack",
                known=known,
            )
        return self.engine(policy)

    def decided(
        self,
        path: str,
        call: Call,
        policy: Policy,
        inputs: Mapping[str, Any],
        result: Mapping[str, Any],
        started: int,
    ) -> None:
        """Write a decision line, when a decision log is configured."""
        if self.log is not None:
            self.log.write(
                path,
                actor=call.principal.actor.id,
                pack=(policy.key, policy.digest),
                input=inputs,
                result=result,
                nanoseconds=time.perf_counter_ns() - started,
            )


Handler = Callable[[State, Call], Reply]


def _own(call: Call, subject_id: str) -> None:
    """A subject's token acts for its own subject only."""
    principal = call.principal
    if principal.is_subject and subject_id != principal.actor.id:
        raise ServiceProblem(
            403, "not_permitted", "a subject's token acts only for its own subject"
        )


def _visible(state: State, call: Call, case_id: str) -> Case:
    """The case, as seen by the token: another subject's case does not exist for it."""
    case = state.book.get(case_id)
    if call.principal.is_subject and case.subject_id != call.principal.actor.id:
        raise UnknownCase(case_id)
    return case


def _not_for_subjects(call: Call, what: str) -> None:
    if call.principal.is_subject:
        raise ServiceProblem(403, "not_permitted", f"a subject's token may not read {what}")


def _etag(case: Case) -> dict[str, str]:
    return {"ETag": f'"{case.version}"'}


def _case_reply(case: Case, status: int = 200) -> Reply:
    headers = _etag(case)
    if status == 201:
        headers["Location"] = f"/cases/{case.case_id}"
    return Reply(to_json(case), status, headers)


def _evaluation_list(state: State, call: Call, subject_id: str) -> list[creditflow.Evaluation]:
    """The service's register for the subject, and the evaluations the request brings: only
    from a token that is not a subject's (a subject does not state its own grade)."""
    domain = call.text("domain")
    found = list(state.evaluations.of(subject_id, domain)) if state.evaluations else []
    rows = call.items("evaluations", limit=100)
    if rows and call.principal.is_subject:
        raise ServiceProblem(
            403,
            "not_permitted",
            "a subject's token may not state evaluations: they come from "
            "the service's register or the licensing system's token",
        )
    for index, row in enumerate(rows):
        extra = sorted(set(row) - {"domain", "year", "score", "evaluated_on"})
        if extra:
            raise InvalidInput(f"body.evaluations[{index}] has unknown keys {extra}")
        on = row.get("evaluated_on")
        score = row.get("score")
        if isinstance(score, float):
            raise InvalidInput(f"body.evaluations[{index}].score must be an integer or text")
        fields: dict[str, Any] = {
            "domain": row.get("domain"),
            "year": row.get("year"),
            "score": score,
        }
        found.append(
            creditflow.Evaluation(
                subject_id,
                evaluated_on=_day(on, f"body.evaluations[{index}].evaluated_on"),
                **fields,
            )
        )
    return found


def _day(value: object, name: str) -> dt.date:
    return parse_day(value, name)


def check(state: State, call: Call) -> Reply:
    """A credit check for a purpose (creditflow.check)."""
    given = _check_arguments(state, call)
    result = creditflow.check(
        state.book,
        given.subject_id,
        purpose=call.text("purpose"),
        on=given.on,
        domain=call.text("domain"),
        evaluations=creditflow.Evaluations(given.evaluations),
        new_subject=given.new_subject,
    )
    data = to_json(result)
    inputs = _check_inputs(result, given.evaluations, given.new_subject, given.head,
                           given.vouched_by)  # fmt: skip
    state.decided(
        "creditflow/check", call, state.book.policy_on(given.on), inputs, _check_result(data),
        given.started,
    )  # fmt: skip
    return Reply(data)


def _check_inputs(
    result: creditflow.CreditCheck,
    used: list[creditflow.Evaluation],
    new_subject: bool,
    head: tuple[int, str],
    vouched_by: str | None,
) -> dict[str, Any]:
    """What a check used, for its decision-log line: its arguments, the evaluations it read,
    ``new_subject`` and the ``head`` of the book it read (``SEQ:HASH``), so that it replays;
    and, when an official vouched for a subject's ``new_subject``, that official's actor."""
    inputs: dict[str, Any] = {
        "subject_id": result.subject_id,
        "purpose": result.purpose,
        "on": result.on.isoformat(),
        "domain": result.domain,
        "evaluations": _evaluation_rows(used),
        "new_subject": new_subject,
        "head": f"{head[0]}:{head[1]}",
    }
    if vouched_by is not None:
        inputs["new_subject_vouched_by"] = vouched_by
    return inputs


def _new_subject(state: State, call: Call, on: dt.date) -> tuple[bool, str | None]:
    """The request's ``new_subject``, and the official who vouched for it on a subject's
    request. Whether a subject is new is the licensing authority's fact, not the subject's: an
    official's token asserts it in its own request; a subject's request asserts it only with an
    official's token in ``Official-Authorization``, whose roles the pack lets verify
    commitments. Anything else is refused before the book is read or written."""
    asserted = call.flag("new_subject", False)
    official = call.official
    if official is not None and not (asserted and call.principal.is_subject):
        raise InvalidInput(
            "the Official-Authorization header vouches for new_subject: true on a subject's "
            "request only"
        )
    if not asserted or not call.principal.is_subject:
        return asserted, None
    if official is None:
        raise ServiceProblem(
            403,
            "not_permitted",
            "a subject's token may not assert new_subject: whether a subject is new is the "
            "licensing authority's fact; send an official's token in Official-Authorization",
            field="new_subject",
        )
    allowed = vouching_roles(state.book.policy_on(on))
    if not official.actor.roles & allowed:
        raise ServiceProblem(
            403,
            "not_permitted",
            "the Official-Authorization token's roles may not vouch for new_subject: it needs "
            f"one of {sorted(allowed)} (those the pack lets verify commitments)",
            field="new_subject",
        )
    return True, official.actor.id


def vouching_roles(policy: Policy) -> frozenset[str]:
    """The roles that may vouch for a subject's ``new_subject``: those ``policy`` lets verify a
    commitment (``fulfil`` or ``breach``), the subject's own role aside."""
    permissions = policy.permissions
    found = permissions.roles("commitment", "fulfil") | permissions.roles("commitment", "breach")
    return found - {SUBJECT_ROLE}


def _evaluation_rows(evaluations: list[creditflow.Evaluation]) -> list[dict[str, Any]]:
    """The evaluations a check used, as the request's ``evaluations`` rows (for a replay)."""
    return [
        {
            "domain": e.domain,
            "year": e.year,
            "score": int(e.score) if e.score.denominator == 1 else str(e.score),
            "evaluated_on": e.evaluated_on.isoformat(),
        }
        for e in evaluations
    ]


def _check_result(data: Mapping[str, Any]) -> dict[str, Any]:
    consequences = [*data["restrictions"], *data["incentives"]]
    return {
        "proceed_normally": data["proceed_normally"],
        "restrictions": [c["measure"] for c in data["restrictions"]],
        "incentives": [c["measure"] for c in data["incentives"]],
        "grade": data["grade"]["grade"],
        "rule_ids": [data["decision_rule"], *(c["rule_id"] for c in consequences)],
        "policy": {"version": data["policy_version"], "digest": data["policy_digest"]},
    }


def _facts(value: object, where: str) -> Facts:
    if not isinstance(value, dict):
        raise InvalidInput(f"{where} must be an object with domain, grade, lists, flags")
    extra = sorted(set(value) - {"domain", "grade", "lists", "flags"})
    if extra:
        raise InvalidInput(f"{where} has unknown keys {extra}")
    lists, flags = value.get("lists", []), value.get("flags", [])
    for name, names in (("lists", lists), ("flags", flags)):
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise InvalidInput(f"{where}.{name} must be a list of names")
    try:
        return Facts(
            domain=value.get("domain"),
            grade=value.get("grade"),
            lists=frozenset(lists),
            flags=frozenset(flags),
        )
    except CreditflowError as error:
        error.message = f"{where}: {error.message}"
        error.args = (error.message,)
        raise


def _decision_result(decision: creditflow.Decision) -> dict[str, Any]:
    return {
        "rule_ids": [decision.rule_id],
        "sampling_ratio": str(decision.sampling_ratio),
        "measures": sorted(decision.measures),
    }


def decide(state: State, call: Call) -> Reply:
    """One decision of the table in force on ``on`` (Engine.decide)."""
    started = time.perf_counter_ns()
    policy = state.book.policy_on(call.day("on"))
    facts = _facts(call.body.get("facts"), "body.facts")
    decision = state.engine(policy).decide(facts)
    data = to_json(decision)
    state.decided(
        "creditflow/decide",
        call,
        policy,
        {"facts": data["facts"]},
        _decision_result(decision),
        started,
    )
    return Reply(data)


def decide_batch(state: State, call: Call) -> Reply:
    """Decisions for many facts, in order (Engine.decide_many)."""
    started = time.perf_counter_ns()
    policy = state.book.policy_on(call.day("on"))
    rows = call.items("facts", limit=BATCH_LIMIT)
    facts = []
    for index, row in enumerate(rows):
        try:
            facts.append(_facts(row, f"body.facts[{index}]"))
        except CreditflowError as error:
            error.index = index  # as Engine.decide_many names a bad item
            raise
    decisions = state.engine(policy).decide_many(facts)
    data = [to_json(decision) for decision in decisions]
    state.decided(
        "creditflow/decide_many",
        call,
        policy,
        {"facts": [item["facts"] for item in data]},
        {
            "rule_ids": sorted({d.rule_id for d in decisions}),
            "decisions": [_decision_result(d) for d in decisions],
        },
        started,
    )
    return Reply({"decisions": data})


def open_case(state: State, call: Call) -> Reply:
    """Open a case (CreditBook.open_case)."""
    subject_id = call.text("subject_id")
    _own(call, subject_id)
    case = state.book.open_case(
        call.text("kind"),
        subject_id,
        on=call.day("on"),
        actor=call.principal.actor,
        idempotency_key=call.key,
        **call.data(),
    )
    _own(call, case.subject_id)
    call.same_act(case.subject_id == subject_id and call.body["kind"].startswith(case.machine))
    return _case_reply(case, 201)


def get_case(state: State, call: Call) -> Reply:
    """A case with its history (CreditBook.get)."""
    return _case_reply(_visible(state, call, call.params["case_id"]))


def fire(state: State, call: Call) -> Reply:
    """Fire an event on a case (CreditBook.fire); If-Match gives the expected version."""
    case_id = call.params["case_id"]
    _visible(state, call, case_id)
    case = state.book.fire(
        case_id,
        call.text("event"),
        on=call.day("on"),
        actor=call.principal.actor,
        expected_version=call.expected_version,
        idempotency_key=call.key,
        **call.data(),
    )
    last = case.history[-1].event if case.history else call.body["event"]
    call.same_act(case.case_id == case_id and last == call.body["event"])
    return _case_reply(case)


def status(state: State, call: Call) -> Reply:
    """A subject's credit status on a date (CreditBook.status)."""
    subject_id = call.text("subject_id")
    _own(call, subject_id)
    return Reply(to_json(state.book.status(subject_id, on=call.day("on"))))


def overdue(state: State, call: Call) -> Reply:
    """Every deadline overdue on a date (CreditBook.overdue)."""
    _not_for_subjects(call, "the overdue deadlines of others")
    found = state.book.overdue(on=call.query_day("on"))
    items = [
        {
            "case_id": case.case_id,
            "machine": case.machine,
            "kind": case.kind,
            "subject_id": case.subject_id,
            "state": case.state,
            "deadline": to_json(deadline),
        }
        for case, deadline in found
    ]
    return Reply({"overdue": items})


@attrs.frozen
class _CheckArguments:
    """What a check reads (a plain one, or an approval's), gathered before the library call:
    the subject, the evaluations, ``new_subject`` and the head of the book (the check reads
    the book before anything is written, one call at a time)."""

    subject_id: str
    on: dt.date
    evaluations: list[creditflow.Evaluation]
    new_subject: bool
    vouched_by: str | None
    head: tuple[int, str]
    started: int


def _check_arguments(state: State, call: Call) -> _CheckArguments:
    started = time.perf_counter_ns()
    subject_id = call.text("subject_id")
    _own(call, subject_id)
    on = call.day("on")
    used = _evaluation_list(state, call, subject_id)
    new_subject, vouched_by = _new_subject(state, call, on)
    return _CheckArguments(subject_id, on, used, new_subject, vouched_by, state.book.head(),
                           started)  # fmt: skip


def _approval(
    state: State,
    call: Call,
    path: str,
    made: creditflow.licensing.CommitmentApproval,
    given: _CheckArguments,
) -> Reply:
    case = state.book.get(made.case_id)
    call.same_act(
        case.subject_id == made.check.subject_id
        and case.data.get("approval_id") == made.approval_id
    )
    opened = next(iter(state.book.events(case_id=made.case_id))).seq
    if opened > given.head[0]:  # else a retry answered from its key: its check was logged
        _log_check(state, call, path, made.check, given)
    return Reply(to_json(made), 201, {"Location": f"/cases/{made.case_id}"})


def _log_check(
    state: State, call: Call, path: str, result: creditflow.CreditCheck, given: _CheckArguments
) -> None:
    inputs = _check_inputs(
        result, given.evaluations, given.new_subject, given.head, given.vouched_by
    )
    data = to_json(result)
    state.decided(
        path, call, state.book.policy_on(result.on), inputs, _check_result(data), given.started
    )


@contextlib.contextmanager
def _refusal_logged(state: State, call: Call, path: str, given: _CheckArguments) -> Iterator[None]:
    """An approval the book refused (its check found the subject not eligible, or a guard
    refused the commitment) still made its check: log that check, the book unchanged."""
    try:
        yield
    except TransitionRefused:
        if state.book.head() == given.head:  # nothing written: the check reads the same book
            result = creditflow.check(
                state.book, given.subject_id, purpose="licensing", on=given.on,
                domain=call.text("domain"), evaluations=creditflow.Evaluations(given.evaluations),
                new_subject=given.new_subject,
            )  # fmt: skip
            _log_check(state, call, path, result, given)
        raise


def approve(state: State, call: Call) -> Reply:
    """Approve on commitment (creditflow.approve_on_commitment), as the subject."""
    return _commitment_approval(
        state,
        call,
        "creditflow/commitments/approve",
        lambda common: creditflow.approve_on_commitment(
            approval_id=call.text("approval_id"),
            summary=call.optional_text("summary", "告知承诺审批") or "告知承诺审批",
            **common,
        ),
    )


def accept_missing(state: State, call: Call) -> Reply:
    """Accept an application with documents missing (accept_with_missing_documents)."""
    return _commitment_approval(
        state,
        call,
        "creditflow/commitments/missing_documents",
        lambda common: creditflow.accept_with_missing_documents(
            application_id=call.text("application_id"),
            missing=call.names("missing", required=True),
            **common,
        ),
    )


def _commitment_approval(
    state: State,
    call: Call,
    path: str,
    make: Callable[[dict[str, Any]], creditflow.licensing.CommitmentApproval],
) -> Reply:
    """An approval on a commitment: ``make`` calls the library with the arguments every
    approval takes (the book, subject, date, actor, domain, evaluations, ``new_subject``,
    key) and its own."""
    given = _check_arguments(state, call)
    common = {
        "book": state.book,
        "subject_id": given.subject_id,
        "on": given.on,
        "actor": call.principal.actor,
        "domain": call.text("domain"),
        "evaluations": creditflow.Evaluations(given.evaluations),
        "new_subject": given.new_subject,
        "idempotency_key": call.key,
    }
    with _refusal_logged(state, call, path, given):
        made = make(common)
    return _approval(state, call, path, made, given)


def verify_commitment(state: State, call: Call) -> Reply:
    """Record a commitment's verification (creditflow.verify_commitment)."""
    case_id = call.params["case_id"]
    _visible(state, call, case_id)
    outcome = creditflow.verify_commitment(
        state.book,
        case_id,
        fulfilled=call.flag("fulfilled"),
        on=call.day("on"),
        actor=call.principal.actor,
        summary=call.optional_text("summary", "") or "",
        expected_version=call.expected_version,
        idempotency_key=call.key,
    )
    wanted = "fulfilled" if call.body["fulfilled"] else "breached"
    call.same_act(outcome.case_id == case_id and outcome.state == wanted)
    return Reply(to_json(outcome), 200, _etag(state.book.get(case_id)))


def overdue_commitments_of(state: State, call: Call) -> Reply:
    """Commitments overdue on a date, optionally of one kind (overdue_commitments)."""
    _not_for_subjects(call, "the overdue commitments of others")
    kind = call.query.get("kind")
    found = overdue_commitments(state.book, on=call.query_day("on"), kind=kind)
    items = [
        {
            "case_id": case.case_id,
            "kind": case.kind,
            "subject_id": case.subject_id,
            "approval_id": case.data.get("approval_id"),
            "deadline": to_json(deadline),
        }
        for case, deadline in found
    ]
    return Reply({"overdue": items})


def _rows(name: str, rows: list[Mapping[str, Any]]) -> io.StringIO:
    """Rows as JSON lines for a reader, named for its error messages."""
    for index, row in enumerate(rows):
        for key, value in row.items():
            if not _flat(value):
                raise InvalidInput(
                    f"{name}[{index}].{key} must be text, a number, null or a list of text"
                )
    stream = io.StringIO("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    stream.name = name
    return stream


def _flat(value: object) -> bool:
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return value is None or isinstance(value, str | int | float)


def verify_plan_call(state: State, call: Call) -> Reply:
    """Draw a published plan again and compare (creditflow.supervision.verify_plan)."""
    plan = call.body.get("plan")
    if not isinstance(plan, dict):
        raise InvalidInput("body.plan must be the plan's JSON object (with its digest)")
    published = plan_from_json(json.dumps(plan, ensure_ascii=False))
    population = list(
        read_population(
            _rows("body.population", call.items("population", limit=ROWS_LIMIT)), format="jsonl"
        )
    )
    inspectors = list(
        read_inspectors(
            _rows("body.inspectors", call.items("inspectors", limit=ROWS_LIMIT)), format="jsonl"
        )
    )
    engine = state.plan_engine(published.policy_key)
    result = verify_plan(published, population, inspectors, engine=engine)
    return Reply(to_json(result))


def notices(state: State, call: Call) -> Reply:
    """The public notices on a date, with the anchor they were read at (extract_notices)."""
    found = extract_notices(state.book, call.query_day("on"))
    return Reply({"anchor": found.anchor, "notices": to_json(found)})


HANDLERS: dict[str, Handler] = {
    "checkCredit": check,
    "decide": decide,
    "decideBatch": decide_batch,
    "openCase": open_case,
    "getCase": get_case,
    "fireEvent": fire,
    "subjectStatus": status,
    "listOverdue": overdue,
    "approveOnCommitment": approve,
    "acceptMissingDocuments": accept_missing,
    "verifyCommitment": verify_commitment,
    "listOverdueCommitments": overdue_commitments_of,
    "verifyPlan": verify_plan_call,
    "listNotices": notices,
}
"""The handler of each operation id."""
