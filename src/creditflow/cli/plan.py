"""``creditflow plan``: draw a double-random inspection plan (双随机、一公开), or verify one."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar, cast

from creditflow.cli.common import EXIT_OK, EXIT_PROBLEMS, engine_for
from creditflow.errors import InvalidInput
from creditflow.supervision import (
    InspectionPlan,
    draw_plan,
    read_inspectors,
    read_partitions,
    read_population,
    verify_plan,
    write_plan,
)
from creditflow.supervision.exports import PLAN_FILES, load_plan_json

__all__ = ["PartsProgress", "Progress", "add_parser", "run"]

HELP = "draw a double-random inspection plan from a population and an inspector directory"
DESCRIPTION = """\
Draw the inspection plan (双随机、一公开) of a year: the subjects of the population file drawn
per stratum with the sampling ratio the policy decides for each, and for each inspection the
inspectors drawn from the directory, never one who must withdraw (回避). Writes plan.json
(with its digest), plan.csv and notice.md (persons masked) into the output directory; a
folder that already holds a plan is refused unless --force (a published plan is not
replaced by accident).

With --verify PLAN.json, draw the plan again from its seed and the same files and compare:
exit 0 if it is confirmed, 1 with the first difference if not.

Files are CSV, JSON lines or Parquet (told by the suffix .csv, .jsonl, .ndjson, .parquet);
the columns are in docs/inspection-plans.md. --population may be a directory of such files
(partitions, read in the order of their names). With --workers N (a local Dask cluster of N
processes) or --scheduler tcp://host:8786 (a running cluster, whose workers must see the
files) the partitions are read on the cluster: the plan is the same, byte for byte (the
dask extra: pip install 'creditflow[dask]'; see docs/scale.md).
"""
_T = TypeVar("_T")


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``plan`` command to the subparsers ``commands``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "plan",
        help=HELP,
        description=DESCRIPTION,
        parents=parents,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--population",
        metavar="FILE",
        required=True,
        type=Path,
        help="the subject directory (检查对象名录库)",
    )
    parser.add_argument(
        "--inspectors",
        metavar="FILE",
        required=True,
        type=Path,
        help="the inspector directory (执法检查人员名录库)",
    )
    parser.add_argument("--seed", metavar="S", help="the published random seed")
    parser.add_argument("--period", metavar="YEAR", help="the year of the plan, e.g. 2026")
    parser.add_argument("--quarters", action="store_true", help="spread the plan on 4 quarters")
    parser.add_argument(
        "--accept-over-cap",
        action="store_true",
        help="draw a plan above the pack's overall cap and record it",
    )
    parser.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of notice.md (default zh)"
    )
    parser.add_argument("-o", "--output", metavar="DIR", type=Path, help="where to write")
    parser.add_argument(
        "--force", action="store_true", help="replace a plan already written in the -o folder"
    )
    parser.add_argument("--verify", metavar="PLAN", type=Path, help="verify a plan.json instead")
    parser.add_argument(
        "--progress",
        action="store_true",
        help="show progress on stderr even when it is not a terminal",
    )
    cluster = parser.add_mutually_exclusive_group()
    cluster.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="draw on a new local Dask cluster of N worker processes",
    )
    cluster.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="draw on the Dask cluster of this scheduler, e.g. tcp://host:8786",
    )
    parser.set_defaults(handler=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    """Draw and write the plan (or verify one) and print a short summary."""
    if args.verify is not None:
        return _verify(args)
    parser: argparse.ArgumentParser = args.parser
    missing = [
        o
        for o, v in (("--seed", args.seed), ("--period", args.period), ("-o", args.output))
        if v is None
    ]
    if missing:
        parser.error(f"drawing a plan needs {', '.join(missing)}")
    _refuse_published(args.output, args.force)
    engine = engine_for(args)
    shown = args.progress or sys.stderr.isatty()
    options = {
        "engine": engine,
        "period": args.period,
        "seed": args.seed,
        "inspectors": read_inspectors(args.inspectors),
        "quarters": args.quarters,
        "allow_over_cap": args.accept_over_cap,
    }
    if _on_cluster(args):
        from creditflow.scale import draw_plan as draw_on_dask
        from creditflow.scale import local_client

        with local_client(args.workers, args.scheduler) as client:
            parts = PartsProgress(args.population, sys.stderr, shown)
            plan = draw_on_dask(args.population, client=client, progress=parts, **options)
    elif args.population.is_dir():
        plan = draw_plan(read_partitions(args.population), **options)
    else:
        progress = Progress(args.population, sys.stderr, shown)
        with progress:
            plan = draw_plan(read_population(progress.stream()), **options)
    paths = write_plan(plan, args.output, policy=engine.policy, lang=args.lang)
    sys.stdout.write(_summary(plan) + f"\nwrote {', '.join(str(p) for p in paths)}\n")
    return EXIT_OK


def _refuse_published(folder: Path, force: bool) -> None:
    """A published plan is not overwritten by accident: its files are refused unless --force."""
    found = [f for f in PLAN_FILES if (folder / f).exists()]
    if found and not force:
        raise InvalidInput(
            f"{folder} already holds a plan ({', '.join(found)}): a published plan is not "
            "replaced; choose another -o folder or use --force to replace it"
        )


def _summary(plan: InspectionPlan) -> str:
    periods = ", ".join(plan.periods)
    notes = "".join(f"\nnote: {note}" for note in plan.notes)
    return (
        f"plan {periods} under {plan.policy_key}, seed {plan.seed!r}\n"
        f"{plan.drawn:,} of {plan.population_size:,} subjects drawn in {len(plan.strata)} strata, "
        f"{len(plan.inspections):,} inspections, "
        f"{plan.settings.inspectors_per_inspection} inspectors each\n"
        f"digest {plan.digest}{notes}"
    )


def _verify(args: argparse.Namespace) -> int:
    data = load_plan_json(args.verify.read_bytes(), str(args.verify))
    plan = InspectionPlan.from_data(data)
    if data.get("digest") != plan.digest:
        sys.stdout.write(
            f"refuted: the digest stated in {args.verify} is not the digest of its content "
            f"({plan.digest}): the plan was altered after it was drawn\n"
        )
        return EXIT_PROBLEMS
    engine = engine_for(args) if args.policy is not None else None
    inspectors = read_inspectors(args.inspectors)
    if _on_cluster(args):
        from creditflow.scale import local_client
        from creditflow.scale import verify_plan as verify_on_dask

        with local_client(args.workers, args.scheduler) as client:
            parts = PartsProgress(args.population, sys.stderr, args.progress or sys.stderr.isatty())
            result = verify_on_dask(
                plan, args.population, inspectors, engine=engine, client=client, progress=parts
            )
    else:
        population = (
            read_partitions(args.population)
            if args.population.is_dir()
            else read_population(args.population)
        )
        result = verify_plan(plan, population, inspectors, engine=engine)
    if result:
        sys.stdout.write(f"confirmed: {args.verify} is the plan the seed draws ({plan.digest})\n")
        return EXIT_OK
    sys.stdout.write(f"refuted: {result.difference}\n")
    return EXIT_PROBLEMS


class Progress:
    """Lines read, and the share of the file, on one self-rewriting line of stderr.

    Silent unless ``shown``: by default only when stderr is a terminal. The share is the
    file's bytes read so far, counted under the text layer; the lines are counted as the
    reader takes them, so that the population is still read as a file, at full speed.
    """

    EVERY = 50_000
    """Lines between two updates."""

    def __init__(self, path: Path, out: IO[str], shown: bool) -> None:
        self._path = path
        self._out = out
        self._shown = shown
        self._size = 0
        self._raw: IO[bytes] | None = None

    def stream(self) -> IO[str]:
        """The file, opened for reading as UTF-8 text (a byte order mark is skipped); its lines
        counted on stderr if shown."""
        self._raw = self._path.open("rb")
        self._size = max(Path(self._path).stat().st_size, 1)
        text = io.TextIOWrapper(self._raw, encoding="utf-8-sig", newline="")
        if not self._shown:
            return text
        return cast(IO[str], _Counted(text, self))

    def count(self, rows: Iterable[_T]) -> Iterator[_T]:
        """``rows`` unchanged, with an update every :attr:`EVERY` rows."""
        if not self._shown:
            yield from rows
            return
        for number, row in enumerate(rows, start=1):
            if number % self.EVERY == 0:
                self._show(number)
            yield row
        self._out.write("\n")

    def _show(self, count: int, what: str = "rows") -> None:
        done = self._raw.tell() / self._size if self._raw is not None else 0.0
        bar = "#" * int(done * 30)
        self._out.write(f"\rreading {self._path.name} [{bar:<30}] {done:4.0%} {count:,} {what}")
        self._out.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._raw is not None:
            self._raw.close()


def _on_cluster(args: argparse.Namespace) -> bool:
    return args.workers is not None or args.scheduler is not None


class PartsProgress:
    """The partitions scanned on a cluster, and the rows read, on the line :class:`Progress`
    draws for one file (silent unless ``shown``)."""

    def __init__(self, path: Path, out: IO[str], shown: bool) -> None:
        self._name = path.name
        self._out = out
        self._shown = shown

    def __call__(self, done: int, total: int, rows: int) -> None:
        if not self._shown:
            return
        share = done / max(total, 1)
        bar = "#" * int(share * 30)
        self._out.write(f"\rreading {self._name} [{bar:<30}] {share:4.0%} {rows:,} rows")
        if done == total:
            self._out.write("\n")
        self._out.flush()


class _Counted:
    """The lines of a text file, with an update of the progress every :attr:`Progress.EVERY`;
    named as the file, for the reader (its format, and the rows its errors name)."""

    def __init__(self, text: io.TextIOWrapper, progress: Progress) -> None:
        self.name = text.name
        self._text = text
        self._progress = progress

    def __iter__(self) -> Iterator[str]:
        every, show = self._progress.EVERY, self._progress._show
        for number, line in enumerate(self._text, start=1):
            if number % every == 0:
                show(number, "lines")
            yield line
        self._progress._out.write("\n")
