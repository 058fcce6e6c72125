"""The command line: end to end in a subprocess, and in-process through ``main`` for the rest."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from creditflow.cli import main
from creditflow.cli.decide import decide_stream
from creditflow.cli.requests import Request
from creditflow.rules.decision import Decision
from creditflow.rules.engine import Engine

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
DOC = ROOT / "docs" / "cli.md"
ON = "2026-06-01"  # national-transport@2026.1 is in force

BROKEN_PACK = """\
format = 1

[pack]
name = "broken"
version = "1"
extends = "national-transport@2026.1"
effective_from = 2026-04-01

[measures.key_supervision]
kind = "punishment"
"""

GAPPY_PACK = """\
format = 1

[pack]
name = "gappy"
version = "1"
extends = "national-transport@2026.1"
effective_from = 2026-04-01

[decisions]
hit_policy = "first"

[[decisions.rules]]
id = "only-aa"
when = { grade = "AA" }
sampling_ratio = "1%"
inspections_per_year = { min = 0, max = 1 }
basis = "test"
source = "configurable"
"""


def run_cli(
    *args: str, stdin: str | bytes = b"", cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The real program, ``python -m creditflow``, with the source tree on the path."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "utf-8"}
    data = stdin.encode() if isinstance(stdin, str) else stdin
    done = subprocess.run(
        [sys.executable, "-m", "creditflow", *args],
        input=data,
        capture_output=True,
        env=env,
        cwd=cwd,
        check=False,
        timeout=120,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


def jsonl(*objects: object) -> str:
    return "".join(json.dumps(o) + "\n" for o in objects)


def feed(monkeypatch: pytest.MonkeyPatch, data: str | bytes) -> None:
    """Put ``data`` on stdin for an in-process run (a text stream with a binary buffer)."""
    raw = data.encode() if isinstance(data, str) else data
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))


# ---------------------------------------------------------------- end to end, in a subprocess


def test_decide_one_subject_from_options() -> None:
    done = run_cli("--on", ON, "decide", "--domain", "road_transport", "--grade", "B")
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    decision = json.loads(line)
    assert decision["domain"] == "road_transport"
    assert decision["grade"] == "B"
    assert decision["sampling_ratio"] == "1/20"
    assert decision["sampling_percent"] == "5%"
    assert decision["rule_id"] == "grade-b"
    assert decision["policy_version"] == "national-transport@2026.1"
    assert decision["basis"].startswith("国发〔2019〕5号")
    assert done.stderr == ""


def test_decide_json_lines_from_stdin_echoes_ids_in_order() -> None:
    stdin = jsonl(
        {"id": "a-1", "domain": "road_transport", "grade": "AA"},
        {"domain": "work_safety", "grade": "B", "lists": ["serious"]},
        {"id": 7, "domain": "highway_construction", "grade": "A", "flags": ["commitment_breached"]},
    )
    done = run_cli("decide", "--on", ON, "--explain", "en", stdin=stdin)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a-1", None, 7]
    assert "id" not in out[1]
    assert [o["rule_id"] for o in out] == ["grade-aa", "serious-list", "breach-good-grade"]
    assert out[1]["inspections_per_year"] == {"min": 2, "max": None}
    assert out[0]["explanation"].startswith("A subject graded AA (Good) in Road transport")
    assert next(iter(out[0])) == "id"


def test_decide_table_format_aligns_columns() -> None:
    stdin = jsonl(
        {"domain": "road_transport", "grade": "B"},
        {"domain": "waterway_construction", "grade": "C", "lists": ["serious", "watch"]},
    )
    done = run_cli("--on", ON, "decide", "--format", "table", stdin=stdin)
    assert done.returncode == 0, done.stderr
    header, first, second = done.stdout.splitlines()
    assert header.split() == [
        "domain", "grade", "lists", "flags", "ratio", "inspections", "rule", "measures",
    ]  # fmt: skip
    assert first.split() == ["road_transport", "B", "-", "-", "5%", "1", "grade-b", "-"]
    assert second.split()[:7] == [
        "waterway_construction", "C", "serious,watch", "-", "100%", "2+", "serious-list",
    ]  # fmt: skip
    for column in ("grade", "ratio", "rule"):
        start = header.index(column)
        assert first[start - 2 : start] == "  "
        assert first[start] != " "
        assert second[start] != " "


def test_check_a_sound_pack() -> None:
    done = run_cli("check", "national-transport", "--on", ON)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("national-transport@2026.1: 400 signatures analysed: OK")


def test_check_an_invalid_pack_file_names_the_key(tmp_path: Path) -> None:
    pack = tmp_path / "broken.toml"
    pack.write_text(BROKEN_PACK, encoding="utf-8")
    done = run_cli("check", str(pack))
    assert done.returncode == 1
    assert done.stdout.startswith(f"{pack}: 0 signatures analysed: PROBLEMS")
    assert "measures.key_supervision.kind: 'punishment' is not one of" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_policies_lists_the_builtin_versions() -> None:
    done = run_cli("policies", "--on", ON)
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split() == ["pack", "version", "from", "to", "in", "force"]
    cells = [row.split() for row in rows]
    assert ["national-transport", "2026.1", "2026-04-01", "-", "yes"] in cells
    assert ["national-transport", "2019.1", "2019-07-01", "2026-03-31"] in cells


def test_an_unknown_grade_is_one_error_line_after_the_decisions_before_it() -> None:
    stdin = jsonl(
        {"domain": "road_transport", "grade": "A"},
        {"domain": "road_transport", "grade": "B"},
        {"domain": "road_transport", "grade": "E"},
        {"domain": "road_transport", "grade": "C"},
    )
    done = run_cli("--on", ON, "decide", stdin=stdin)
    assert done.returncode == 2
    assert [json.loads(line)["grade"] for line in done.stdout.splitlines()] == ["A", "B"]
    assert done.stderr.splitlines() == [
        "creditflow: error: stdin line 3: unknown grade 'E' in domain 'road_transport'"
        " (scale 'road_transport'); known: AA, A, B, C, D"
    ]
    assert "Traceback" not in done.stderr


def test_a_malformed_json_line_is_named() -> None:
    stdin = '{"domain": "road_transport", "grade": "A"}\n\n{"domain": road_transport}\n'
    done = run_cli("--on", ON, "decide", stdin=stdin)
    assert done.returncode == 2
    assert len(done.stdout.splitlines()) == 1
    (error,) = done.stderr.splitlines()
    assert error.startswith("creditflow: error: stdin line 3: invalid JSON: Expecting value")


def test_a_bad_date_is_a_usage_error() -> None:
    done = run_cli("--on", "2026-02-30", "policies")
    assert done.returncode == 2
    assert "argument --on: invalid date '2026-02-30': use YYYY-MM-DD" in done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr


def test_version() -> None:
    done = run_cli("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == "creditflow 0.1.0"


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    many = tmp_path / "many.jsonl"
    many.write_text(jsonl({"domain": "road_transport", "grade": "B"}) * 50_000, encoding="utf-8")
    with (
        many.open("rb") as stdin,
        subprocess.Popen(
            [sys.executable, "-m", "creditflow", "decide", "--chunk-size", "100"],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        ) as process,
    ):
        assert process.stdout is not None and process.stderr is not None
        assert json.loads(process.stdout.readline())["grade"] == "B"
        process.stdout.close()  # the reader goes away, as `| head -1` would
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=120) == 141
    assert stderr == ""


# ---------------------------------------------------------------- in process: options and usage


def test_options_after_the_command_pick_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["decide", "--on", "2020-01-01", "--domain", "road_transport", "--grade", "B"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["policy_version"] == "national-transport@2019.1"


def test_policy_with_a_version(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--policy", "national-transport@2019.1", "decide", "--domain", "work_safety"]
    assert main([*argv, "--grade", "A"]) == 0
    assert json.loads(capsys.readouterr().out)["policy_version"] == "national-transport@2019.1"


def test_lists_and_flags_as_options(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--on", ON, "decide", "--domain", "road_transport", "--grade", "C"]
    assert main([*argv, "--flag", "commitment_breached", "--list", "watch"]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["lists"] == ["watch"]
    assert decision["flags"] == ["commitment_breached"]
    assert decision["rule_id"] == "watch-list"


def test_explain_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--on", ON, "decide", "--domain", "road_transport", "--grade", "B", "--explain", "zh"]
    assert main(argv) == 0
    explanation = json.loads(capsys.readouterr().out)["explanation"]
    assert explanation.startswith("道路运输领域信用等级为B（信用一般）的主体")


def test_table_with_explanations(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--on", ON, "decide", "--domain", "road_transport", "--grade", "AA"]
    assert main([*argv, "--format", "table", "--explain", "en"]) == 0
    header, row, explanation = capsys.readouterr().out.splitlines()
    assert header.startswith("domain")
    assert row.split()[:7] == ["road_transport", "AA", "-", "-", "1%", "0-1", "grade-aa"]
    assert explanation.startswith("  A subject graded AA (Good) in Road transport")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["decide", "--grade", "B"], "--grade, --list and --flag need --domain"),
        (["decide", "--domain", "road_transport"], "--domain needs --grade"),
        (["decide", "--format", "csv"], "invalid choice: 'csv'"),
        (["decide", "--chunk-size", "0"], "must be a whole number >= 1"),
        (["--on", "1 June 2026", "check"], "invalid date '1 June 2026'"),
        ([], "the following arguments are required"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_no_facts_on_a_terminal_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    assert main(["decide"]) == 2
    assert "no facts: give --domain and --grade, or pipe JSON lines" in capsys.readouterr().err


def test_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "exit codes:" in out
    for code in ("0 ", "1 ", "2 ", "130", "141"):
        assert f"\n  {code}" in out


# ---------------------------------------------------------------- in process: errors


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--policy", "nope", "decide", "--domain", "x", "--grade", "B"],
         "unknown policy pack 'nope'; known: "),
        (["check", "national-transport@9"], "unknown policy pack 'national-transport@9'"),
        (["--on", "2010-01-01", "check"],
         "no version of policy pack 'national-transport' is in force on 2010-01-01"),
        (["--on", ON, "decide", "--domain", "rail", "--grade", "B"], "unknown domain 'rail'"),
        (["--on", ON, "decide", "--domain", "road_transport", "--grade", "B", "--list", "black"],
         "unknown list kind 'black'"),
    ],
)  # fmt: skip
def test_errors_are_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith(f"creditflow: error: {message}")
    assert captured.err.count("\n") == 1
    assert captured.out == ""


def test_an_invalid_pack_lists_its_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "broken.toml"
    pack.write_text(BROKEN_PACK, encoding="utf-8")
    argv = ["--policy", str(pack), "decide", "--domain", "road_transport", "--grade", "B"]
    assert main(argv) == 2
    first, *problems = capsys.readouterr().err.splitlines()
    assert first.startswith(f"creditflow: error: policy pack {pack} has ")
    assert problems[0] == (
        f"  - {pack}: measures.key_supervision.kind:"
        " 'punishment' is not one of restriction, incentive, supervision"
    )


def test_interrupted(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupt(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr("creditflow.cli.check.check_policy", interrupt)
    assert main(["check"]) == 130
    assert capsys.readouterr().err == "creditflow: error: interrupted\n"


# ---------------------------------------------------------------- in process: JSON lines input


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('["road_transport", "B"]', "expected a JSON object, got an array"),
        ('{"grade": "B"}', "missing key 'domain'"),
        ('{"domain": "road_transport", "grade": 2}', "'grade' must be a non-empty string, got 2"),
        ('{"domain": "road_transport", "grade": "B", "list": []}', "unknown key 'list'; known: "),
        ('{"domain": "road_transport", "grade": "B", "lists": "serious"}',
         "'lists' must be an array of strings, got \"serious\" (a string)"),
        ('{"domain": "road_transport", "grade": "B", "flags": [{}]}',
         "'flags' must hold non-empty strings, got {} (an object)"),
        ('{"domain": "road_transport", "grade": "B", "flags": ["nope"]}', "unknown flag 'nope'"),
        ('{"domain": "road_transport", "grade": "B"', "invalid JSON: Expecting"),
    ],
)  # fmt: skip
def test_a_bad_line_is_named_with_its_reason(
    line: str, reason: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good = '{"domain": "road_transport", "grade": "B"}\n'
    feed(monkeypatch, good + "\n" + line + "\n" + good)
    assert main(["--on", ON, "decide"]) == 2
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    assert captured.err.startswith(f"creditflow: error: stdin line 3: {reason}")
    assert captured.err.count("\n") == 1


def test_bytes_that_are_not_utf8_are_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    feed(monkeypatch, b'{"domain": "road_transport", "grade": "\xff"}\n')
    assert main(["--on", ON, "decide"]) == 2
    assert capsys.readouterr().err == (
        "creditflow: error: stdin line 1: not valid UTF-8 (byte 40)\n"
    )


def test_a_byte_order_mark_and_blank_lines_are_accepted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    feed(monkeypatch, '\ufeff{"domain": "road_transport", "grade": "B", "id": null}\n  \n')
    assert main(["--on", ON, "decide"]) == 0
    (decision,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert decision["id"] is None
    assert decision["rule_id"] == "grade-b"


def test_an_error_in_a_later_chunk_keeps_the_earlier_chunks(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [{"id": i, "domain": "road_transport", "grade": "B"} for i in range(1, 8)]
    lines[5]["grade"] = "Z"
    feed(monkeypatch, jsonl(*lines))
    assert main(["--on", ON, "decide", "--chunk-size", "2"]) == 2
    captured = capsys.readouterr()
    assert [json.loads(line)["id"] for line in captured.out.splitlines()] == [1, 2, 3, 4, 5]
    assert captured.err.startswith("creditflow: error: stdin line 6: unknown grade 'Z'")


class RecordingWriter:
    """Records the size of every chunk written."""

    def __init__(self) -> None:
        self.chunks: list[int] = []

    def write(self, requests: Sequence[Request], decisions: Sequence[Decision]) -> None:
        assert len(requests) == len(decisions)
        self.chunks.append(len(decisions))


def test_input_is_read_decided_and_written_chunk_by_chunk(engine: Engine) -> None:
    read = 0

    def lines() -> Iterator[str]:
        nonlocal read
        for _ in range(7):
            read += 1
            assert len(writer.chunks) >= (read - 1) // 3  # a chunk is written before reading on
            yield '{"domain": "road_transport", "grade": "B"}\n'

    writer = RecordingWriter()
    decide_stream(engine, lines(), writer, chunk_size=3)
    assert [c for c in writer.chunks if c] == [3, 3, 1]


# ---------------------------------------------------------------- in process: check and policies


def test_check_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--on", ON, "check", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert report["policy"] == "national-transport@2026.1"
    assert report["signatures"] == 400


def test_check_a_pack_with_gaps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "gappy.toml"
    pack.write_text(GAPPY_PACK, encoding="utf-8")
    assert main(["--policy", str(pack), "check"]) == 1
    head, *problems = capsys.readouterr().out.splitlines()
    assert head == "gappy@1: 400 signatures analysed: PROBLEMS"
    assert "  gap: no rule decides highway_construction/A lists=[] flags=[]" in problems


def test_check_a_file_that_is_not_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "bad.toml"
    pack.write_text("not = [toml", encoding="utf-8")
    assert main(["check", str(pack), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["schema_problems"][0]["reason"].startswith("not valid TOML")


def test_policies_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policies", "--format", "json", "--on", "2020-01-01"]) == 0
    versions = {v["key"]: v for v in json.loads(capsys.readouterr().out)}
    assert versions["national-transport@2019.1"] == {
        "name": "national-transport",
        "version": "2019.1",
        "key": "national-transport@2019.1",
        "effective_from": "2019-07-01",
        "effective_to": "2026-03-31",
        "in_force": True,
    }
    assert versions["national-transport@2026.1"]["in_force"] is False


# ---------------------------------------------------------------- the examples of docs/cli.md


def doc_examples() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The files of docs/cli.md (a block after ``<!-- file: NAME -->``) and its examples.

    An example is a ``$ command`` line of a ``console`` block and the output lines after it.
    """
    files: dict[str, str] = {}
    examples: list[tuple[str, list[str]]] = []
    block: list[str] | None = None
    name = kind = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if block is None:
            if match := re.fullmatch(r"<!-- file: (\S+) -->", line):
                name = match.group(1)
            elif line.startswith("```"):
                block, kind = [], line[3:]
        elif line == "```":
            if name is not None and kind != "console":
                files[name], name = "\n".join(block) + "\n", None
            block = None
        elif kind == "console" and line.startswith("$ "):
            examples.append((line[2:], []))
        elif kind == "console":
            examples[-1][1].append(line)
        else:
            block.append(line)
    return files, [(command, "\n".join(out)) for command, out in examples]


