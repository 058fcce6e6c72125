"""``creditflow check NEW --against OLD [--population FILE]``: what switching packs changes."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import attrs

from creditflow.cli.common import EXIT_OK, EXIT_PROBLEMS
from creditflow.policy.sources import read_policy
from creditflow.rules.loading import check_policy
from creditflow.supervision.impacts import impact
from creditflow.supervision.readers import read_population

__all__ = ["add_options", "run_impact"]


def add_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--against OLD`` and ``--population FILE`` to the ``check`` parser."""
    parser.add_argument(
        "--against",
        metavar="OLD",
        help="also report the changes from the pack OLD (a source as for PACK) to PACK",
    )
    parser.add_argument(
        "--population",
        metavar="FILE",
        type=Path,
        help="with --against: the subjects (the file `creditflow plan` reads) whose ratio, "
        "inspections or measures change, and the year's plan under each pack",
    )


def run_impact(args: argparse.Namespace, source: str | None, on: dt.date | None) -> int:
    """Print the analysis of the pack, its changes from ``--against`` and their effect on the
    population; 0 if the pack is sound, 1 if not (the changes are shown either way)."""
    report = check_policy(source, on=on)
    if report.schema_problems:  # the pack cannot be read: there is nothing to compare
        return _write(args, report.to_text(), {"analysis": report.to_dict()}, EXIT_PROBLEMS)
    old = read_policy(args.against, on=on)
    population = read_population(args.population) if args.population is not None else None
    found = attrs.evolve(impact(read_policy(source, on=on), old, population), analysis=report)
    return _write(args, found.to_text(), found.to_dict(), EXIT_OK if report.ok else EXIT_PROBLEMS)


def _write(args: argparse.Namespace, text: str, data: dict[str, object], code: int) -> int:
    if args.format == "json":
        text = json.dumps(data, ensure_ascii=False, indent=2)
    sys.stdout.write(text + "\n")
    return code
