"""docs/tour.md quotes a real run: the report and the verification it shows are what
``creditflow demo --subjects 2000`` prints (only the seconds may differ), so it cannot go stale.

After an intended change, regenerate the quoted blocks from a run with
``CREDITFLOW_UPDATE_GOLDEN=1 pytest tests/demo/test_tour.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOUR = ROOT / "docs" / "tour.md"
SECONDS = re.compile(r"events in \d+\.\d s")


def _creditflow(*args: str, cwd: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "creditflow", *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The run the tour quotes, as its blocks should read."""
    folder = tmp_path_factory.mktemp("tour")
    printed = _creditflow("demo", "--subjects", "2000", cwd=folder)
    report = printed.split("\n\nBook: ")[0].rstrip("\n")
    verified = _creditflow("verify", "--db", "creditflow-demo.sqlite", cwd=folder)
    return {"report": report, "verify": f"$ creditflow verify --db creditflow-demo.sqlite\n"
            f"{verified.rstrip()}"}  # fmt: skip


def _block(text: str, name: str) -> tuple[int, int]:
    """Where the quoted block ``name`` lies in the tour (between its markers and fences)."""
    start = text.index(f"<!-- tour:{name} -->\n```text\n") + len(f"<!-- tour:{name} -->\n```text\n")
    return start, text.index(f"\n```\n<!-- /tour:{name} -->", start)


@pytest.mark.parametrize("name", ["report", "verify"])
def test_the_tour_quotes_a_real_run(run: dict[str, str], name: str) -> None:
    text = TOUR.read_text(encoding="utf-8")
    start, end = _block(text, name)
    if os.environ.get("CREDITFLOW_UPDATE_GOLDEN"):
        text = text[:start] + run[name] + text[end:]
        TOUR.write_text(text, encoding="utf-8")
        start, end = _block(text, name)
    quoted = text[start:end]
    assert SECONDS.sub("events in N s", quoted) == SECONDS.sub("events in N s", run[name])


def test_the_tour_quotes_the_chain_head_of_that_run(run: dict[str, str]) -> None:
    text = TOUR.read_text(encoding="utf-8")
    head = run["verify"].rsplit("head ", 1)[1]
    assert f"Book anchor (账本锚点): {head}" in text  # the report and the book agree