DOC_FILES, DOC_EXAMPLES = doc_examples()


def test_the_docs_have_examples() -> None:
    assert len(DOC_EXAMPLES) >= 15
    assert "broken.toml" in DOC_FILES


@pytest.mark.skipif(shutil.which("bash") is None, reason="the examples are bash commands")
@pytest.mark.parametrize(("command", "expected"), DOC_EXAMPLES, ids=lambda x: str(x)[:60])
def test_the_docs_examples_print_what_they_show(
    command: str, expected: str, tmp_path: Path
) -> None:
    for name, text in DOC_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    env = {
        **os.environ,
        "CF_PYTHON": sys.executable,
        "PYTHONPATH": str(SRC),
        "PYTHONIOENCODING": "utf-8",
        "COLUMNS": "80",
    }
    script = 'creditflow() { "$CF_PYTHON" -m creditflow "$@"; }\n' + command
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=False,
        timeout=120,
    )
    assert done.stdout.decode().rstrip("\n") == expected


def test_docs_with_a_version_needs_no_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--policy", "national-transport@2019.1", "docs", "-o", str(tmp_path)]
    assert main(argv) == 0
    assert "national-transport" in (tmp_path / "index.md").read_text(encoding="utf-8")


def test_on_with_a_version_not_in_force_names_the_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--policy", "national-transport@2019.1", "--on", "2026-06-01", "docs"]
    assert main([*argv, "-o", str(tmp_path)]) != 0
    assert "'national-transport@2019.1'" in capsys.readouterr().err
