"""The examples' READMEs run as written: their shell lines, from the root of a clone.

CI (`.ci/run`) runs every line after making the clone's `.venv`. Here the install line
(`python3 -m venv .venv && .venv/bin/pip install ...`, it needs the network) is the one line
left out: the clone is this source tree seen through symbolic links, and its `.venv/bin/python`
is the interpreter running the tests with the tree's `src` on its path, as an editable install
would put it (`examples/` is mirrored folder by folder, so that relative paths stay in the
clone). Every other line runs exactly as the README prints it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from readme_commands import commands  # noqa: E402

READMES = ["examples/licensing_service/README.md", "examples/policy-tests/README.md"]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clone")
    for entry in ROOT.iterdir():
        if entry.name not in (".venv", ".git", "examples"):
            (folder / entry.name).symlink_to(entry)
    # examples/ as real folders, so that a README's `cd` then `../../.venv` lands in the clone
    for path in sorted((ROOT / "examples").rglob("*")):
        if "__pycache__" in path.parts or ".hypothesis" in path.parts:
            continue
        mirrored = folder / path.relative_to(ROOT)
        if path.is_dir():
            mirrored.mkdir(parents=True, exist_ok=True)
        else:
            mirrored.parent.mkdir(parents=True, exist_ok=True)
            mirrored.symlink_to(path)
    bin_dir = folder / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.write_text(
        f'#!/bin/sh\nPYTHONPATH="{ROOT / "src"}" exec "{sys.executable}" "$@"\n', encoding="utf-8"
    )
    python.chmod(0o755)
    return folder


@pytest.mark.parametrize("readme", READMES)
def test_the_readme_commands_run_as_written(clone: Path, readme: str) -> None:
    lines = commands(ROOT / readme)
    assert lines and "pip install" in lines[0] and "python3 -m venv .venv" in lines[0]
    script = "\n".join(lines[1:])  # after the install, as written
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=clone, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " passed" in done.stdout and "failed" not in done.stdout
    assert "already registered" not in done.stderr
