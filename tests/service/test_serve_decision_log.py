"""Decision logs: one JSON line per check and decision, in OPA's decision-log shape, subject
masked, the pack's name, version and digest, the rule ids; rotated by size."""

from __future__ import annotations

import json
from pathlib import Path

from _server import Server

from creditflow.service.decision_log import DecisionLog

OPA_KEYS = {
    "decision_id",
    "timestamp",
    "path",
    "requested_by",
    "input",
    "result",
    "bundles",
    "labels",
    "metrics",
    "masked",
}


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_check_and_decision_is_one_line(server: Server, tmp_path: Path) -> None:
    check = {
        "subject_id": "91350100M000100Y43",
        "purpose": "procurement",
        "on": "2026-06-01",
        "domain": "road_transport",
        "new_subject": True,
    }
    with server.client("officer") as officer:
        checked = officer.post("/checks", json=check).json()
        officer.post(
            "/decisions",
            json={"on": "2026-06-01", "facts": {"domain": "road_transport", "grade": "C"}},
        )
        officer.post(
            "/decisions/batch",
            json={
                "on": "2026-06-01",
                "facts": [
                    {"domain": "road_transport", "grade": "A"},
                    {"domain": "road_transport", "grade": "D"},
                ],
            },
        )
        officer.get("/overdue", params={"on": "2026-06-01"})  # not a decision: no line
    found = lines(tmp_path / "decisions.jsonl")
    assert [line["path"] for line in found] == [
        "creditflow/check",
        "creditflow/decide",
        "creditflow/decide_many",
    ]
    first = found[0]
    assert set(first) == OPA_KEYS
    assert first["requested_by"] == "officer-1"
    assert first["input"] == {
        "subject_id": "91350100M000100Y43",
        "purpose": "procurement",
        "on": "2026-06-01",
        "domain": "road_transport",
        "evaluations": [],
        "new_subject": True,
        "head": first["input"]["head"],
    }
    assert first["input"]["head"].startswith("0:")
    assert found[2]["input"]["facts"][1]["grade"] == "D"
    assert [d["rule_ids"] for d in found[2]["result"]["decisions"]] == [["grade-a"], ["grade-d"]]
    assert first["result"]["rule_ids"][0] == checked["decision_rule"]
    assert first["result"]["proceed_normally"] is checked["proceed_normally"]
    version = checked["policy_version"].split("@")[1]
    assert first["bundles"] == {
        "national-transport": {"revision": f"{version}#{checked['policy_digest']}"}
    }
    assert first["timestamp"].endswith("Z") and first["metrics"]["timer_server_handler_ns"] > 0
    assert found[1]["result"]["rule_ids"] == ["grade-c"]
    assert len({line["decision_id"] for line in found}) == 3


def test_the_log_rotates_by_size(tmp_path: Path) -> None:
    target = tmp_path / "d.jsonl"
    log = DecisionLog(str(target), max_bytes=2_000, backups=2, instance="a")
    try:
        for n in range(40):
            log.write(
                "creditflow/decide",
                actor="officer-1",
                pack=("national-transport@2026.1", "0" * 64),
                input={"n": n},
                result={"rule_ids": ["grade-a"]},
                nanoseconds=1,
            )
    finally:
        log.close()
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["d.jsonl", "d.jsonl.1", "d.jsonl.2"]
    assert all(p.stat().st_size <= 2_000 for p in tmp_path.iterdir())
    last = lines(target)[-1]
    assert last["input"] == {"n": 39} and last["labels"]["id"] == "a"


def test_a_resident_id_is_masked_and_named_in_masked(tmp_path: Path) -> None:
    target = tmp_path / "d.jsonl"
    log = DecisionLog(str(target))
    try:
        log.write(
            "creditflow/check",
            actor="officer-1",
            pack=("p@1", "0" * 64),
            input={"subject_id": "110101199003074477", "purpose": "licensing"},
            result={"note": "110101199003074477"},
            nanoseconds=1,
        )
    finally:
        log.close()
    text = target.read_text(encoding="utf-8")
    assert "110101199003074477" not in text
    assert lines(target)[0]["masked"] == ["/input/subject_id"]
