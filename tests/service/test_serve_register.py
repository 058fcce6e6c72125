"""Evaluations: the service's register (``--evaluations``) is what a subject's checks and
approvals read; a subject's token may not state its own evaluations."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from _server import Server, write_auth

from creditflow.errors import InvalidRow
from creditflow.service.register import read_evaluations

APPLICANT = "91110000600037341L"
APPROVAL = {
    "subject_id": APPLICANT,
    "on": "2026-06-01",
    "approval_id": "XK-1",
    "domain": "road_transport",
}
LOW = {
    "subject_id": APPLICANT,
    "domain": "road_transport",
    "year": 2026,
    "score": 50,
    "evaluated_on": "2026-05-01",
}


@pytest.fixture
def with_register(tmp_path: Path) -> Iterator[Server]:
    register = tmp_path / "evaluations.jsonl"
    register.write_text(json.dumps(LOW) + "\n", encoding="utf-8")
    server = Server(
        str(tmp_path / "book.sqlite"),
        write_auth(tmp_path / "auth.toml"),
        None,
        extra=("--evaluations", str(register)),
    )
    try:
        yield server
    finally:
        server.stop()


def test_a_subject_may_not_state_its_own_evaluations(server: Server) -> None:
    high = {k: v for k, v in LOW.items() if k != "subject_id"} | {"score": 99}
    with server.client("applicant") as applicant:
        response = applicant.post(
            "/commitments/approvals", json={**APPROVAL, "evaluations": [high]}
        )
        assert response.status_code == 403 and response.json()["code"] == "not_permitted"
        assert "evaluations" in response.json()["detail"]
        check = {k: APPROVAL[k] for k in ("subject_id", "on", "domain")} | {
            "purpose": "licensing",
            "evaluations": [high],
        }
        assert applicant.post("/checks", json=check).status_code == 403
    with server.client("officer") as officer:  # the licensing system's token may
        assert officer.post("/checks", json=check).json()["grade"]["how"] == "evaluation"
        assert officer.get("/ready").json()["head"].startswith("0:")


def test_the_register_decides_a_subject_s_approval(with_register: Server) -> None:
    """A subject not eligible for commit-and-approve is 422 with the guard."""
    with with_register.client("applicant") as applicant:
        refused = applicant.post("/commitments/approvals", json=APPROVAL)
    assert refused.status_code == 422, refused.text
    assert refused.json()["guard"] == "commit_and_approve_eligible"
    with with_register.client("officer") as officer:
        check = {k: APPROVAL[k] for k in ("subject_id", "on", "domain")} | {"purpose": "licensing"}
        grade = officer.post("/checks", json=check).json()["grade"]
    assert grade["how"] == "evaluation" and grade["grade"] not in ("A", "AA")


def test_a_wrong_register_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "evaluations.jsonl"
    path.write_text(
        json.dumps(LOW) + "\n" + json.dumps({**LOW, "year": "x"}) + "\n", encoding="utf-8"
    )
    with pytest.raises(InvalidRow, match="line 2") as caught:
        read_evaluations(path)
    assert "year" in str(caught.value)
    path.write_text(json.dumps(LOW) + "\n", encoding="utf-8")
    assert len(read_evaluations(path)) == 1
