"""``new_subject`` is the licensing authority's fact, never the subject's: a subject's token
asserting it alone is 403 and writes and logs nothing; an official's token asserts it, in its
own request or vouching for a subject's in ``Official-Authorization``. And the check inside an
approval is logged with what it read, so that it replays as the plain check does."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from _server import Server, write_auth

import creditflow
from creditflow.service.handlers import _check_result
from creditflow.service.values import to_json

APPLICANT = "91110000600037341L"
CHECK = {
    "subject_id": APPLICANT,
    "purpose": "licensing",
    "on": "2026-06-01",
    "domain": "road_transport",
    "new_subject": True,
}
APPROVAL = {
    "subject_id": APPLICANT,
    "on": "2026-06-01",
    "approval_id": "XK-7",
    "domain": "road_transport",
    "new_subject": True,
}
MISSING = {
    "subject_id": APPLICANT,
    "on": "2026-06-02",
    "application_id": "SQ-7",
    "domain": "road_transport",
    "missing": ["道路运输证复印件"],
    "new_subject": True,
}
REQUESTS = [("/checks", CHECK), ("/commitments/approvals", APPROVAL)]
REQUESTS += [("/commitments/missing-documents", MISSING)]


def head(server: Server) -> str:
    with server.client() as client:
        return str(client.get("/ready").json()["head"])


def logged(tmp_path: Path) -> list[dict[str, Any]]:
    log = tmp_path / "decisions.jsonl"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def refused(response: httpx.Response, status: int = 403) -> dict[str, Any]:
    assert response.status_code == status, response.text
    data: dict[str, Any] = response.json()
    assert data["code"] == ("not_permitted" if status == 403 else "invalid_input")
    return data


@pytest.mark.parametrize(("path", "body"), REQUESTS)
def test_a_subject_token_asserting_new_subject_is_403_and_nothing_is_written(
    server: Server, tmp_path: Path, path: str, body: dict[str, Any]
) -> None:
    before = head(server)
    with server.client("applicant") as applicant:
        data = refused(applicant.post(path, json=body))
    assert data["field"] == "new_subject" and "licensing authority" in data["detail"]
    assert head(server) == before and logged(tmp_path) == []
    with server.client("applicant") as applicant:  # without it: unknown to the book, 404
        alone = applicant.post(path, json={**body, "new_subject": False})
    assert alone.status_code == 404 and alone.json()["code"] == "unknown_subject"
    assert head(server) == before and logged(tmp_path) == []


@pytest.mark.parametrize(
    "header",
    [
        "Bearer token-nobody",  # not a token the service knows
        "Bearer token-firm",  # a subject's token vouches for nothing
        "Bearer token-official",  # approving_official: the pack lets it verify no commitment
        "token-officer",  # not a bearer token
    ],
)
@pytest.mark.parametrize(("path", "body"), REQUESTS)
def test_only_an_official_allowed_to_verify_commitments_vouches(
    server: Server, tmp_path: Path, path: str, body: dict[str, Any], header: str
) -> None:
    before = head(server)
    with server.client("applicant") as applicant:
        data = refused(applicant.post(path, json=body, headers={"Official-Authorization": header}))
    assert data["field"] == "new_subject"
    assert head(server) == before and logged(tmp_path) == []


def test_the_header_vouches_only_for_a_subject_s_new_subject(server: Server) -> None:
    vouched = {"Official-Authorization": "Bearer token-officer"}
    with server.client("applicant") as applicant, server.client("officer") as officer:
        not_new = {**CHECK, "new_subject": False}
        assert (
            "Official-Authorization"
            in refused(applicant.post("/checks", json=not_new, headers=vouched), 400)["detail"]
        )
        refused(officer.post("/checks", json=CHECK, headers=vouched), 400)
    assert head(server).startswith("0:")


def test_an_official_asserts_new_subject_as_before(server: Server, tmp_path: Path) -> None:
    with server.client("officer") as officer:
        checked = officer.post("/checks", json=CHECK)
    assert checked.status_code == 200 and checked.json()["grade"]["how"] != "evaluation"
    (line,) = logged(tmp_path)
    assert line["requested_by"] == "officer-1" and line["input"]["new_subject"] is True
    assert "new_subject_vouched_by" not in line["input"]


@pytest.mark.parametrize(("path", "body"), REQUESTS)
def test_a_subject_s_request_vouched_for_by_an_official_goes_through(
    server: Server, tmp_path: Path, path: str, body: dict[str, Any]
) -> None:
    vouched = {"Official-Authorization": "Bearer token-officer"}
    with server.client("applicant") as applicant:
        response = applicant.post(path, json=body, headers=vouched)
    assert response.status_code in (200, 201), response.text
    (line,) = logged(tmp_path)
    assert line["requested_by"] == APPLICANT and line["input"]["new_subject"] is True
    assert line["input"]["new_subject_vouched_by"] == "officer-1"
    if response.status_code == 201:  # the commitment is the subject's own act
        case = response.json()["case_id"]
        with server.client("officer") as officer:
            history = officer.get(f"/cases/{case}").json()["history"]
        assert [(h["event"], h["actor"]) for h in history] == [("make", APPLICANT)]


def replay(book: creditflow.CreditBook, given: dict[str, Any]) -> dict[str, Any]:
    """The check of a decision-log line's ``input``, run again through the library."""
    subject = given["subject_id"]
    again = creditflow.check(
        book,
        subject,
        purpose=given["purpose"],
        on=dt.date.fromisoformat(given["on"]),
        domain=given["domain"],
        evaluations=creditflow.Evaluations(
            creditflow.Evaluation(
                subject,
                evaluated_on=dt.date.fromisoformat(row["evaluated_on"]),
                **{k: v for k, v in row.items() if k != "evaluated_on"},
            )
            for row in given["evaluations"]
        ),
        new_subject=given["new_subject"],
    )
    return _check_result(to_json(again))


