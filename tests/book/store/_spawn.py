"""Child processes of the store tests: a script of this folder with creditflow's sources and
the tests' helpers on its path, and pipes to talk to it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
PATHS = [str(HERE.parents[2] / "src"), str(HERE.parents[1])]


def spawn(script: str, *args: object) -> subprocess.Popen[str]:
    """Start ``python <script> args...`` with stdin, stdout and stderr piped (text)."""
    paths = [*PATHS, os.environ.get("PYTHONPATH", "")]
    return subprocess.Popen(
        [sys.executable, str(HERE / script), *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
    )
