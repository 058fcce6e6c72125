"""PostgreSQL against SQLite: appends per second with 1, 4 and 8 writer processes, and the
latency of ``creditflow.check()`` while they write.

Run on demand (not in CI)::

    python benchmarks/postgres.py                       # a throwaway durable server of its own
    python benchmarks/postgres.py --url postgresql://user@host/db --seconds 5

Without ``--url`` it starts a PostgreSQL cluster of its own (:class:`PostgresCluster` with
``durable=True``: fsync and full-page writes on, as SQLite's ``synchronous="FULL"``), on this
machine, and removes it at the end. First, one writer in this process: appends per second
with one event per append and in batches of 1000 events of many cases, for both stores. Then,
for each store and 0 (the baseline), 1, 4 and 8 writer processes (each appending one event
per append to its own cases for ``--seconds``), the total appends per second, while this
process runs ``creditflow.check()`` on a book of ``--subjects`` subjects and records its
latency (p50, p99). Ratios are against SQLite measured in the same run. Targets (issue 15):
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
    target: str, writers: int, seconds: float, subjects: int
) -> tuple[float, list[float]]:
    """Total appends/s of ``writers`` processes and the check() latencies (ms) meanwhile."""
    context = multiprocessing.get_context("spawn")
    counts: multiprocessing.Queue[int] = context.Queue()
    ready = context.Barrier(writers + 1)
    processes = [
        context.Process(target=_writer, args=(target, f"W{writers}.{n}", seconds, ready, counts))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a PostgreSQL database (default: a server of its own)")
    parser.add_argument("--seconds", type=float, default=4.0, help="seconds per writer count")
    parser.add_argument("--subjects", type=int, default=2000, help="subjects in the checked book")
    args = parser.parse_args()
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


def run(directory: Path, args: argparse.Namespace, cluster: object) -> None:
    from creditflow.book.postgres_store import PostgresStore
    from creditflow.book.sqlite_store import SqliteStore
    from creditflow.testing.postgres import PostgresCluster

    def postgres() -> str:
        if isinstance(cluster, PostgresCluster):
            return cluster.create_database()
        return str(args.url)

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
    one, batched = postgres(), postgres()
    pg_one = single_writer(
        "PostgreSQL, one event per append", lambda: PostgresStore.open(one), 1, 1000
    )
    pg_batch = single_writer(
        "PostgreSQL, batches of 1000", lambda: PostgresStore.open(batched), 1000, 50
    )
    print(f"  ratio PostgreSQL/SQLite, one event per append: {pg_one / sqlite_one:.2f}")
    print(f"  ratio PostgreSQL/SQLite, batches of 1000:      {pg_batch / sqlite_batch:.2f}"
          "   (target >= 0.5)")  # fmt: skip

    results: dict[str, dict[int, tuple[float, list[float]]]] = {}
    for store in ("SQLite", "PostgreSQL"):
        target = str(directory / "load.sqlite") if store == "SQLite" else postgres()
        started = time.perf_counter()
        build(target, args.subjects)
        built = time.perf_counter() - started
        print(f"\n{store}: a book of {args.subjects:,} subjects built in {built:.1f} s; "
              "each writer appends one event per append")  # fmt: skip
        results[store] = {}
        for writers in (0, 1, 4, 8):
            rate, latencies = under_load(target, writers, args.seconds, args.subjects)
            results[store][writers] = (rate, latencies)
            p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
            print(f"  {writers} writer{' ' if writers == 1 else 's'}: {rate:>8,.0f} appends/s "
                  f"total   check() p50 {p50:5.2f} ms  p99 {p99:6.2f} ms  "
                  f"({len(latencies):,} checks)")  # fmt: skip
    print("\nratios")
    for writers in (1, 4, 8):
        pg, lite = results["PostgreSQL"][writers][0], results["SQLite"][writers][0]
        print(f"  {writers} writers: PostgreSQL/SQLite throughput {pg / lite:.2f}")
    for store, by_count in results.items():
        print(f"  {store}: 8 writers / 1 writer throughput {by_count[8][0] / by_count[1][0]:.2f}"
              "   (target >= 1 for PostgreSQL)")  # fmt: skip
    print(f"  PostgreSQL check() p99 at 8 writers: "
          f"{percentile(results['PostgreSQL'][8][1], 0.99):.2f} ms   (target < 5 ms)")  # fmt: skip
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    cores = multiprocessing.cpu_count()
    print(f"({dt.date.today()}, {cores} cores, load average after the run {load})")


if __name__ == "__main__":
    main()
