"""``creditflow check``: analyse a policy pack and report its problems."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from creditflow.cli import impact
from creditflow.cli.common import EXIT_OK, EXIT_PROBLEMS
from creditflow.rules.loading import check_policy

__all__ = ["add_parser", "run"]

HELP = "check a policy pack: schema, settings, workflows, gaps, overlaps, grade order, directions"
DESCRIPTION = """\
Read and validate a policy pack and run the one soundness check that load_policy, the book and
assert_policy_sound run: schema problems (with the key path at fault), periods that are not
positive, blank bases, workflow events no role may fire, gaps, unresolved overlaps, order
violations between grades and direction violations of lists and flags; rules that never decide
anything are listed as warnings. Exit code 0 if the pack is sound, 1 if not.

With --against OLD, also the changes from OLD, setting by setting; with --population FILE
too, how many subjects of each domain and grade get another ratio, other inspections or other
measures, and the subjects drawn and inspections of the year's plan under each pack.
"""


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``check`` command to the subparsers ``commands``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "check", help=HELP, description=DESCRIPTION, parents=parents
    )
    parser.add_argument(
        "pack",
        nargs="?",
        metavar="PACK",
        help="name, name@version or path to a .toml file (default: --policy, else default pack)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="output: a report for people (default) or JSON",
    )
    impact.add_options(parser)
    parser.set_defaults(handler=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    """Print the analysis report of the pack; 0 if it is sound, 1 if it has problems."""
    source: str | None = args.pack if args.pack is not None else args.policy
    on: dt.date | None = args.on
    if args.against is not None:
        return impact.run_impact(args, source, on)
    if args.population is not None:
        args.parser.error("--population needs --against OLD")
    report = check_policy(source, on=on)
    if args.format == "json":
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    else:
        text = report.to_text()
    sys.stdout.write(text + "\n")
    return EXIT_OK if report.ok else EXIT_PROBLEMS
