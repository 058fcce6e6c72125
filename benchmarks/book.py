"""Book speed: transitions per second in memory and on SQLite, and replay of many events.

Run on demand (not in CI)::

    python benchmarks/book.py                      # 20,000 transitions, replay of 1,000,000
    python benchmarks/book.py --cases 2000 --replay 100000

Each "transition" is one ``CreditBook.fire`` (or ``open_case``) through the workflows, with
its guards, deadlines, effects and follow-ups, appended with its projection in one
transaction. The SQLite figures use durable commits (synchronous=FULL) unless the store says
otherwise. Subject ids are built before the clock starts and are new in every run (the book
keeps checked ids). Replay rebuilds every case from the events alone. Targets (issue 3):
>= 50,000 transitions/s in memory, >= 5,000/s on SQLite in batches, replay of 1M events under
20 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import creditflow
from creditflow.book.book import CreditBook
from creditflow.core.identifiers import organisation_code_check_character, uscc_check_character
from creditflow.workflows import Actor

OFFICER = Actor("officer", {"case_officer"})
OFFICIAL = Actor("official", {"approving_official"})
DECISION = {"measures": ["key_supervision"], "removal_conditions": "c", "remedies": "r"}
ON = dt.date(2026, 5, 6)


def subject(n: int) -> str:
    """A valid unified social credit code numbered ``n``."""
    organisation = f"M{n:07d}"
    body = f"91350100{organisation}{organisation_code_check_character(organisation)}"
    return body + uscc_check_character(body)


def lifecycle(book: CreditBook, subject_id: str) -> int:
    """Propose, notify, decide and publish one watch listing: 4 transitions (+1 record)."""
    case = book.open_case(
        "listing.watch", subject_id, on=ON, actor=OFFICER, domain="d", grounds="g", basis="b"
    )
    book.fire(case.case_id, "notify", on=ON, actor=OFFICER)
    book.fire(case.case_id, "decide", on=ON + dt.timedelta(days=14), actor=OFFICIAL, **DECISION)
    book.fire(case.case_id, "publish", on=ON + dt.timedelta(days=15), actor=OFFICER)
    return 4


_runs = itertools.count()


def subjects(cases: int) -> list[str]:
    """``cases`` subjects never used by an earlier run (the book caches checked ids)."""
    first = next(_runs) * 1_000_000
    return [subject(first + n) for n in range(cases)]


def transitions_per_second(
    make: Callable[[], CreditBook], cases: int, *, batch: int | None = None
) -> float:
    """Lifecycles one transaction each, or ``batch`` lifecycles per ``CreditBook.batch()``."""
    ids = subjects(cases)  # built before the clock starts
    with make() as book:
        start = time.perf_counter()
        done = 0
        for first in range(0, cases, batch or 1):
            group = ids[first : first + (batch or 1)]
            if batch:
                with book.batch():
                    done += sum(lifecycle(book, s) for s in group)
            else:
                done += sum(lifecycle(book, s) for s in group)
        return done / (time.perf_counter() - start)


def replay_seconds(make: Callable[[], CreditBook], events: int) -> tuple[int, float]:
    ids = subjects(1000)
    with make() as book:
        while book.head()[0] < events:
            with book.batch():
                for subject_id in ids:
                    lifecycle(book, subject_id)
        count = book.head()[0]
        start = time.perf_counter()
        book.replay()
        return count, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=5000, help="listing lifecycles to run")
    parser.add_argument("--replay", type=int, default=1_000_000, help="events to replay")
    args = parser.parse_args()
    policy = creditflow.load_policy("national-transport@2026.1")
    folder = Path(tempfile.mkdtemp())

    def memory() -> CreditBook:
        return CreditBook.memory(policy=policy)

    def sqlite() -> CreditBook:
        return CreditBook.open(folder / f"book-{time.perf_counter_ns()}.sqlite", policy=policy)

    print(f"{'path':<40}{'transitions/s':>16}")
    print(
        f"{'memory, one transaction each':<40}{transitions_per_second(memory, args.cases):>16,.0f}"
    )
    print(
        f"{'SQLite FULL, one transaction each':<40}"
        f"{transitions_per_second(sqlite, max(args.cases // 5, 100)):>16,.0f}"
    )
    rate = transitions_per_second(memory, args.cases, batch=250)
    print(f"{'memory, batches of 1,000 transitions':<40}{rate:>16,.0f}")
    rate = transitions_per_second(sqlite, args.cases, batch=250)
    print(f"{'SQLite FULL, batches of 1,000':<40}{rate:>16,.0f}")
    count, seconds = replay_seconds(memory, args.replay)
    print(
        f"replay of {count:,} events (memory store): {seconds:.1f} s "
        f"({count / seconds:,.0f} events/s; target 1M under 20 s)"
    )


if __name__ == "__main__":
    main()
