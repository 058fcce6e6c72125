"""``creditflow verify``: check a credit book (信用档案): its hash chain, its projections, and
the anchors published from it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from creditflow.cli.common import EXIT_OK, EXIT_PROBLEMS

__all__ = ["add_parser", "run"]

HELP = "verify a credit book (SQLite or PostgreSQL): hash chain, projections, published anchors"
DESCRIPTION = """\
Check the book without writing to it (it is opened read-only; a missing, empty or foreign file
is an error, exit 2). Every event's hash and link is recomputed, every case projection is
compared with the digest its last event recorded, and each --anchor SEQ:HASH (a head printed
on a notice or report made from the book) must still be in the chain: that proves nothing up
to it was removed or rewritten. --deep also replays every event under the policy (--policy,
default: the default pack in force on each event's date) and compares each case with its
projection field by field. Exit code 0 if all holds, 1 with the first problem printed.
"""


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``verify`` command to the subparsers ``commands``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "verify", help=HELP, description=DESCRIPTION, parents=parents
    )
    parser.add_argument(
        "--db", required=True, metavar="BOOK", help="a SQLite file or a PostgreSQL URL"
    )
    parser.add_argument(
        "--anchor",
        action="append",
        default=[],
        metavar="SEQ:HASH",
        help="a head published earlier, which must still be in the chain (repeatable)",
    )
    parser.add_argument(
        "--deep",
        action="store_true",
        help="also replay every event and compare each case with its projection",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Verify the book; 0 if everything holds, 1 if not."""
    from creditflow.book.anchors import Anchor
    from creditflow.book.book import CreditBook

    anchors = [Anchor.parse(text) for text in args.anchor]  # bad text: exit 2 before reading
    policy = getattr(args, "policy", None)
    with CreditBook.open(args.db, policy=policy, read_only=True) as book:
        report = book.verify(anchors=anchors, deep=args.deep)
    if report.ok:
        checked = f"{report.events} events, {report.projections} projections"
        if report.anchors:
            checked += f", {report.anchors} anchor{'s' if report.anchors > 1 else ''}"
        replayed = ", replayed" if args.deep else ""
        sys.stdout.write(f"ok: {checked}{replayed}; head {report.events}:{report.head}\n")
        return EXIT_OK
    if report.case_id is not None:
        sys.stdout.write(f"broken at case {report.case_id}: {report.reason}\n")
    else:
        sys.stdout.write(f"broken at seq {report.broken_at}: {report.reason}\n")
    return EXIT_PROBLEMS
