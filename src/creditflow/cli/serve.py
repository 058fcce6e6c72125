"""``creditflow serve``: the library's calls as an HTTP service (see docs/service.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import attrs

from creditflow.cli.common import EXIT_OK, positive_int
from creditflow.errors import InvalidInput

__all__ = ["add_parser", "run"]

HELP = "serve the library's calls over HTTP (OpenAPI, bearer tokens, decision logs)"
DESCRIPTION = """\
Run the HTTP service on --host:--port (default 127.0.0.1:8000) over the book --book (a SQLite
file, or the URL of another store), with the tokens of --auth. Every check and decision is
logged as a JSON line to --decision-log (a file rotated by size, or - for standard output).
--new-token ACTOR --role ROLE prints a new token and the [[tokens]] entry to add to the auth
file, and serves nothing. Needs the serve extra: pip install 'creditflow[serve]'.
"""


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``serve`` command to the subparsers ``commands``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "serve", help=HELP, description=DESCRIPTION, parents=parents
    )
    parser.add_argument("--book", metavar="URL", help="the book: a SQLite file or a store URL")
    parser.add_argument("--auth", metavar="FILE", help="the auth file (TOML) of hashed tokens")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=positive_int, default=8000, help="port to listen on")
    parser.add_argument("--decision-log", metavar="FILE", help="decision log file, or -")
    parser.add_argument(
        "--log-max-bytes",
        type=positive_int,
        default=50_000_000,
        metavar="N",
        help="rotate the decision log past N bytes",
    )
    parser.add_argument(
        "--log-backups",
        type=positive_int,
        default=10,
        metavar="N",
        help="rotated decision logs kept",
    )
    parser.add_argument("--instance", default="", help="this instance's name in the logs")
    parser.add_argument(
        "--evaluations", metavar="FILE", help="annual evaluations (JSON lines) that checks read"
    )
    parser.add_argument(
        "--busy-timeout",
        type=_seconds,
        metavar="SECONDS",
        help="how long a write waits for another writer's lock on the book before it "
        "answers 503 (default 2)",
    )
    parser.add_argument("--new-token", metavar="ACTOR", help="print a new token for ACTOR")
    parser.add_argument("--role", action="append", default=[], help="a role of --new-token")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted, or print a new token."""
    from creditflow.service import ServiceSettings, hash_token, new_token, serve

    if args.new_token is not None:
        if not args.role:
            raise InvalidInput("--new-token needs at least one --role")
        token = new_token()
        roles = ", ".join(f'"{role}"' for role in args.role)
        sys.stdout.write(
            f'token: {token}\n\n[[tokens]]\nactor = "{args.new_token}"\nroles = [{roles}]\n'
            f'sha256 = "{hash_token(token)}"\n'
        )
        return EXIT_OK
    if args.book is None or args.auth is None:
        raise InvalidInput("serve needs --book and --auth")
    settings = ServiceSettings(
        book=args.book,
        auth=args.auth,
        policy=getattr(args, "policy", None),
        decision_log=args.decision_log,
        log_max_bytes=args.log_max_bytes,
        log_backups=args.log_backups,
        instance=args.instance,
        evaluations=args.evaluations,
    )
    if args.busy_timeout is not None:
        settings = attrs.evolve(settings, busy_timeout=args.busy_timeout)
    try:
        serve(settings, host=args.host, port=args.port)
    except ModuleNotFoundError as error:
        if "creditflow[serve]" not in str(error):
            raise
        raise InvalidInput(str(error)) from None  # one line on stderr, exit 2
    return EXIT_OK


def _seconds(text: str) -> float:
    """An argparse type: a number of seconds in (0, 600]."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 600:  # NaN fails too
        raise argparse.ArgumentTypeError(f"must be seconds in (0, 600], got {text!r}")
    return value
