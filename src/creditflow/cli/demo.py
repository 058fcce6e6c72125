"""``creditflow demo``: a year in a transport bureau on a synthetic population (演示)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from creditflow.cli.common import EXIT_OK, EXIT_PROBLEMS
from creditflow.errors import InvalidInput

__all__ = ["add_parser", "run", "run_population"]

HELP = "simulate a year of credit supervision on a new SQLite book and report it"
DESCRIPTION = """\
Build a synthetic population in the five business domains, run 2026 day by day on the
working-day calendar (licensing, penalties, listings, objections, repair, quarterly
inspection plans, the year-end evaluation) on a new SQLite credit book, print a report and
write the documentation site, the public notices and the plans to the output folder. The
demo never appends to a book: an existing --db file is refused unless --force, which
replaces it. The same --seed gives the same book (the same chain head). Exit code 1 if an
invariant of the report fails. The policy is national-transport as in force at the end of
2026: --policy and --on are refused (exit 2) rather than silently ignored.
"""


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``demo`` command to the subparsers ``commands``."""
    from creditflow.demo import DEFAULT_BOOK

    parser: argparse.ArgumentParser = commands.add_parser(
        "demo", help=HELP, description=DESCRIPTION, parents=parents
    )
    parser.add_argument(
        "--subjects",
        type=int,
        default=10_000,
        metavar="N",
        help="subjects in the population (default: 10000)",
    )
    parser.add_argument("--seed", type=int, default=2026, metavar="S", help="default: 2026")
    parser.add_argument(
        "--db", default=DEFAULT_BOOK, metavar="FILE", help=f"the new book (default: {DEFAULT_BOOK})"
    )
    parser.add_argument(
        "-o",
        "--output",
        default="creditflow-demo",
        metavar="DIR",
        help="folder for the site, notices and plans (default: creditflow-demo)",
    )
    parser.add_argument("--force", action="store_true", help="replace an existing --db file")
    parser.add_argument(
        "--progress",
        action="store_true",
        help="show the progress bar even when stderr is not a terminal",
    )
    parser.set_defaults(handler=run)
    what = parser.add_subparsers(title="what else", dest="demo_what", metavar="population")
    files = what.add_parser(
        "population",
        help=POPULATION_HELP,
        description=POPULATION_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    files.add_argument(
        "--subjects", type=int, required=True, metavar="N", help="subjects in the population"
    )
    files.add_argument("--seed", type=int, default=2026, metavar="S", help="default: 2026")
    files.add_argument(
        "--rows-per-file",
        type=int,
        default=100_000,
        metavar="R",
        help="rows in each file (default: 100000)",
    )
    files.add_argument(
        "--format", choices=("csv", "parquet"), default="csv", help="file format (default: csv)"
    )
    files.add_argument(
        "--inspectors",
        type=int,
        default=None,
        metavar="K",
        help="officers in inspectors.csv (default: one per 200 subjects, at least 1000)",
    )
    files.add_argument(
        "--grades", action="store_true", help="also write rows to grade under DIR/grades"
    )
    files.add_argument("-o", "--output", required=True, metavar="DIR", help="where to write")
    files.set_defaults(handler=run_population)


POPULATION_HELP = "write a synthetic population as partitioned files, for plans at scale"
POPULATION_DESCRIPTION = """\
Write a synthetic population of N subjects (85 % enterprises, 10 % persons, 5 % vehicles in
five domains and 100 counties) as DIR/population/part-00000.csv (or .parquet) and on, and an
inspector directory DIR/inspectors.csv (with --grades, rows to grade under DIR/grades). The
same --seed gives the same files. Draw a plan
from them with: creditflow plan --population DIR/population --inspectors DIR/inspectors.csv
(add --workers N to draw on a local Dask cluster). See docs/scale.md.
"""


def run_population(args: argparse.Namespace) -> int:
    """Write the population files and say where."""
    from creditflow.demo.files import write_grade_files, write_population_files

    paths = write_population_files(
        args.output,
        args.subjects,
        seed=args.seed,
        rows_per_file=args.rows_per_file,
        format=args.format,
        inspectors=args.inspectors,
    )
    sys.stdout.write(
        f"wrote {args.subjects:,} subjects in {len(paths) - 1} files under "
        f"{Path(args.output) / 'population'} and {paths[-1]}\n"
    )
    if args.grades:
        grades = write_grade_files(
            args.output,
            args.subjects,
            seed=args.seed,
            rows_per_file=args.rows_per_file,
            format=args.format,
        )
        sys.stdout.write(f"wrote rows to grade in {len(grades)} files under {grades[0].parent}\n")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Run the demo, print its report; 0 if every invariant holds, else 1."""
    from creditflow.demo import DemoSettings, run_demo
    from creditflow.demo.progress import ProgressBar

    given = [o for o in ("policy", "on") if getattr(args, o, None) is not None]
    if given:
        raise InvalidInput(
            f"demo: {', '.join('--' + o for o in given)} cannot be used: the demo runs "
            "national-transport as in force at the end of 2026 (see docs/cli.md)"
        )

    settings = DemoSettings(
        subjects=args.subjects,
        seed=args.seed,
        db=Path(args.db),
        out=Path(args.output),
        force=args.force,
    )
    show = args.progress or sys.stderr.isatty()
    report = run_demo(settings, ProgressBar(sys.stderr, 2026) if show else None)
    sys.stdout.write(report.to_text() + "\n")
    sys.stdout.write(f"\nBook: {settings.db}   output: {settings.out}/\n")
    return EXIT_OK if report.ok else EXIT_PROBLEMS
