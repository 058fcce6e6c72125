"""``creditflow docs``: write the policy handbook (and public notices) as Markdown or HTML."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from creditflow._repr import shown
from creditflow.book.book import CreditBook
from creditflow.cli.common import EXIT_OK
from creditflow.docs.site import site_pages, write_site
from creditflow.errors import InvalidInput
from creditflow.rules.loading import load_policy

__all__ = ["add_parser", "run"]

HELP = "write the policy handbook and public notices as Markdown or HTML"
DESCRIPTION = """\
Write the handbook of the policy in force on --on (default: today; a pack given with a version
or as a file is used whatever the date unless --on is given): domains and grade scales,
the decision table, lists, publication windows, repair, commitments and the workflows with
their state diagrams. --diff-from adds a page of changes from another version; --book adds the
public notices of a book on --on, persons masked and expired records left out.
"""


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``docs`` command to the subparsers ``commands``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "docs", help=HELP, description=DESCRIPTION, parents=parents
    )
    parser.add_argument("--format", choices=("md", "html"), default="md", help="default: md")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="default: zh")
    parser.add_argument("-o", "--output", metavar="DIR", required=True, help="directory to write")
    parser.add_argument("--book", metavar="FILE", help="a SQLite credit book: add its notices")
    parser.add_argument(
        "--diff-from", metavar="SOURCE", help="another pack version: add a page of changes"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the pages and print the path of every file written."""
    policy = load_policy(args.policy, on=args.on)
    on: dt.date = args.on if args.on is not None else dt.date.today()
    previous = load_policy(args.diff_from) if args.diff_from else None
    book = _open_book(args.book, args.policy) if args.book else None
    try:
        pages = site_pages(policy, args.lang, previous=previous, book=book, on=on)
    finally:
        if book is not None:
            book.close()
    for path in write_site(pages, Path(args.output), args.format, args.lang):
        sys.stdout.write(f"{path}\n")
    return EXIT_OK


def _open_book(file: str, policy: str | None) -> CreditBook:
    """An existing book file, opened read-only (``docs`` never creates or changes one)."""
    if not Path(file).is_file():
        raise InvalidInput(f"--book {shown(file)}: no such file")
    return CreditBook.open(file, policy=policy, read_only=True)
