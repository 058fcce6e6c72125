"""``creditflow decide``: decisions for facts given as options or as JSON lines on stdin."""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from creditflow.cli.common import EXIT_OK, LineError, engine_for, positive_int
from creditflow.cli.render import DecisionWriter, JsonLinesWriter, TableWriter
from creditflow.cli.requests import Request, read_requests
from creditflow.core.facts import Facts
from creditflow.core.labels import Language
from creditflow.errors import CreditflowError
from creditflow.rules.engine import Engine

__all__ = ["CHUNK_SIZE", "add_parser", "decide_stream", "run"]

CHUNK_SIZE = 10_000
"""Lines read, decided and written at a time: memory stays bounded whatever the input size."""

HELP = "decide graded supervision for facts (options, or JSON lines on stdin)"
DESCRIPTION = """\
Decide the graded supervision (分级分类监管) of subjects.

With --domain and --grade, decide one subject. Without --domain, read JSON lines on stdin,
one object per line: {"domain": ..., "grade": ..., "lists": [...], "flags": [...]}; lists,
flags and an "id" (echoed back) are optional; blank lines are skipped. Input is read,
decided and written in chunks, so any number of lines runs in bounded memory.

At the first bad line (invalid JSON, a missing key, an unknown name), the decisions of the
lines before it are written, one error naming the line goes to stderr and the exit code is 2.

With --trace, each decision comes with its trace: every rule that matched, the conditions
that held, and why the winner won under the pack's hit policy (a "trace" object in JSON
lines; indented lines after the row in a table).
"""


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``decide`` command to the subparsers ``commands``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "decide",
        help=HELP,
        description=DESCRIPTION,
        parents=parents,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    facts = parser.add_argument_group("facts of one subject (instead of stdin)")
    facts.add_argument("--domain", metavar="NAME", help="business domain, e.g. road_transport")
    facts.add_argument("--grade", metavar="NAME", help="credit grade, e.g. B")
    facts.add_argument(
        "--list",
        dest="lists",
        metavar="KIND",
        action="append",
        default=[],
        help="active list kind, e.g. serious (repeat for several)",
    )
    facts.add_argument(
        "--flag",
        dest="flags",
        metavar="NAME",
        action="append",
        default=[],
        help="flag, e.g. commitment_breached (repeat for several)",
    )
    parser.add_argument(
        "--format",
        choices=("jsonl", "table"),
        default="jsonl",
        help="output: JSON lines (default) or an aligned table",
    )
    parser.add_argument(
        "--explain",
        choices=("zh", "en"),
        metavar="{zh,en}",
        help="add an explanation of each decision in Chinese or English",
    )
    parser.add_argument(
        "--trace",
        action="store_true",
        help="add the trace of each decision: every rule that matched, the conditions that "
        "held, and why the winner won under the hit policy",
    )
    parser.add_argument(
        "--chunk-size",
        type=positive_int,
        default=CHUNK_SIZE,
        metavar="N",
        help=f"stdin lines decided at a time (default {CHUNK_SIZE})",
    )
    parser.set_defaults(handler=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    """Decide the facts of the options, or of every line on stdin; write the decisions."""
    _check_usage(args)
    engine = engine_for(args)
    writer = _writer(args, engine)
    if args.domain is not None:
        facts = Facts(domain=args.domain, grade=args.grade, lists=args.lists, flags=args.flags)
        writer.write([Request(0, facts)], [engine.decide(facts)])
    else:
        stdin = sys.stdin
        decide_stream(engine, getattr(stdin, "buffer", stdin), writer, args.chunk_size)
    return EXIT_OK


def decide_stream(
    engine: Engine, lines: Iterable[bytes | str], writer: DecisionWriter, chunk_size: int
) -> None:
    """Read, decide and write ``lines`` chunk by chunk; raise LineError at the first bad line.

    Every decision of the lines before the bad one is written first.
    """
    requests = read_requests(lines)
    while True:
        chunk, error = _take(requests, chunk_size)
        _decide_chunk(engine, chunk, writer)
        if error is not None:
            raise error
        if not chunk:
            return


def _check_usage(args: argparse.Namespace) -> None:
    parser: argparse.ArgumentParser = args.parser
    if args.domain is None and (args.grade is not None or args.lists or args.flags):
        parser.error("--grade, --list and --flag need --domain (or give facts on stdin)")
    if args.domain is not None and args.grade is None:
        parser.error("--domain needs --grade")
    if args.domain is None and sys.stdin.isatty():
        parser.error("no facts: give --domain and --grade, or pipe JSON lines on stdin")


def _writer(args: argparse.Namespace, engine: Engine) -> DecisionWriter:
    explain: Language | None = args.explain
    trace = engine.trace if args.trace else None
    if args.format == "table":
        return TableWriter(sys.stdout, engine.table.decisions.values(), explain, trace)
    return JsonLinesWriter(sys.stdout, explain, trace)


def _take(requests: Iterator[Request], size: int) -> tuple[list[Request], LineError | None]:
    """Up to ``size`` requests, and the error of a bad line that ended the chunk early."""
    chunk: list[Request] = []
    try:
        for request in itertools.islice(requests, size):
            chunk.append(request)
    except LineError as error:
        return chunk, error
    return chunk, None


def _decide_chunk(engine: Engine, chunk: list[Request], writer: DecisionWriter) -> None:
    """Decide and write a chunk; for a line the engine cannot decide, write those before it."""
    try:
        decisions = engine.decide_many([r.facts for r in chunk])
    except CreditflowError:
        decisions = []
        for request in chunk:
            try:
                decisions.append(engine.decide(request.facts))
            except CreditflowError as error:
                writer.write(chunk[: len(decisions)], decisions)
                raise LineError(request.line, str(error)) from None
    writer.write(chunk, decisions)
