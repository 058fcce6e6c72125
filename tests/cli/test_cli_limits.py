"""The command line refuses input beyond the documented limits with one line and exit 2."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from creditflow._limits import MAX_DEPTH, MAX_LINE_CHARS
from creditflow.cli import main

ON = "2026-06-01"
DEEP_PACK = (
    'format = 1\n\n[pack]\nname = "deep"\nversion = "1"\neffective_from = 2026-04-01\n'
    "x = " + "[" * 5000 + "]" * 5000 + "\n"
)


def feed(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_a_too_deep_json_line_is_a_line_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    feed(monkeypatch, b'{"domain": "road_transport", "grade": "B"}\n' + b"[" * 5000 + b"\n")
    assert main(["--on", ON, "decide"]) == 2
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1  # the good line before it is decided
    assert err == (
        f"creditflow: error: stdin line 2: nested deeper than {MAX_DEPTH} levels (the limit)\n"
    )


def test_a_too_long_json_line_is_a_line_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    long_id = b"x" * MAX_LINE_CHARS
    feed(monkeypatch, b'{"domain": "road_transport", "grade": "B", "id": "' + long_id + b'"}\n')
    assert main(["--on", ON, "decide"]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"creditflow: error: stdin line 1: longer than the limit of {MAX_LINE_CHARS:,} characters\n"
    )


def test_a_too_deep_pack_is_an_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["decide", "--domain", "road_transport", "--grade", "B"]
    pack = tmp_path / "deep.toml"
    pack.write_text(DEEP_PACK, encoding="utf-8")
    assert main(["--on", ON, "--policy", str(pack), *command]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"creditflow: error: policy pack {pack} has 1 problem")
    assert "Traceback" not in err


def test_check_reports_a_too_deep_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "deep.toml"
    pack.write_text(DEEP_PACK, encoding="utf-8")
    assert main(["check", str(pack)]) == 1
    assert f"deeper than {MAX_DEPTH} levels" in capsys.readouterr().out


def test_a_too_deep_plan_to_verify_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    population = tmp_path / "population.csv"
    population.write_text("subject_id,kind,name,region,domain,grade\n", encoding="utf-8")
    code = main(["plan", "--verify", str(plan), "--population", str(population),
                 "--inspectors", str(population)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2, err
    assert err == (
        f"creditflow: error: {plan}: nested deeper than {MAX_DEPTH} levels (the limit)\n"
    )


def test_a_plan_to_verify_that_is_not_utf8_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.json"
    plan.write_bytes(b'{"format": "\xff"}')
    population = tmp_path / "population.csv"
    population.write_text("subject_id,kind,name,region,domain,grade\n", encoding="utf-8")
    code = main(["plan", "--verify", str(plan), "--population", str(population),
                 "--inspectors", str(population)])  # fmt: skip
    assert code == 2
    assert capsys.readouterr().err == f"creditflow: error: {plan}: not valid UTF-8 (byte 13)\n"


def test_a_recursion_error_from_anywhere_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A safety net: input nested too deeply for some parser the limits do not cover yet."""
    from creditflow.cli import check

    def deep(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(check, "check_policy", deep)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "creditflow: error: the input is nested too deeply to read "
        "(maximum recursion depth exceeded); see the limits in docs/cli.md\n"
    )
