"""The pytest plugin, in separate pytest runs on the example policy tests."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "policy-tests"
# Installed, creditflow's pytest11 entry point loads the plugin; from a source tree, -p does.
INSTALLED = any(e.name == "creditflow" for e in entry_points(group="pytest11"))
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
PYTEST += [] if INSTALLED else ["-p", "creditflow.testing.plugin"]


def run_pytest(*args: str) -> subprocess.CompletedProcess[str]:
    """pytest in the example project, with the plugin loaded as its entry point would."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([*PYTEST, *args], cwd=EXAMPLE, env=env, capture_output=True, text=True)


def test_the_example_passes_with_its_pack() -> None:
    result = run_pytest()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed" in result.stdout and "failed" not in result.stdout


def test_the_policy_option_chooses_the_pack() -> None:
    result = run_pytest("--creditflow-policy", "national-transport@2026.1", "-k", "five_workdays")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "7 workdays" in result.stdout


def test_the_option_is_documented_in_help() -> None:
    result = run_pytest("--help")
    assert "--creditflow-policy=PATH_OR_NAME" in result.stdout


def test_fixtures_without_the_option_use_the_default_pack(tmp_path: Path) -> None:
    (tmp_path / "test_default.py").write_text(
        "import creditflow\n"
        "def test_fixtures(creditflow_policy, memory_book, sqlite_book, workday_calendar,"
        " fixed_clock):\n"
        "    assert creditflow_policy == creditflow.load_policy()\n"
        "    assert memory_book.verify().ok and sqlite_book.verify().ok\n"
        "    assert fixed_clock().tzinfo is not None\n"
        "    assert workday_calendar.is_published(2030)\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [*PYTEST, "--rootdir", str(tmp_path), str(tmp_path)]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_example_reports_its_coverage() -> None:
    result = run_pytest()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "creditflow coverage" in result.stdout
    head = "riverside-transport@2026.1 (digest "
    line = next(line for line in result.stdout.splitlines() if line.startswith(head))
    assert "10 of 10 rules hit" in line


def test_the_calendar_is_built_before_the_first_test(tmp_path: Path) -> None:
    """The plugin builds the China calendar once per session, before any test runs, so that
    no Hypothesis example pays for it under its deadline (110-200 ms on a slow machine)."""
    (tmp_path / "test_first.py").write_text(
        "import creditflow.calendar.workdays as w\n"
        "def test_first():\n"
        "    for calendar in (w.WorkdayCalendar.china(),\n"
        "                     w.WorkdayCalendar.china(published_through=2030)):\n"
        "        assert set(range(2001, 2041)) <= set(calendar._tables)\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [*PYTEST, "--rootdir", str(tmp_path), str(tmp_path)]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
