"""``creditflow policies``: the built-in policy packs and their versions."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from creditflow.cli.common import EXIT_OK
from creditflow.policy.sources import PackVersion, builtin_versions

__all__ = ["add_parser", "run"]

HELP = "list the built-in policy packs and their versions"
HEADER = ("pack", "version", "from", "to", "in force")


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``policies`` command to the subparsers ``commands``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "policies",
        help=HELP,
        description=f"{HELP.capitalize()}; 'yes' marks the version in force on --on (today).",
        parents=parents,
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="output: an aligned table (default) or JSON",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print every built-in pack version, marking the one in force on ``--on``."""
    on: dt.date = args.on if args.on is not None else dt.date.today()
    versions = builtin_versions()
    if args.format == "json":
        text = json.dumps([_data(v, on) for v in versions], ensure_ascii=False, indent=2)
    else:
        text = _table([_cells(v, on) for v in versions])
    sys.stdout.write(text + "\n")
    return EXIT_OK


def _data(version: PackVersion, on: dt.date) -> dict[str, object]:
    end = version.effective_to
    return {
        "name": version.name,
        "version": version.version,
        "key": version.key,
        "effective_from": version.effective_from.isoformat(),
        "effective_to": end.isoformat() if end else None,
        "in_force": version.in_force(on),
    }


def _cells(version: PackVersion, on: dt.date) -> tuple[str, ...]:
    end = version.effective_to
    return (
        version.name,
        version.version,
        version.effective_from.isoformat(),
        end.isoformat() if end else "-",
        "yes" if version.in_force(on) else "",
    )


def _table(rows: list[tuple[str, ...]]) -> str:
    rows = [HEADER, *rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)
