"""``creditflow plan``: draw, write, verify, and refuse bad input in one line, end to end."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from creditflow.cli import main
from creditflow.cli.plan import Progress
from creditflow.core import organisation_code_check_character, uscc_check_character
from creditflow.supervision import InspectionPlan

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
ON = "2026-06-01"


def uscc(number: int) -> str:
    body = f"{number:08d}"
    first = f"91230123{body}{organisation_code_check_character(body)}"
    return first + uscc_check_character(first)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real program, ``python -m creditflow``, with the source tree on the path."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "creditflow", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        check=False,
        timeout=120,
    )


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """population.csv (30 firms: B, C, D and one on the serious list) and inspectors.csv."""
    with (tmp_path / "population.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["subject_id", "kind", "name", "region", "domain", "grade", "lists"])
        for n in range(30):
            lists = "serious" if n == 7 else ""
            writer.writerow(
                [uscc(n), "enterprise", f"企业{n}", "230123", "road_transport", "BCD"[n % 3], lists]
            )
    with (tmp_path / "inspectors.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["inspector_id", "name", "regions", "domains", "conflicts"])
        for n in range(4):
            writer.writerow(
                [f"ZF{n:03d}", f"执法{n}", "230123", "road_transport", uscc(7) if n == 0 else ""]
            )
    return tmp_path


DRAW = ("--on", ON, "plan", "--population", "population.csv", "--inspectors", "inspectors.csv")


def test_plan_draws_writes_three_files_and_prints_a_summary(files: Path) -> None:
    done = run_cli(
        *DRAW, "--seed", "20260105", "--period", "2026", "--quarters", "-o", "out", cwd=files
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    plan = json.loads((files / "out" / "plan.json").read_text(encoding="utf-8"))
    drawn = len({i["subject_id"] for i in plan["inspections"]})
    lines = done.stdout.splitlines()
    assert lines[0] == (
        "plan 2026-Q1, 2026-Q2, 2026-Q3, 2026-Q4 under national-transport@2026.1, seed '20260105'"
    )
    assert lines[1] == (
        f"{drawn} of 30 subjects drawn in 4 strata, {len(plan['inspections'])} inspections, "
        "2 inspectors each"
    )
    assert lines[2] == f"digest {plan['digest']}"
    assert lines[3] == "wrote out/plan.json, out/plan.csv, out/notice.md"
    assert (files / "out" / "notice.md").read_text(encoding="utf-8").startswith("# 2026年度")
    assert (files / "out" / "plan.csv").read_text(encoding="utf-8").startswith("period,subject_id")


def test_plan_verify_confirms_and_refutes(files: Path) -> None:
    drawn = run_cli(*DRAW, "--seed", "s1", "--period", "2026", "-o", "out", cwd=files)
    assert drawn.returncode == 0, drawn.stderr
    verify = (
        "plan",
        "--verify",
        "out/plan.json",
        "--population",
        "population.csv",
        "--inspectors",
        "inspectors.csv",
    )
    confirmed = run_cli(*verify, cwd=files)
    assert confirmed.returncode == 0, confirmed.stderr
    assert confirmed.stdout.startswith("confirmed: out/plan.json is the plan the seed draws (")

    path = files / "out" / "plan.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["seed"] = "s2"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    altered = run_cli(*verify, cwd=files)
    assert altered.returncode == 1
    assert altered.stdout.startswith("refuted: the digest stated in out/plan.json is not the")

    data["digest"] = InspectionPlan.from_data(data).digest  # a consistent forgery
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    forged = run_cli(*verify, cwd=files)
    assert forged.returncode == 1
    assert forged.stdout.startswith("refuted: plan.inspections[0].")


def test_a_published_plan_is_not_overwritten_without_force(files: Path) -> None:
    first = run_cli(*DRAW, "--seed", "s1", "--period", "2026", "-o", "out", cwd=files)
    assert first.returncode == 0, first.stderr
    published = (files / "out" / "plan.json").read_bytes()
    again = run_cli(*DRAW, "--seed", "s2", "--period", "2026", "-o", "out", cwd=files)
    assert again.returncode == 2
    assert again.stderr.splitlines() == [
        "creditflow: error: out already holds a plan (plan.json, plan.csv, notice.md): a "
        "published plan is not replaced; choose another -o folder or use --force to replace it"
    ]
    assert (files / "out" / "plan.json").read_bytes() == published
    forced = run_cli(*DRAW, "--seed", "s2", "--period", "2026", "-o", "out", "--force", cwd=files)
    assert forced.returncode == 0, forced.stderr
    assert json.loads((files / "out" / "plan.json").read_text(encoding="utf-8"))["seed"] == "s2"


def test_a_bad_row_is_one_error_line_naming_it(files: Path) -> None:
    with (files / "population.csv").open("a", encoding="utf-8", newline="") as out:
        out.write(f"{uscc(99)[:-1]}0,enterprise,坏,230123,road_transport,B,\n")
    done = run_cli(*DRAW, "--seed", "s", "--period", "2026", "-o", "out", cwd=files)
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith(
        "creditflow: error: population.csv line 32, subject_id: invalid unified social credit code"
    )
    assert not (files / "out").exists()


def test_an_infeasible_plan_is_one_error_line(files: Path) -> None:
    (files / "inspectors.csv").write_text(
        "inspector_id,name,regions,domains\nZF1,执法1,230123,road_transport\n", encoding="utf-8"
    )
    done = run_cli(*DRAW, "--seed", "s", "--period", "2026", "-o", "out", cwd=files)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "creditflow: error: infeasible plan: population.csv line 2: no eligible pool in region "
        "230123, domain road_transport: 1 qualified inspector(s), 2 needed for each inspection"
    ]


def test_drawing_needs_seed_period_and_output(files: Path) -> None:
    done = run_cli(*DRAW, "--period", "2026", cwd=files)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "creditflow plan: error: drawing a plan needs --seed, -o"
    )
    assert "Traceback" not in done.stderr


def test_a_missing_file_is_one_error_line(files: Path) -> None:
    done = run_cli(
        "plan",
        "--population",
        "nowhere.csv",
        "--inspectors",
        "inspectors.csv",
        "--seed",
        "s",
        "--period",
        "2026",
        "-o",
        "out",
        cwd=files,
    )
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith("creditflow: error: [Errno 2] No such file or directory")


def test_progress_goes_to_stderr_when_asked(
    files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(files)
    monkeypatch.setattr(Progress, "EVERY", 10)
    args = [*DRAW, "--seed", "s", "--period", "2026", "-o", "out"]
    assert main([*args, "--progress"]) == 0
    shown = capsys.readouterr().err
    assert "\rreading population.csv [" in shown
    assert "30 lines" in shown
    assert main([*args, "--force"]) == 0  # stderr is not a terminal here: silent
    assert capsys.readouterr().err == ""
