"""What the commands share: exit codes, option types and turning options into a policy."""

from __future__ import annotations

import argparse
import datetime as dt
import re

from creditflow._repr import shown
from creditflow.errors import InvalidInput
from creditflow.rules.engine import Engine
from creditflow.rules.loading import load_policy

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "LineError",
    "engine_for",
    "parse_day",
    "positive_int",
]

EXIT_OK = 0
"""Success; for ``check``, the pack is sound."""
EXIT_PROBLEMS = 1
"""``check`` found problems in the pack."""
EXIT_ERROR = 2
"""An error: bad usage, bad input, unknown pack or name, unreadable file."""
EXIT_INTERRUPTED = 130
"""Interrupted by Ctrl-C (128 + SIGINT)."""
EXIT_BROKEN_PIPE = 141
"""The reader of standard output went away, e.g. ``| head`` (128 + SIGPIPE)."""

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class LineError(InvalidInput):
    """A line of the JSON lines input is wrong: ``line`` is its 1-based number."""

    code = "invalid_input_line"

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"stdin line {line}: {reason}")
        self.line = line
        self.reason = reason


def parse_day(text: str) -> dt.date:
    """An argparse type: ``YYYY-MM-DD`` -> ``date``, a usage error otherwise."""
    try:
        if _DAY.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"invalid date {shown(text)}: use YYYY-MM-DD, e.g. 2026-04-01")


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {shown(text)}")
    return value


def engine_for(args: argparse.Namespace) -> Engine:
    """The engine for the pack named by ``--policy``, in the version in force ``--on``."""
    source: str | None = args.policy
    on: dt.date | None = args.on
    return Engine(load_policy(source, on=on))
