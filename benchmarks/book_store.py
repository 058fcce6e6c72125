"""Store speed: appends per second, and reading back a million events.

Run on demand (not in CI)::

    python benchmarks/book_store.py                 # reads back 1,000,000 events
    python benchmarks/book_store.py --read 200000 --dir /tmp

It prints appends per second for :class:`MemoryStore`; for :class:`SqliteStore` with durable
commits (``synchronous="FULL"``), one event per transaction and in batches of 1000 events of
many cases; the same with ``synchronous="NORMAL"`` for comparison; and the time to read back
``--read`` events with ``events()`` (written first in batches). Events and rows are built
before the clock starts: this measures the store, not the book. Targets (issue 3): at least
5,000 appends/s on SQLite in batches; reading 1M events well under 20 s, since the book's
replay adds work on top.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from creditflow.book.memory_store import MemoryStore
from creditflow.book.rows import CaseRow, NewEvent
from creditflow.book.sqlite_store import SqliteStore
from creditflow.book.store import EventStore

Append = tuple[list[NewEvent], list[CaseRow], dict[str, int]]


class Workload:
    """Appends shaped like the book's: events of many cases, each with its case row."""

    def __init__(self, cases: int, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.ids = [f"CASE-{n:07}" for n in range(cases)]
        self.versions: dict[str, int] = {}
        self.day = dt.date(2026, 6, 1)

    def batches(self, size: int, count: int) -> Iterator[Append]:
        """``count`` appends of ``size`` events each, spread over random cases."""
        for _ in range(count):
            yield self.batch(size)

    def batch(self, size: int) -> Append:
        chosen = [self.rng.choice(self.ids) for _ in range(size)]
        expected = {case_id: self.versions.get(case_id, 0) for case_id in chosen}
        events = [self._event(case_id) for case_id in chosen]
        rows = [self._row(case_id) for case_id in dict.fromkeys(chosen)]
        return events, rows, expected

    def _event(self, case_id: str) -> NewEvent:
        version = self.versions[case_id] = self.versions.get(case_id, 0) + 1
        data = {"record": f"R-{self.rng.randrange(10**6)}", "severity": "general",
                "reason": "逾期未履行信用承诺", "amount": self.rng.randrange(10**5)}  # fmt: skip
        return NewEvent(case_id, version, "notify", self.day, "officer-17", data)

    def _row(self, case_id: str) -> CaseRow:
        version = self.versions[case_id]
        body = {
            "state": "notified",
            "subject": "91350100M000100Y43",
            "kind": "serious",
            "deadlines": {"statement": "2026-06-08", "decision": "2026-06-20"},
            "history": version,
            "data": {"record": "R-1", "basis": "交通运输部令2019年第37号"},
        }
        return CaseRow(case_id, "listing", "serious", "91350100M000100Y43", "notified",
                       version, False, self.day, body)  # fmt: skip


def appends_per_second(store: EventStore, appends: list[Append]) -> float:
    """Events appended per second over ``appends``."""
    events = sum(len(append[0]) for append in appends)
    start = time.perf_counter()
    for batch, rows, expected in appends:
        store.append(batch, rows, expected=expected)
    return events / (time.perf_counter() - start)


def measure(label: str, opener: Callable[[], EventStore], size: int, count: int) -> None:
    workload = Workload(cases=max(1000, size * 10))
    appends = list(workload.batches(size, count))
    store = opener()
    try:
        rate = appends_per_second(store, appends)
    finally:
        store.close()
    print(f"{label:<48} {rate:>12,.0f} events/s   ({count:,} appends of {size})")


def read_back(directory: Path, total: int) -> None:
    path = directory / "read.sqlite"
    workload = Workload(cases=total // 5)
    start = time.perf_counter()
    with SqliteStore.open(path, synchronous="NORMAL") as store:
        for batch, rows, expected in workload.batches(1000, total // 1000):
            store.append(batch, rows, expected=expected)
    written = time.perf_counter() - start
    size = path.stat().st_size / 2**20
    print(f"wrote {total:,} events in batches of 1000 in {written:.1f} s ({size:,.0f} MiB)")
    with SqliteStore.open(path) as store:
        start = time.perf_counter()
        count = sum(1 for _ in store.events())
        read = time.perf_counter() - start
        start = time.perf_counter()
        report = store.verify()
        verified = time.perf_counter() - start
    print(f"read back {count:,} events with events() in {read:.1f} s ({count / read:,.0f}/s)")
    print(f"verify() of {report.events:,} events in {verified:.1f} s (ok={report.ok})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--read", type=int, default=1_000_000, help="events to read back")
    parser.add_argument("--dir", type=Path, default=None, help="directory for the files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as name:
        directory = Path(name)

        def sqlite(file: str, synchronous: str) -> Callable[[], EventStore]:
            return lambda: SqliteStore.open(directory / file, synchronous=synchronous)

        measure("MemoryStore, one event per append", MemoryStore, 1, 20_000)
        measure("MemoryStore, batches of 1000", MemoryStore, 1000, 100)
        measure("SqliteStore FULL, one event per transaction", sqlite("a.sqlite", "FULL"), 1, 2000)
        measure("SqliteStore NORMAL, one event per transaction", sqlite("b.sqlite", "NORMAL"),
                1, 2000)  # fmt: skip
        measure("SqliteStore FULL, batches of 1000", sqlite("c.sqlite", "FULL"), 1000, 100)
        measure("SqliteStore NORMAL, batches of 1000", sqlite("d.sqlite", "NORMAL"), 1000, 100)
        read_back(directory, args.read)
        print(f"(python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version})")


if __name__ == "__main__":
    main()
