"""The ``creditflow`` program: the parser, dispatch to a command, and errors as exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from creditflow import __version__
from creditflow.cli import (
    book,
    check,
    decide,
    demo,
    disclosure,
    docs,
    plan,
    policies,
    serve,
    verify,
)
from creditflow.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    parse_day,
)
from creditflow.errors import CreditflowError

__all__ = ["build_parser", "main"]

PROG = "creditflow"
DESCRIPTION = "Credit-based supervision (信用监管) for transport administration."
EPILOG = """\
exit codes:
  0    success; for check, the pack is sound
  1    check found problems in the pack (an invalid or unreadable file included);
       plan --verify refuted the plan; verify found a broken link, projection or
       anchor; demo failed an invariant; book copy left a destination that does not
       verify with the source's head; ingest rejected a row; rates found a rate below
       100 %
  2    error: bad usage, a bad input line, an unknown pack or name, an unsound pack
  130  interrupted (Ctrl-C)
  141  standard output closed early (e.g. piped into head); nothing is reported

An error is one line on stderr, "creditflow: error: <message>", except that an invalid
policy pack lists its problems on the lines after it. See docs/cli.md.
"""

Handler = Callable[[argparse.Namespace], int]


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (``sys.argv[1:]`` if None); return the exit code."""
    try:
        return _dispatch(argv)
    except SystemExit as stop:  # argparse: --help, --version, usage errors
        if stop.code is None:
            return EXIT_OK
        return stop.code if isinstance(stop.code, int) else EXIT_ERROR
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    except (CreditflowError, OSError) as error:
        _error(str(error))
        return EXIT_ERROR
    except RecursionError as error:  # a safety net: the limits are checked before parsing
        _error(f"the input is nested too deeply to read ({error}); see the limits in docs/cli.md")
        return EXIT_ERROR
    except UnicodeEncodeError as error:
        _error(
            f"cannot write {error.object[error.start : error.end]!r} in {error.encoding}; "
            "set PYTHONIOENCODING=utf-8"
        )
        return EXIT_ERROR


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``creditflow`` and its commands."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _add_global_options(parser, default=None)
    per_command = argparse.ArgumentParser(add_help=False)
    _add_global_options(per_command, default=argparse.SUPPRESS)
    commands = parser.add_subparsers(title="commands", dest="command", required=True)
    for command in (decide, check, policies, plan, docs, demo, verify, book, serve, disclosure):
        command.add_parser(commands, [per_command])
    return parser


def _add_global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """--policy and --on, accepted before or after the command name."""
    group = parser.add_argument_group("policy options (before or after the command)")
    group.add_argument(
        "--policy",
        metavar="SOURCE",
        default=default,
        help="pack name, name@version or path to a .toml file (default: the default pack)",
    )
    group.add_argument(
        "--on",
        metavar="YYYY-MM-DD",
        type=parse_day,
        default=default,
        help=(
            "date that picks the version in force (default: today); a pack given with a "
            "version or as a file must be in force on it (without --on: any date)"
        ),
    )


def _dispatch(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    code = handler(args)
    sys.stdout.flush()  # a closed pipe shows here, inside the error handling
    return code


def _error(message: str) -> None:
    sys.stderr.write(f"{PROG}: error: {message}\n")
    sys.stderr.flush()


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so that Python's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
