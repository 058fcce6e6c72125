"""Print the shell commands of a README's ```sh blocks, one per line, as written.

CI runs them from the root of the clone (`.ci/run`); `tests/test_examples.py` runs the same
lines, so that an example's README cannot drift from what works:

    python3 scripts/readme_commands.py examples/licensing_service/README.md
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.DOTALL | re.MULTILINE)


def commands(readme: Path) -> list[str]:
    """Every non-empty, non-comment line of the README's ```sh blocks, in order."""
    text = readme.read_text(encoding="utf-8")
    lines = [line for block in _BLOCK.findall(text) for line in block.splitlines()]
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print("\n".join(commands(Path(path))))
