"""Every operation of the served OpenAPI document, with its documented example, on a real server:
the examples run in order on an empty book and answer with the documented success status and
the documented success example, and both hold the response's schema."""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
from _server import Server

from creditflow.service.operations import OPERATIONS


def example_requests(document: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any], Any]]:
    """(operation id, method, url, query, body) of each example, in the table's order."""
    by_id = {
        op["operationId"]: (path, method, op)
        for path, ops in document["paths"].items()
        for method, op in ops.items()
    }
    found = []
    for operation in OPERATIONS:
        path, method, op = by_id[operation.operation_id]
        query: dict[str, Any] = {}
        for parameter in op.get("parameters", []):
            if parameter["in"] == "path":
                path = path.replace("{" + parameter["name"] + "}", parameter["example"])
            elif parameter["in"] == "query" and "example" in parameter:
                query[parameter["name"]] = parameter["example"]
        content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        found.append((operation.operation_id, method.upper(), path, query, content.get("example")))
    return found


VOLATILE: dict[str, Any] = {
    "recorded_at": lambda at: type(at).__name__,
    "anchor": lambda anchor: anchor.split(":")[0],  # SEQ:HASH: the sequence number stays
    "head": lambda head: head[0],  # [SEQ, HASH]
}
"""Fields of an answer that depend on the clock of the server that wrote the book (when an
event was recorded, and so the hashes of the chain): the documented examples were made on a
book with a fixed clock. What they become to be compared."""


def stable(value: Any) -> Any:
    """``value`` with the volatile fields reduced to what does not depend on the clock."""
    if isinstance(value, dict):
        return {
            key: VOLATILE[key](item) if key in VOLATILE else stable(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [stable(item) for item in value]
    return value


def documented_answer(document: dict[str, Any], operation_id: str) -> tuple[Any, Any]:
    """The documented success example of an operation, and its schema."""
    for operations in document["paths"].values():
        for operation in operations.values():
            if operation["operationId"] == operation_id:
                status = next(s for s in operation["responses"] if s.startswith("2"))
                content = operation["responses"][status]["content"]["application/json"]
                return content["example"], content["schema"]
    raise KeyError(operation_id)


def test_every_operation_has_an_example_and_it_runs(server: Server) -> None:
    """Each request example answers, on a real server, what the document says it answers
    (shape and values; only the fields the server's clock sets differ)."""
    with server.client() as anonymous:
        document = anonymous.get("/openapi.json").json()
    statuses = {op.operation_id: op.status for op in OPERATIONS}
    tokens = {op.operation_id: op.as_ for op in OPERATIONS}
    officials = {op.operation_id: op.example_official for op in OPERATIONS}
    answers = {}
    for operation_id, method, url, query, body in example_requests(document):
        assert "{" not in url and (method == "GET" or body is not None), operation_id
        official = officials[operation_id]
        headers = {"Official-Authorization": f"Bearer token-{official}"} if official else {}
        with server.client(tokens[operation_id]) as client:
            response = client.request(method, url, params=query, json=body, headers=headers)
        assert response.status_code == statuses[operation_id], (operation_id, response.text)
        assert response.headers["content-type"] == "application/json"
        answers[operation_id] = response.json()
        documented, schema = documented_answer(document, operation_id)
        assert stable(answers[operation_id]) == stable(documented), operation_id
        root = {"allOf": [schema], "components": document["components"]}
        validator = jsonschema_rs.Draft202012Validator(root)
        for value in (answers[operation_id], documented):
            assert not [e.message for e in validator.iter_errors(value)], operation_id
    assert answers["openCase"]["state"] == "proposed"
    assert answers["fireEvent"]["state"] == "notified"
    assert [h["event"] for h in answers["getCase"]["history"]] == ["propose", "notify"]
    assert answers["checkCredit"]["policy_version"] == "national-transport@2026.1"
    assert answers["decide"]["sampling_ratio"] == "1/20"
    assert answers["decideBatch"]["decisions"][0]["rule_id"] == "grade-a"
    assert answers["approveOnCommitment"]["case_id"] == "commitment-3"
    assert answers["verifyCommitment"] == {
        "case_id": "commitment-3",
        "state": "fulfilled",
        "effects": [],
        "revoke_approval": None,
    }
    assert [o["case_id"] for o in answers["listOverdueCommitments"]["overdue"]] == ["commitment-4"]
    assert answers["verifyPlan"]["confirmed"] is True
    assert answers["listNotices"]["anchor"].startswith("5:")


def test_health_ready_and_the_document_need_no_token(server: Server) -> None:
    with server.client() as client:
        assert client.get("/health").json() == {"status": "ok"}
        ready = client.get("/ready").json()
        assert ready["status"] == "ready" and ready["head"].startswith("0:")
        assert client.get("/openapi.json").json()["openapi"] == "3.1.0"


def test_open_fire_and_get_carry_the_version_as_etag(server: Server) -> None:
    with server.client("officer") as officer:
        opened = officer.post("/cases", json=_listing())
        assert opened.status_code == 201 and opened.headers["etag"] == '"1"'
        assert opened.headers["location"] == "/cases/listing-1"
        fired = officer.post(
            "/cases/listing-1/events",
            json={"event": "notify", "on": "2026-05-06"},
            headers={"If-Match": opened.headers["etag"]},
        )
        assert fired.status_code == 200 and fired.headers["etag"] == '"2"'
        got = officer.get("/cases/listing-1")
        assert got.headers["etag"] == '"2"' and got.json()["version"] == 2


def test_every_event_records_the_token_actor(server: Server) -> None:
    with server.client("officer") as officer:
        officer.post("/cases", json=_listing())
        officer.post("/cases/listing-1/events", json={"event": "notify", "on": "2026-05-06"})
        history = officer.get("/cases/listing-1").json()["history"]
    assert {entry["actor"] for entry in history} == {"officer-1"}


def test_a_person_resident_id_never_appears_whole(server: Server, tmp_path: Any) -> None:
    person = "110101199003074477"
    with server.client("officer") as officer:
        response = officer.post("/cases", json=_listing(subject=person))
        assert response.status_code == 201
        text = response.text + officer.get("/cases/listing-1").text
        checked = officer.post(
            "/checks",
            json={
                "subject_id": person,
                "purpose": "licensing",
                "on": "2026-06-01",
                "domain": "road_transport",
            },
        )
        text += checked.text
        assert checked.status_code == 200
    assert person not in text and "110101********4477" in text
    log = (tmp_path / "decisions.jsonl").read_text(encoding="utf-8")
    assert person not in log and "110101********4477" in log
    line = json.loads(log.splitlines()[-1])
    assert line["masked"] == ["/input/subject_id"]


def _listing(subject: str = "91350100M000100Y43") -> dict[str, Any]:
    return {
        "kind": "listing.serious",
        "subject_id": subject,
        "on": "2026-05-06",
        "data": {
            "domain": "road_transport",
            "grounds": "多次严重违法",
            "basis": "交政研发〔2018〕181号",
        },
    }
