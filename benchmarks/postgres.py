"""PostgreSQL against SQLite: appends per second with 1, 4 and 8 writer processes, and the
latency of ``creditflow.check()`` while they write.

Run on demand (not in CI)::

    python benchmarks/postgres.py                       # a throwaway durable server of its own
    python benchmarks/postgres.py --url postgresql://user@host/db --seconds 5
    python benchmarks/postgres.py --repeat 5 --modes strict,grouped --stores postgresql

Without ``--url`` it starts a PostgreSQL cluster of its own (:class:`PostgresCluster` with
``durable=True``: fsync and full-page writes on, as SQLite's ``synchronous="FULL"``), on this
machine, and removes it at the end. First, one writer in this process: appends per second
with one event per append (PostgreSQL in each commit mode of ``--modes``) and in batches of
1000 events of many cases, for both stores. Then, for each store (and each PostgreSQL commit
mode: ``strict``, the default, and ``grouped``, docs/postgres.md "Commit modes") and 0 (the
baseline), 1, 4 and 8 writer processes (each appending one event per append to its own cases
for ``--seconds``), the total appends per second, while this process runs
``creditflow.check()`` on a book of ``--subjects`` subjects and records its latency (p50,
p99). Each writer count runs ``--repeat`` times (the commit modes alternate which goes first
in each repeat); the median is printed with the spread ``[min-max]`` of the runs, for the
throughput, the p99 and the 8-writer / 1-writer ratio: on a shared machine one run says
little. Ratios are against SQLite measured in the same run. Targets (issue 15):
PostgreSQL batched appends at least half of SQLite's single-writer rate; with 8 writers,
total throughput at least that of 1 writer; check() p99 under 5 ms at 8 writers.

Last run (2026-12-02, schema 3, ``--seconds 8``, the 2-core machine quiet: load average 1.8
before, 2.6 after), printed::

    SQLite FULL, one event per append      1,647 events/s
    SQLite FULL, batches of 1000           8,352 events/s
    PostgreSQL, one event per append         596 events/s
    PostgreSQL, batches of 1000            9,336 events/s
    ratio PostgreSQL/SQLite, one event per append: 0.36
    ratio PostgreSQL/SQLite, batches of 1000:      1.12   (target >= 0.5)
    SQLite      0 / 1 / 4 / 8 writers: 0 / 1,387 / 1,474 / 1,278 appends/s,
                check() p99 0.47 / 0.64 / 0.64 / 0.66 ms (p50 0.19-0.24 ms)
    PostgreSQL  0 / 1 / 4 / 8 writers: 0 / 504 / 539 / 490 appends/s,
                check() p99 1.51 / 2.72 / 4.87 / 5.10 ms (p50 1.06-1.32 ms)
    PostgreSQL: 8 writers / 1 writer throughput 0.97   (target >= 1)
    PostgreSQL check() p99 at 8 writers: 5.10 ms   (target < 5 ms; 4.26 ms in the run before)

docs/postgres.md ("Speed") has them as a table, with the run before and earlier figures.

The two commit modes (2026-12-03, schema 4, ``--seconds 4 --repeat 4 --stores postgresql``,
the machine shared: load average 5.3 before, 12.2 after), printed::

    PostgreSQL strict
      1 writer :      121 appends/s total [98-130]   check() p50  3.96 ms  p99  15.48 ms
      8 writers:      246 appends/s total [172-274]   check() p50  5.27 ms  p99  22.15 ms
    PostgreSQL grouped
      1 writer :      133 appends/s total [109-196]   check() p50  3.15 ms  p99  13.14 ms
      8 writers:      340 appends/s total [312-508]   check() p50 17.98 ms  p99  42.63 ms
    PostgreSQL strict: 8 writers / 1 writer throughput 2.03 [1.47-2.81]
    PostgreSQL grouped: 8 writers / 1 writer throughput 2.55 [2.44-2.94]

(docs/postgres.md, "The two commit modes, measured", has this run and the one before.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import creditflow
from book_store import Workload, appends_per_second
from check import CHECK_ON, PURPOSES, ROAD, history, subject
from creditflow.book.book import CreditBook
from creditflow.book.store import EventStore
from creditflow.book.stores import open_store


def single_writer(label: str, opener: Callable[[], EventStore], size: int, count: int) -> float:
    """Appends per second of one writer in this process."""
    workload = Workload(cases=max(1000, size * 10), seed=size)
    workload.ids = [f"{label[:6]}{size}-{case_id}" for case_id in workload.ids]  # one --url db
    appends = list(workload.batches(size, count))
    store = opener()
    try:
        rate = appends_per_second(store, appends)
    finally:
        store.close()
    print(f"  {label:<44} {rate:>10,.0f} events/s")
    return rate


def _writer(
    target: str, name: str, seconds: float, ready: Any, counts: multiprocessing.Queue[int]
) -> None:
    """A writer process: one event per append to cases of its own, for ``seconds`` after
    every writer and the checker are ready."""
    done = 0
    try:
        workload = Workload(cases=500, seed=len(name))
        workload.ids = [f"{name}-{case_id}" for case_id in workload.ids]
        appends = (workload.batch(1) for _ in range(10**9))
        store = open_store(target)
        ready.wait()
        stop = time.perf_counter() + seconds
        for events, rows, expected in appends:
            if time.perf_counter() >= stop:
                break
            store.append(events, rows, expected=expected)
            done += 1
        store.close()
    finally:
        counts.put(done)


def under_load(
    target: str, writers: int, seconds: float, subjects: int, run: str = ""
) -> tuple[float, list[float]]:
    """Total appends/s of ``writers`` processes and the check() latencies (ms) meanwhile;
    ``run`` tells the writers' cases apart from those of other runs on the same book."""
    context = multiprocessing.get_context("spawn")
    counts: multiprocessing.Queue[int] = context.Queue()
    ready = context.Barrier(writers + 1)
    processes = [
        context.Process(
            target=_writer, args=(target, f"W{run}{writers}.{n}", seconds, ready, counts)
        )
        for n in range(writers)
    ]
    for process in processes:
        process.start()
    rng = random.Random(writers)
    latencies: list[float] = []
    with CreditBook.open(target, policy="national-transport") as book:
        creditflow.check(book, subject(0), purpose="licensing", on=CHECK_ON, domain=ROAD)
        ready.wait()
        stop = time.perf_counter() + seconds
        while time.perf_counter() < stop:
            who = subject(rng.randrange(subjects))
            began = time.perf_counter()
            creditflow.check(book, who, purpose=rng.choice(PURPOSES), on=CHECK_ON, domain=ROAD)
            latencies.append((time.perf_counter() - began) * 1000)
    total = sum(counts.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(30)
    return total / seconds, latencies


def build(target: str, subjects: int) -> None:
    """A book of ``subjects`` subjects with realistic histories (benchmarks/check.py)."""
    rng = random.Random(4)
    with CreditBook.open(target, policy="national-transport") as book, book.batch():
        for n in range(subjects):
            history(book, n, rng)


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


class Runs:
    """The runs of one store (and commit mode) at one writer count: total appends/s and the
    check() latencies of each run; the median and spread of the runs."""

    def __init__(self) -> None:
        self.rates: list[float] = []
        self.p50s: list[float] = []
        self.p99s: list[float] = []

    def add(self, rate: float, latencies: list[float]) -> None:
        self.rates.append(rate)
        self.p50s.append(percentile(latencies, 0.5))
        self.p99s.append(percentile(latencies, 0.99))

    @property
    def rate(self) -> float:
        return statistics.median(self.rates)

    @property
    def p99(self) -> float:
        return statistics.median(self.p99s)

    def line(self) -> str:
        text = (f"{self.rate:>8,.0f} appends/s total {_spread(self.rates, '{:,.0f}')}   "
                f"check() p50 {statistics.median(self.p50s):5.2f} ms  "
                f"p99 {self.p99:6.2f} ms {_spread(self.p99s, '{:.2f}')}")  # fmt: skip
        return text


def _spread(values: list[float], form: str) -> str:
    if len(values) < 2 or not any(values):
        return ""
    return f"[{form.format(min(values))}-{form.format(max(values))}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a PostgreSQL database (default: a server of its own)")
    parser.add_argument("--seconds", type=float, default=4.0, help="seconds per writer count")
    parser.add_argument("--subjects", type=int, default=2000, help="subjects in the checked book")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per writer count (and commit mode): the median is printed, "
                        "with the spread [min-max]")  # fmt: skip
    parser.add_argument(
        "--modes",
        default="strict,grouped",
        help="PostgreSQL commit modes to measure, alternated in each repeat",
    )
    parser.add_argument(
        "--stores",
        default="sqlite,postgresql",
        help="stores to measure under load (sqlite, postgresql)",
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average before the run: {load} (the machine may be shared)")
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        cluster = None
        if args.url is None:
            from creditflow.testing.postgres import PostgresCluster

            cluster = PostgresCluster(durable=True)
            cluster.start()
        try:
            run(directory, args, cluster)
        finally:
            if cluster is not None:
                cluster.remove()


def _with_mode(url: str, mode: str) -> str:
    """``url`` with the commit mode as its ``commit`` query parameter (strict: as it is)."""
    if mode == "strict":
        return url
    return f"{url}{'&' if '?' in url else '?'}commit={mode}"


def run(directory: Path, args: argparse.Namespace, cluster: object) -> None:
    from creditflow.book.postgres_store import PostgresStore
    from creditflow.book.sqlite_store import SqliteStore
    from creditflow.testing.postgres import PostgresCluster

    def postgres() -> str:
        if isinstance(cluster, PostgresCluster):
            return cluster.create_database()
        return str(args.url)

    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    stores = [store.strip().lower() for store in args.stores.split(",") if store.strip()]
    print("one writer (this process), durable commits:")
    sqlite_one = single_writer(
        "SQLite FULL, one event per append",
        lambda: SqliteStore.open(directory / "a.sqlite"),
        1,
        1000,
    )
    sqlite_batch = single_writer(
        "SQLite FULL, batches of 1000", lambda: SqliteStore.open(directory / "b.sqlite"), 1000, 50
    )
    pg_one: dict[str, float] = {}
    for mode in modes:
        url = _with_mode(postgres(), mode)
        pg_one[mode] = single_writer(
            f"PostgreSQL {mode}, one event per append",
            lambda url=url: PostgresStore.open(url),
            1,
            1000,
        )
    batched = postgres()
    pg_batch = single_writer(
        "PostgreSQL, batches of 1000", lambda: PostgresStore.open(batched), 1000, 50
    )
    for mode, rate in pg_one.items():
        print(f"  ratio PostgreSQL {mode}/SQLite, one event per append: {rate / sqlite_one:.2f}")
    print(f"  ratio PostgreSQL/SQLite, batches of 1000:      {pg_batch / sqlite_batch:.2f}"
          "   (target >= 0.5)")  # fmt: skip

    counts = (0, 1, 4, 8)
    results: dict[str, dict[int, Runs]] = {}
    for store in stores:
        target = str(directory / "load.sqlite") if store == "sqlite" else postgres()
        started = time.perf_counter()
        build(target, args.subjects)
        built = time.perf_counter() - started
        labels = ["SQLite"] if store == "sqlite" else [f"PostgreSQL {mode}" for mode in modes]
        print(f"\n{', '.join(labels)}: a book of {args.subjects:,} subjects built in "
              f"{built:.1f} s; each writer appends one event per append; "
              f"{args.repeat} run(s) per writer count, modes alternated")  # fmt: skip
        for label in labels:
            results[label] = {writers: Runs() for writers in counts}
        for repeat in range(args.repeat):
            order = labels if repeat % 2 == 0 else labels[::-1]  # alternate which goes first
            for label in order:
                url = target if store == "sqlite" else _with_mode(target, label.split()[-1])
                for writers in counts:
                    tag = f"{repeat}{label[-1]}"
                    rate, latencies = under_load(url, writers, args.seconds, args.subjects, tag)
                    results[label][writers].add(rate, latencies)
        for label in labels:
            print(f"  {label}")
            for writers in counts:
                plural = " " if writers == 1 else "s"
                print(f"    {writers} writer{plural}: {results[label][writers].line()}")
    print("\nratios (medians)")
    if "SQLite" in results:
        for label in (label for label in results if label != "SQLite"):
            for writers in (1, 4, 8):
                pg, lite = results[label][writers].rate, results["SQLite"][writers].rate
                print(f"  {writers} writers: {label}/SQLite throughput {pg / lite:.2f}")
    for label, by_count in results.items():
        pairs = zip(by_count[8].rates, by_count[1].rates, strict=True)
        ratios = [eight / one for eight, one in pairs]
        ratio = by_count[8].rate / by_count[1].rate
        print(f"  {label}: 8 writers / 1 writer throughput {ratio:.2f} "
              f"{_spread(ratios, '{:.2f}')}   (target >= 1 for PostgreSQL)")  # fmt: skip
    for label in (label for label in results if label != "SQLite"):
        print(f"  {label} check() p99 at 8 writers: {results[label][8].p99:.2f} ms "
              f"{_spread(results[label][8].p99s, '{:.2f}')}   (target < 5 ms)")  # fmt: skip
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    cores = multiprocessing.cpu_count()
    print(f"({dt.date.today()}, {cores} cores, load average after the run {load})")


if __name__ == "__main__":
    main()
