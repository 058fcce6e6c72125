"""``creditflow ingest``, ``feed`` and ``rates``: collection and disclosure (归集与双公示)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from creditflow.cli.common import EXIT_OK, EXIT_PROBLEMS, positive_int

__all__ = ["add_parser", "run_assess", "run_feed", "run_ingest", "run_rates"]

INGEST_HELP = "check licensing or penalty decisions against the catalogue and enter them"
INGEST_DESCRIPTION = """\
Read each FILE (CSV, JSON lines, or Parquet with pyarrow installed), check every row against
the catalogue of the pack in force on its decision date, and enter the valid rows into the
book: penalties as credit records of the severity the pack's rules give, licences as licence
cases; a row with published_on is disclosed on that date. Rows are keyed by their document
number: ingesting a file again enters nothing. Every problem is printed as
"FILE line N, FIELD: RULE: message"; --rejected appends the rejected rows as JSON lines for
`creditflow rates --rejected`. Exit 0 when every row was entered or already there, 1 when a
row was rejected. See docs/disclosure.md.
"""
FEED_HELP = "the 双公示 feed: licences and penalties published on a date (md, html, jsonl)"
FEED_DESCRIPTION = """\
List the licensing and penalty decisions published on --on (default today): disclosed by then,
a licence while in force, a penalty while its record is in publication (Order 36 windows).
Only the catalogue's published fields are shown; persons are masked, text escaped, and the
book's anchor printed. The book is opened read-only.
"""
RATES_HELP = "coverage, compliance, completeness and timeliness per reporting unit"
RATES_DESCRIPTION = """\
Compute the three rates (三率) and timeliness of --period (2026, 2026-Q3 or 2026-07) per
reporting unit, each as numerator/denominator with the rows that fail it: --population lists
the region's subjects (subject_id, optional unit), --rejected the rows refused at ingest.
Timeliness is judged on --on (default: the period's last day). The book is opened read-only.
Exit 0 when every rate with a denominator is 100 %, 1 otherwise.
"""

ASSESS_HELP = "self-assessment by the pack's indicator table (信用交通市), md or html"
ASSESS_DESCRIPTION = """\
Score the computable items of the assessment table of --policy (a pack with [assessment], such
as ziyang-transport) for --period from the book, the rates (--population, --rejected), the log
of credit checks (--checks, JSON lines with purpose, domain, on) and dated evidence (--evidence,
JSON lines with item, on, evidence, officer); list the attested items with their evidence. The
book is opened read-only. See docs/disclosure.md.
"""


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``ingest``, ``feed`` and ``rates`` commands to ``commands``."""
    ingest = commands.add_parser(
        "ingest", help=INGEST_HELP, description=INGEST_DESCRIPTION, parents=parents
    )
    _book(ingest)
    ingest.add_argument("--kind", required=True, choices=("licensing", "penalty"))
    ingest.add_argument("files", nargs="+", metavar="FILE")
    ingest.add_argument("--format", choices=("csv", "jsonl", "parquet"), default=None)
    ingest.add_argument("--rejected", metavar="FILE", help="append rejected rows (JSON lines)")
    ingest.add_argument(
        "--chunk", type=positive_int, default=None, metavar="N",
        help="enter rows in transactions of N (default: one per file)",
    )  # fmt: skip
    ingest.set_defaults(handler=run_ingest)
    feed = commands.add_parser("feed", help=FEED_HELP, description=FEED_DESCRIPTION,
                               parents=parents)  # fmt: skip
    _book(feed)
    feed.add_argument("--format", choices=("md", "html", "jsonl"), default="md")
    _output(feed)
    feed.set_defaults(handler=run_feed)
    rates = commands.add_parser("rates", help=RATES_HELP, description=RATES_DESCRIPTION,
                                parents=parents)  # fmt: skip
    _book(rates)
    rates.add_argument("--population", required=True, metavar="FILE")
    rates.add_argument("--period", required=True, metavar="PERIOD")
    rates.add_argument("--rejected", action="append", default=[], metavar="FILE")
    rates.add_argument("--format", choices=("md", "html", "json"), default="md")
    _output(rates)
    rates.set_defaults(handler=run_rates)
    assess = commands.add_parser("assess", help=ASSESS_HELP, description=ASSESS_DESCRIPTION,
                                 parents=parents)  # fmt: skip
    _book(assess)
    assess.add_argument("--period", required=True, metavar="PERIOD")
    assess.add_argument("--population", required=True, metavar="FILE")
    assess.add_argument("--rejected", action="append", default=[], metavar="FILE")
    assess.add_argument("--evidence", metavar="FILE", help="dated evidence (JSON lines)")
    assess.add_argument("--checks", metavar="FILE", help="the credit checks made (JSON lines)")
    assess.add_argument("--format", choices=("md", "html"), default="md")
    _output(assess)
    assess.set_defaults(handler=run_assess)


def _book(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--book", "--db", dest="book", required=True, metavar="FILE",
                        help="a SQLite credit book")  # fmt: skip


def _output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--out", metavar="FILE", help="write here instead of standard output")


def _write(args: argparse.Namespace, text: str) -> None:
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def run_ingest(args: argparse.Namespace) -> int:
    """Ingest every file; 0 if no row was rejected, 1 otherwise."""
    from creditflow.book import CreditBook
    from creditflow.disclosure import ingest

    rejected = 0
    with CreditBook.open(args.book, policy=getattr(args, "policy", None)) as book:
        for file in args.files:
            report = ingest(book, file, kind=args.kind, format=args.format,
                            on=getattr(args, "on", None), chunk=args.chunk)  # fmt: skip
            sys.stdout.write(
                f"{file}: {report.rows} rows, {report.entered} entered, {report.already} "
                f"already in the book, {report.disclosed} disclosed, "
                f"{len(report.rejected)} rejected\n"
            )
            for problem in report.problems:
                sys.stdout.write(f"  {problem}\n")
            if args.rejected:
                report.write_rejected(args.rejected)
            rejected += len(report.rejected)
    return EXIT_PROBLEMS if rejected else EXIT_OK


def run_feed(args: argparse.Namespace) -> int:
    """Print the feed."""
    from creditflow.book import CreditBook
    from creditflow.disclosure.feed import dual_publication_feed
    from creditflow.docs.disclosure_pages import feed_page, render

    on = getattr(args, "on", None) or dt.date.today()
    with CreditBook.open(args.book, policy=getattr(args, "policy", None), read_only=True) as book:
        feed = dual_publication_feed(book, on=on)
    text = feed.to_jsonl() if args.format == "jsonl" else render(
        feed_page(feed, args.lang), args.format, args.lang
    )  # fmt: skip
    _write(args, text)
    return EXIT_OK


def run_rates(args: argparse.Namespace) -> int:
    """Print the rates; 0 if every rate with a denominator is 100 %, 1 otherwise."""
    from creditflow.book import CreditBook
    from creditflow.disclosure import compute_rates, read_population_units, read_rejected
    from creditflow.docs.disclosure_pages import rates_html, rates_markdown

    population = read_population_units(args.population)
    rejected = [row for file in args.rejected for row in read_rejected(file)]
    with CreditBook.open(args.book, policy=getattr(args, "policy", None), read_only=True) as book:
        report = compute_rates(book, population, args.period, rejected=rejected,
                               on=getattr(args, "on", None))  # fmt: skip
    if args.format == "json":
        text = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "html":
        text = rates_html(report, args.lang)
    else:
        text = rates_markdown(report, args.lang)
    _write(args, text)
    short = any(r.value is not None and r.value < 1 for u in report.units for r in u.rates.values())
    return EXIT_PROBLEMS if short else EXIT_OK


def run_assess(args: argparse.Namespace) -> int:
    """Print the self-assessment report."""
    from creditflow.book import CreditBook
    from creditflow.disclosure import read_population_units, read_rejected
    from creditflow.disclosure.assessment import assess, read_credit_checks, read_evidence
    from creditflow.disclosure.periods import ReportingPeriod
    from creditflow.docs.disclosure_pages import assessment_page, render
    from creditflow.rules.loading import load_policy

    period = ReportingPeriod.parse(args.period)
    policy = load_policy(getattr(args, "policy", None), on=getattr(args, "on", None) or period.end)
    population = read_population_units(args.population)
    rejected = [row for file in args.rejected for row in read_rejected(file)]
    evidence = read_evidence(args.evidence) if args.evidence else []
    checks = read_credit_checks(args.checks) if args.checks else []
    with CreditBook.open(args.book, read_only=True) as book:  # the book's own pack by date
        report = assess(book, policy, period, population=population, rejected=rejected,
                        evidence=evidence, checks=checks)  # fmt: skip
    _write(args, render(assessment_page(report, args.lang), args.format, args.lang))
    return EXIT_OK
