"""``creditflow decide --trace``: each decision with the rules that matched and why."""

from __future__ import annotations

import io
import json

import pytest

from creditflow.cli.main import main


def test_trace_in_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--on", "2026-06-01", "decide", "--domain", "road_transport", "--grade", "C"]
    assert main([*argv, "--list", "watch", "--trace"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rule_id"] == "watch-list"
    assert data["trace"]["winner"] == "watch-list"
    assert [m["rule_id"] for m in data["trace"]["matches"]] == ["watch-list", "grade-c"]
    assert data["trace"]["matches"][0]["conditions"] == [
        "list_watch = true",
        "grade_rank <= 3 (is 3)",
    ]


def test_trace_in_a_table_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = '{"domain": "road_transport", "grade": "B"}\n{"domain": "work_safety", "grade": "D"}\n'
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert main(["--on", "2026-06-01", "decide", "--format", "table", "--trace"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2:6] == [
        "  road_transport/B lists=[] flags=[] under national-transport@2026.1 (hit policy first)",
        "    * grade-b (rule 8, priority 0)",
        "        grade = 'B'",
        "    decided by grade-b: the only rule that matches (hit policy first)",
    ]
    assert out[6].startswith("work_safety")


def test_without_trace_there_is_no_trace(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--on", "2026-06-01", "decide", "--domain", "road_transport", "--grade", "B"]) == 0
    assert "trace" not in json.loads(capsys.readouterr().out)