@pytest.fixture
def registered(tmp_path: Path) -> Iterator[Server]:
    """A server whose register (--evaluations) knows the applicant, with a decision log."""
    register = tmp_path / "evaluations.jsonl"
    register.write_text(json.dumps({"subject_id": APPLICANT, **EVALUATION}) + "\n", "utf-8")
    server = Server(
        str(tmp_path / "book.sqlite"),
        write_auth(tmp_path / "auth.toml"),
        tmp_path / "decisions.jsonl",
        extra=("--evaluations", str(register)),
    )
    try:
        yield server
    finally:
        server.stop()


EVALUATION = {"domain": "road_transport", "year": 2026, "score": 95, "evaluated_on": "2026-05-01"}


@pytest.mark.parametrize("new", [False, True])
def test_a_logged_approval_s_check_replays_as_the_plain_check_s(
    request: pytest.FixtureRequest, tmp_path: Path, new: bool
) -> None:
    """The plain check and the approval read the same book (the approval's check reads it
    before its commitment is written); both lines hold evaluations, new_subject and head, and
    both replay, on a copy of the book at that head, to what they logged. A subject known by
    the register, and a new one an official vouches for."""
    server: Server = request.getfixturevalue("server" if new else "registered")
    plain = {k: v for k, v in CHECK.items() if new or k != "new_subject"}
    approval = {k: v for k, v in APPROVAL.items() if new or k != "new_subject"}
    headers = {"Official-Authorization": "Bearer token-officer"} if new else {}
    with server.client("officer") as officer:
        assert officer.post("/checks", json=plain).status_code == 200
    snapshot = tmp_path / "at-head.sqlite"
    with sqlite3.connect(tmp_path / "book.sqlite") as source, sqlite3.connect(snapshot) as copy:
        source.backup(copy)
    with server.client("applicant") as applicant:
        made = applicant.post("/commitments/approvals", json=approval, headers=headers)
    assert made.status_code == 201, made.text
    check_line, approval_line = logged(tmp_path)
    assert approval_line["path"] == "creditflow/commitments/approve"
    assert approval_line["requested_by"] == APPLICANT
    for key in ("subject_id", "purpose", "on", "domain", "evaluations", "new_subject", "head"):
        assert approval_line["input"][key] == check_line["input"][key], key
    assert approval_line["input"]["new_subject"] is new
    assert approval_line["input"]["evaluations"] == ([] if new else [EVALUATION])
    with creditflow.CreditBook.open(str(snapshot)) as book:
        seq, digest = book.head()
        assert f"{seq}:{digest}" == approval_line["input"]["head"] == check_line["input"]["head"]
        assert replay(book, check_line["input"]) == check_line["result"]
        assert replay(book, approval_line["input"]) == approval_line["result"]
    assert approval_line["result"] == check_line["result"]
    assert approval_line["result"]["rule_ids"][0] == made.json()["check"]["decision_rule"]


def _served_with(tmp_path: Path, score: int) -> Server:
    register = tmp_path / "evaluations.jsonl"
    row = {"subject_id": APPLICANT, **EVALUATION, "score": score}
    register.write_text(json.dumps(row) + "\n", "utf-8")
    return Server(
        str(tmp_path / "book.sqlite"),
        write_auth(tmp_path / "auth.toml"),
        tmp_path / "decisions.jsonl",
        extra=("--evaluations", str(register)),
    )


def test_a_refused_approval_logs_the_check_it_made(tmp_path: Path) -> None:
    """The subject is not eligible (grade C): 422 and nothing written, but the check was made
    and is logged, at the head it read, and replays to what was logged."""
    server = _served_with(tmp_path, 40)
    try:
        before = head(server)
        approval = {k: v for k, v in APPROVAL.items() if k != "new_subject"}
        with server.client("applicant") as applicant:
            answer = applicant.post("/commitments/approvals", json=approval)
        assert answer.status_code == 422 and answer.json()["code"] == "transition_refused"
        assert head(server) == before
        (line,) = logged(tmp_path)
        assert line["path"] == "creditflow/commitments/approve"
        assert line["input"]["head"] == before and line["result"]["grade"] == "C"
        with creditflow.CreditBook.open(str(tmp_path / "book.sqlite")) as book:
            assert replay(book, line["input"]) == line["result"]
    finally:
        server.stop()


def test_a_retried_approval_is_answered_from_its_key_and_logged_once(
    registered: Server, tmp_path: Path
) -> None:
    approval = {k: v for k, v in APPROVAL.items() if k != "new_subject"}
    key = {"Idempotency-Key": "approval-XK-7"}
    with registered.client("applicant") as applicant:
        first = applicant.post("/commitments/approvals", json=approval, headers=key)
        after = head(registered)
        again = applicant.post("/commitments/approvals", json=approval, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and head(registered) == after
    (line,) = logged(tmp_path)
    assert line["input"]["head"] != after  # the head the check read, before the commitment
