"""The example licensing service uses only the public API, and its own tests pass."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import creditflow

EXAMPLE = Path(__file__).parents[2] / "examples" / "licensing_service"


def test_the_service_imports_only_public_names() -> None:
    tree = ast.parse((EXAMPLE / "licensing_service.py").read_text(encoding="utf-8"))
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert {m for m in modules if m.startswith("creditflow")} <= {"creditflow"}
    used = {
        n.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and n.value.id == "creditflow"
    }
    assert used <= set(creditflow.__all__), used - set(creditflow.__all__)


def test_the_examples_own_tests_pass() -> None:
    src = str(Path(creditflow.__file__).parents[1])
    env = {**os.environ, "PYTHONPATH": src}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        cwd=EXAMPLE.parents[1],
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "7 passed" in done.stdout
