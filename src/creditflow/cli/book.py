"""``creditflow book``: create or migrate a book's schema, and copy a book between stores."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from creditflow.cli.common import EXIT_OK, EXIT_PROBLEMS, positive_int

__all__ = ["add_parser", "run_copy", "run_migrate"]

HELP = "manage credit books: migrate a schema, copy a book between SQLite and PostgreSQL"
BOOK = "a SQLite file or a PostgreSQL URL (postgresql://user@host/db)"
MIGRATE = """\
Create the book's schema in BOOK, or apply the forward migrations it lacks, and print the
schema version before and after. BOOK must exist: a SQLite file (an empty one gets the schema;
a missing one is an error, exit 2, not a new book) or a PostgreSQL database. On PostgreSQL, run
it as a role that may create tables (the schema's owner) before the application's servers,
whose role then needs only the grants in docs/postgres.md. Safe to run again, and from several
hosts at once.
"""
COPY = """\
Copy the book SRC into DST (SQLite -> PostgreSQL, PostgreSQL -> SQLite, ...) event by event
with the same hashes: each event's hash is recomputed and its link checked as it is written,
a chunk per transaction; then the projections; then DST is verified and both heads printed.
Interrupted, run it again: it resumes after DST's head. DST must be empty or a partial copy of
SRC. Stop the writers of SRC first. Exit 0 if DST verifies with SRC's head, 1 if not.
"""


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``book`` command and its ``migrate`` and ``copy`` subcommands."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "book", help=HELP, description=HELP, parents=parents
    )
    actions = parser.add_subparsers(title="book commands", dest="book_command", required=True)
    migrate = actions.add_parser("migrate", help="create or migrate a book's schema",
                                 description=MIGRATE, parents=parents)  # fmt: skip
    migrate.add_argument("book", metavar="BOOK", help=BOOK)
    migrate.set_defaults(handler=run_migrate)
    copy = actions.add_parser("copy", help="copy a book between stores, hashes kept",
                              description=COPY, parents=parents)  # fmt: skip
    copy.add_argument("source", metavar="SRC", help=BOOK)
    copy.add_argument("destination", metavar="DST", help=BOOK + "; created if absent")
    copy.add_argument("--chunk", type=positive_int, default=1000, metavar="N",
                      help="events per transaction (default: 1000)")  # fmt: skip
    copy.set_defaults(handler=run_copy)


def run_migrate(args: argparse.Namespace) -> int:
    """Migrate the book's schema; print the versions."""
    from creditflow.book.stores import is_postgres_url

    if is_postgres_url(args.book):
        from creditflow.book.postgres_store import migrate

        before, after = migrate(args.book)
    else:
        from creditflow.book.sqlite_store import migrate as migrate_file

        before, after = migrate_file(args.book)
    change = f"{before} -> {after}" if before != after else f"{after} (already current)"
    sys.stdout.write(f"schema version {change}\n")
    return EXIT_OK


def run_copy(args: argparse.Namespace) -> int:
    """Copy SRC into DST and verify it; 0 if it verifies with SRC's head."""
    from creditflow.book.copying import adopting, copy_book
    from creditflow.book.stores import open_store

    def progress(done: int, last: int) -> None:
        sys.stderr.write(f"copied up to event {done} of {last}\n")
        sys.stderr.flush()

    source = open_store(args.source, read_only=True)
    try:
        destination = adopting(open_store(args.destination))
        try:
            report = copy_book(source, destination, chunk=args.chunk, progress=progress)
        finally:
            destination.close()
    finally:
        source.close()
    resumed = f" (resumed after event {report.resumed_after})" if report.resumed_after else ""
    sys.stdout.write(
        f"copied {report.copied} events{resumed}\n"
        f"source head      {report.source_head[0]}:{report.source_head[1]}\n"
        f"destination head {report.destination_head[0]}:{report.destination_head[1]}\n"
    )
    verified = report.verified
    if report.ok:
        sys.stdout.write(f"ok: {verified.events} events, {verified.projections} projections\n")
        return EXIT_OK
    problem = verified.reason or "the heads differ: the source changed during the copy"
    sys.stdout.write(f"broken: {problem}\n")
    return EXIT_PROBLEMS
