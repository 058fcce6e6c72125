"""``creditflow verify``: check the hash chain of a credit book (信用档案)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from creditflow.cli.common import EXIT_OK, EXIT_PROBLEMS
from creditflow.errors import InvalidInput

__all__ = ["add_parser", "run"]

HELP = "verify the hash chain of a SQLite credit book"
DESCRIPTION = """\
Recompute the hash chain of every event of the book and compare. Exit code 0 if the chain
holds (the number of events and the head hash are printed), 1 if a link is broken (its seq
and the reason are printed).
"""


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``verify`` command to the subparsers ``commands``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "verify", help=HELP, description=DESCRIPTION, parents=parents
    )
    parser.add_argument("--db", required=True, metavar="FILE", help="a SQLite credit book")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Verify the book; 0 if the chain holds, 1 if not."""
    from creditflow.book.book import CreditBook

    if not Path(args.db).is_file():
        raise InvalidInput(f"--db {args.db!r}: no such file")
    with CreditBook.open(args.db) as book:
        report = book.verify()
    if report.ok:
        sys.stdout.write(f"ok: {report.events} events, head {report.head}\n")
        return EXIT_OK
    sys.stdout.write(f"broken at seq {report.broken_at}: {report.reason}\n")
    return EXIT_PROBLEMS
