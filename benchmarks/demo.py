"""The main job at scale: ``creditflow demo`` at 100,000 and 1,000,000 subjects.

Run on demand (not in CI); the 1M run takes the better part of an hour::

    python benchmarks/demo.py                                # 100,000 and 1,000,000 subjects
    python benchmarks/demo.py --sizes 20000,100000,200000 --dir /tmp/demo-bench

Each size runs ``creditflow demo --subjects N`` (seed 2026) in its own interpreter, as a user
would, on a new book in ``--dir``; the benchmark reads the child's own CPU time and peak
memory (``wait4``) and prints, per size: wall and CPU seconds, peak RSS, and the time and
memory per subject. The smallest size is the baseline of the same run.

Targets (issue 20, target 4):

- linear time: the CPU time per subject at the largest size within 15 % of the smallest's;
- memory: peak RSS under 2 GB at 1,000,000 subjects (flat per subject is not asked: the
  interpreter and policy are a fixed ~35 MB, the population ~250 bytes a subject).

CPU time is compared, not wall time: the machine is shared, and another process only ever
stretches a run's wall time.

Where the time goes (pyinstrument, 2,000 subjects, shares of ``run_demo``, before issue 20's
last round):

- simulation 74 %: licence applications 21 % (two credit checks each: the demo's, for its
  counts, and ``approve_on_commitment``'s), the weekly ``run_due`` 19 % (``CreditBook.overdue``
  decodes every case of the book each week), the quarterly directories and plans 19 % (the
  status and grade of every subject, the draw and its verification), batch appends 7 %, the
  year-end evaluation 5 %;
- charts 9 % (matplotlib's import and drawing: fixed), disclosure 7 %, report 3 %, site and
  notices 3 %, population 2 %.

Since then an application is checked once, by ``approve_on_commitment`` (only a refused one is
checked again, for the demo's counts), and
``CreditBook.overdue`` reads only the open cases, those closed after the day and the closed
records and licences (``due_when_closed``), not every case.

Each of these is a fixed cost per subject or per case: nothing reads the whole population or
book more often at a larger size, so the time is linear.

The million-subject run (2026-12-03, ``--sizes 100000,1000000``; the 2-core machine had one
test or fuzz process beside it part of the time), printed::

      subjects           events    wall s     CPU s   peak MB  CPU ms/subject  KB/subject
       100,000    334247 events     497.8     449.5       306           4.495        3.14
     1,000,000   3353820 events    5634.9    4795.2      1435           4.795        1.47
    CPU time per subject, 1,000,000 / 100,000: 1.07x (target <= 1.15x, linear): PASS
    peak memory at 1,000,000 subjects: 1,435 MB (target < 2,048 MB): PASS

Both targets are met. Sampled RSS showed where the memory goes: 350 MB once the population
is built, about 570 MB through the simulation (quarterly directories and plans add some 300 MB
for a while, then give it back), and the peak of 1,435 MB in the disclosure phase (the rates,
six times over a million subjects, and the assessment), about 1.25 GB through the report and
site. The book file was 4.1 GB (3,353,820 events); the chain, the no-early-removal rule, the
notice windows and the four plans verified. ``assess`` read the listing and repair cases by
machine, and ``compute_rates`` built one coverage row per uncovered subject, before this run.

The run before, on the quiet machine (2026-12-03, after issue 20's last round), printed::

      subjects           events    wall s     CPU s   peak MB  CPU ms/subject  KB/subject
        10,000     33005 events      58.6      52.5       130           5.251       13.30
       100,000    334247 events     500.2     467.0       306           4.670        3.14
    CPU time per subject, 100,000 / 10,000: 0.89x (target <= 1.15x, linear): PASS

Memory grows by 1.96 KB a subject from 10,000 to 100,000 (3.2 KB the day before: 426 MB at
100,000). Then ``--sizes 100000,200000`` (the same day, beside a CI run)::

      subjects           events    wall s     CPU s   peak MB  CPU ms/subject  KB/subject
       100,000    334247 events     642.6     498.9       307           4.989        3.14
       200,000    671053 events    1138.6     965.0       479           4.825        2.45
    CPU time per subject, 200,000 / 100,000: 0.97x (target <= 1.15x, linear): PASS

From 100,000 to 200,000, where the book's bounded caches are full, memory grows by 1.72 KB a
subject, which projects to about 1.86 GB at a million: under the 2 GB target by that slope,
but not shown (the 1,000,000 run, about 80 minutes here, was not made).

The run before, old and new side by side (2-core machine shared with other work; issue 20's last
round: carry-over in parts, ingest 1,000 rows a transaction, notices once, one credit check an
approved application, ``overdue`` reading only what can be overdue): 10,000 subjects 4.56 ms CPU a
subject and 132 MB (before: 6.06 ms, 141 MB), 30,000 subjects 4.12 ms and 188 MB (before:
4.95 ms, 218 MB): 2.8 KB a subject (3.85 before), about 2.8 GB at a million by that slope (the
2 GB target is not met; the slope is an upper bound: caches of the book still fill here).

The run before (the 1,000,000-subject run not made):
10,000 subjects 85.8 s CPU, 136 MB peak; 50,000 subjects 428.4 s CPU, 283 MB peak. CPU time
per subject 50,000 / 10,000: 1.00x (PASS); memory 3.7 KB a subject beyond ~100 MB fixed,
about 3.8 GB at a million (the 2 GB target is not met yet). Before this work: 16.5 KB a
subject (5,000 subjects 182 MB, 20,000 subjects 434 MB).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
LINEAR = 1.15
"""The most the CPU time per subject may grow from the smallest size to the largest."""
MEMORY_MB = 2048
"""The peak RSS allowed at 1,000,000 subjects."""


class Run(NamedTuple):
    """One demo run: its size and what it cost."""

    subjects: int
    events: str
    wall: float
    cpu: float
    peak_mb: float

    @property
    def cpu_ms_per_subject(self) -> float:
        return self.cpu * 1000 / self.subjects

    @property
    def kb_per_subject(self) -> float:
        return self.peak_mb * 1024 / self.subjects


def run_demo(subjects: int, seed: int, folder: Path) -> Run:
    """``creditflow demo --subjects N`` in a fresh interpreter, on a new book in ``folder``."""
    book, out = folder / f"demo-{subjects}.sqlite", folder / f"demo-{subjects}"
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "creditflow", "demo", "--subjects", str(subjects),
               "--seed", str(seed), "--db", str(book), "-o", str(out), "--force"]  # fmt: skip
    started = time.perf_counter()
    with (folder / f"demo-{subjects}.txt").open("w", encoding="utf-8") as printed:
        child = subprocess.Popen(command, env=env, stdout=printed, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        error = child.stderr.read().decode() if child.stderr else ""
        sys.exit(f"the demo at {subjects:,} subjects failed:\n{error}")
    head = (folder / f"demo-{subjects}.txt").read_text(encoding="utf-8").splitlines()[0]
    events = head.split(", ")[-1].split(" in ")[0]  # "12345 events"
    return Run(subjects, events, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def report(runs: list[Run]) -> None:
    verdict = {True: "PASS", False: "FAIL"}
    print(f"{'subjects':>10} {'events':>16} {'wall s':>9} {'CPU s':>9} {'peak MB':>9} "
          f"{'CPU ms/subject':>15} {'KB/subject':>11}")  # fmt: skip
    for run in runs:
        print(f"{run.subjects:>10,} {run.events:>16} {run.wall:>9.1f} {run.cpu:>9.1f} "
              f"{run.peak_mb:>9.0f} {run.cpu_ms_per_subject:>15.3f} "
              f"{run.kb_per_subject:>11.2f}")  # fmt: skip
    if len(runs) < 2:
        return
    first, last = runs[0], runs[-1]
    ratio = last.cpu_ms_per_subject / first.cpu_ms_per_subject
    print(f"CPU time per subject, {last.subjects:,} / {first.subjects:,}: {ratio:.2f}x "
          f"(target <= {LINEAR:.2f}x, linear): {verdict[ratio <= LINEAR]}")  # fmt: skip
    for run in runs:
        if run.subjects >= 1_000_000:
            print(f"peak memory at {run.subjects:,} subjects: {run.peak_mb:,.0f} MB "
                  f"(target < {MEMORY_MB:,} MB): {verdict[run.peak_mb < MEMORY_MB]}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="100000,1000000", help="subjects, comma-separated, smallest first"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--dir", type=Path, default=None, help="keep the books and outputs here")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    folder = args.dir or Path(tempfile.mkdtemp(prefix="demo-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    runs = []
    for subjects in sizes:
        runs.append(run_demo(subjects, args.seed, folder))
        report(runs[-1:])  # as it comes: the largest size takes long
    print(f"\nseed {args.seed}, books and outputs in {folder}")
    report(runs)


if __name__ == "__main__":
    main()
