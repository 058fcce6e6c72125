"""Issue 17's review of ``creditflow serve``, on a real server: a request never makes the server
read a file, tracebacks and 503 reasons stay masked and inside, a subject does not vouch for
itself, decision logs replay, idempotency scopes do not collide."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
from _server import Server, write_auth

from creditflow.supervision.exports import plan_from_json, plan_to_json


def test_a_plan_naming_a_file_does_not_make_the_server_read_it(
    server: Server, tmp_path: Path
) -> None:
    secret = tmp_path / "x" / "secret.toml"
    secret.parent.mkdir()
    secret.write_text('password = "TOP-SECRET-42"\n[broken\n', encoding="utf-8")
    with server.client() as anonymous:
        document = anonymous.get("/openapi.json").json()
    body = document["paths"]["/plans/verification"]["post"]["requestBody"]["content"][
        "application/json"
    ]["example"]
    for key in (str(secret), "/etc/passwd", "national-transport"):
        plan = plan_from_json(json.dumps(body["plan"]))
        altered = plan_to_json(attrs.evolve(plan, policy_key=key))
        with server.client("officer") as client:
            response = client.post(
                "/plans/verification", json={**body, "plan": json.loads(altered)}
            )
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "unknown_policy"
        assert "TOP-SECRET" not in response.text and str(tmp_path) not in response.text
        assert "passwd" not in response.text and "root" not in response.text


CRASH = """
import creditflow.service.handlers as handlers


def crash(state, call):
    raise KeyError(call.body["subject_id"])


handlers.HANDLERS["subjectStatus"] = crash
"""


def test_an_unexpected_error_is_a_500_and_its_traceback_is_logged_masked(tmp_path: Path) -> None:
    patch = tmp_path / "patch"
    patch.mkdir()
    (patch / "sitecustomize.py").write_text(CRASH, encoding="utf-8")
    auth = write_auth(tmp_path / "auth.toml")
    server = Server(str(tmp_path / "book.sqlite"), auth, None, pythonpath=(patch,))
    try:
        with server.client("officer") as client:
            body = {"subject_id": "110101199003074477", "on": "2026-06-01"}
            response = client.post("/status", json=body)
    finally:
        server.stop()
    assert response.status_code == 500 and response.json()["code"] == "internal_error"
    assert "KeyError" not in response.text
    log = server.stderr.read_text(encoding="utf-8")
    assert "KeyError: '110101********4477'" in log
    assert "110101199003074477" not in log and "Exception in ASGI application" not in log


def test_uvicorn_loggers_mask_what_they_write() -> None:
    import io
    import logging

    from creditflow.service.logs import mask_server_logs

    mask_server_logs()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("uvicorn.error")
    logger.addHandler(handler)
    try:
        try:
            raise KeyError("110101199003074477")
        except KeyError:
            logger.exception("Exception in ASGI application for %s", "110101199003074477")
    finally:
        logger.removeHandler(handler)
    assert "110101199003074477" not in stream.getvalue()
    assert "for 110101********4477" in stream.getvalue()
    assert "KeyError: '110101********4477'" in stream.getvalue()


def test_a_commit_whose_outcome_is_unknown_is_not_said_to_be_unwritten() -> None:
    from creditflow.errors import BookUnavailable
    from creditflow.service.problems import problem_of

    lost = BookUnavailable(
        "postgresql://db.internal:5432/book",
        "the server cannot be reached to learn whether the change was written",
    )
    flagged = BookUnavailable("postgresql://db.internal:5432/book", "role creditflow_rw")
    flagged.outcome_unknown = True  # type: ignore[attr-defined]
    for error in (lost, flagged):
        problem = problem_of(error)
        assert problem["status"] == 503 and problem["outcome_unknown"] is True
        assert "nothing was written" not in problem["detail"]
        assert "same Idempotency-Key" in problem["detail"]
        assert "db.internal" not in json.dumps(problem) and "role" not in json.dumps(problem)
    plain = problem_of(BookUnavailable("postgresql://db.internal/book", "host db.internal"))
    assert plain["outcome_unknown"] is False and "db.internal" not in json.dumps(plain)


LISTING = {
    "kind": "listing.serious",
    "subject_id": "91350100M000100Y43",
    "on": "2026-05-06",
    "data": {
        "domain": "road_transport",
        "grounds": "多次严重违法",
        "basis": "交政研发〔2018〕181号",
    },
}


def test_an_actor_id_with_a_colon_cannot_reach_another_actor_s_keys(tmp_path: Path) -> None:
    from creditflow.service import hash_token

    auth = tmp_path / "auth.toml"
    auth.write_text(
        "".join(
            f'[[tokens]]\nactor = "{actor}"\nroles = ["case_officer"]\n'
            f'sha256 = "{hash_token("token-" + name)}"\n'
            for name, actor in (("plain", "x"), ("colon", "x:openCase"))
        ),
        encoding="utf-8",
    )
    server = Server(str(tmp_path / "book.sqlite"), auth, None)
    try:
        with server.client("plain") as plain, server.client("colon") as colon:
            first = plain.post("/cases", json=LISTING, headers={"Idempotency-Key": "openCase:k"})
            second = colon.post("/cases", json=LISTING, headers={"Idempotency-Key": "k"})
    finally:
        server.stop()
    assert first.status_code == second.status_code == 201, second.text
    assert first.json()["case_id"] != second.json()["case_id"]


def test_a_logged_check_replays_through_the_library(server: Server, tmp_path: Path) -> None:
    import datetime as dt

    import creditflow
    from creditflow.service.handlers import _check_result
    from creditflow.service.values import to_json

    evaluation = {
        "domain": "road_transport",
        "year": 2026,
        "score": 95,
        "evaluated_on": "2026-05-01",
    }
    check = {
        "subject_id": "91350100M000100Y43",
        "purpose": "licensing",
        "on": "2026-06-01",
        "domain": "road_transport",
        "evaluations": [evaluation],
    }
    with server.client("officer") as officer:
        assert officer.post("/cases", json=LISTING).status_code == 201
        assert officer.post("/checks", json=check).status_code == 200
    server.stop()
    line = json.loads((tmp_path / "decisions.jsonl").read_text(encoding="utf-8").splitlines()[0])
    given = line["input"]
    with creditflow.CreditBook.open(str(tmp_path / "book.sqlite")) as book:
        assert f"{book.head()[0]}:{book.head()[1]}" == given["head"]
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
                    evaluated_on=dt.date.fromisoformat(row.pop("evaluated_on")),
                    **row,
                )
                for row in given["evaluations"]
            ),
            new_subject=given["new_subject"],
        )
    assert _check_result(to_json(again)) == line["result"]
    assert line["result"]["grade"] != "no_grade" and given["evaluations"][0]["score"] == 95
