"""Hypothesis stays optional: the core never imports it, the kit declares its entry points."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_creditflow_does_not_import_hypothesis_or_pytest() -> None:
    code = (
        "import sys, creditflow, creditflow.book, creditflow.workflows; "
        "creditflow.load_policy(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('hypothesis', 'pytest', "
        "'creditflow.testing') or m.startswith('creditflow.testing')))"
    )
    env = {"PYTHONPATH": str(ROOT / "src"), "HYPOTHESIS_NO_PLUGINS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "[]"


def test_entry_points_are_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    points = project["entry-points"]
    assert points["hypothesis"] == {"creditflow": "creditflow.testing:_hypothesis_setup_hook"}
    assert points["pytest11"] == {"creditflow": "creditflow.testing.plugin"}
    assert any(d.startswith("hypothesis") for d in project["optional-dependencies"]["test"])
    assert not any(d.startswith("hypothesis") for d in project["dependencies"])


def _with_entry_points(tmp_path: Path, code: str) -> str:
    """Run ``code`` with creditflow's entry points installed as a distribution would be."""
    info = tmp_path / "creditflow-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: creditflow\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(
        "[hypothesis]\ncreditflow = creditflow.testing:_hypothesis_setup_hook\n"
    )
    env = {"PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT / 'src'}"}
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


FROM_TYPE = (
    "from hypothesis import given, strategies as st\n"
    "from creditflow import Subject, Facts\n"
    "seen = []\n"
    "@given(st.from_type(Subject), st.from_type(Facts))\n"
    "def t(s, f): seen.append((type(s).__name__, type(f).__name__))\n"
    "t()\n"
    "print(set(seen))\n"
)


def test_the_hypothesis_entry_point_registers_the_types(tmp_path: Path) -> None:
    assert _with_entry_points(tmp_path, FROM_TYPE) == "{('Subject', 'Facts')}"


def test_the_entry_point_copes_with_the_kit_importing_hypothesis(tmp_path: Path) -> None:
    code = "import creditflow.testing\n" + FROM_TYPE
    assert _with_entry_points(tmp_path, code) == "{('Subject', 'Facts')}"


def test_the_plugin_and_the_checks_work_without_hypothesis() -> None:
    code = (
        "import sys\n"
        "sys.modules['hypothesis'] = None  # as if the test extra were not installed\n"
        "import creditflow.testing.plugin\n"
        "from creditflow.testing import assert_policy_sound\n"
        "import creditflow\n"
        "assert_policy_sound(creditflow.load_policy())\n"
        "try:\n"
        "    from creditflow.testing import BookStateMachine\n"
        "except ModuleNotFoundError as error:\n"
        "    print(error)\n"
    )
    env = {"PYTHONPATH": str(ROOT / "src"), "HYPOTHESIS_NO_PLUGINS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert out.returncode == 0, out.stderr
    assert "needs Hypothesis: pip install 'creditflow[test]'" in out.stdout


def test_the_store_contract_names_the_extra_it_needs() -> None:
    code = (
        "import sys\n"
        "sys.modules['pytest'] = None  # as if the test extra were not installed\n"
        "import creditflow.testing\n"
        "try:\n"
        "    import creditflow.testing.store_contract\n"
        "except ModuleNotFoundError as error:\n"
        "    print(error.name, error)\n"
    )
    env = {"PYTHONPATH": str(ROOT / "src"), "HYPOTHESIS_NO_PLUGINS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("pytest creditflow.testing.store_contract needs pytest: ")
    assert "pip install 'creditflow[test]'" in out.stdout
