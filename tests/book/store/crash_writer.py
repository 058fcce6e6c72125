"""A writer for the crash test: appends to a book until it is killed.

Usage: ``python crash_writer.py BOOK SEED`` (BOOK: a SQLite file or a PostgreSQL URL).
It prints ``ready`` once the book is open, then
``<seq> <hash>`` for every event of every append that returned (acknowledged), flushed at
once. Each append touches one to three cases with one or two events each, and some data is
large enough to span several database pages.
"""

from __future__ import annotations

import datetime as dt
import random
import sys

from creditflow.book import CaseRow, EventStore, NewEvent, open_store

CASES = [f"C{n:02}" for n in range(12)]
DAY = dt.date(2026, 6, 1)


def one_append(store: EventStore, rng: random.Random) -> list[str]:
    """Append events to a few random cases after their stored versions; the ack lines."""
    chosen = rng.sample(CASES, rng.randint(1, 3))
    versions = {case_id: _version(store, case_id) for case_id in chosen}
    events: list[NewEvent] = []
    rows: list[CaseRow] = []
    for case_id in chosen:
        count = rng.randint(1, 2)
        for step in range(1, count + 1):
            data = {"step": step, "pad": "x" * rng.choice([0, 10, 3000, 20000])}
            events.append(NewEvent(case_id, versions[case_id] + step, "step", DAY, "w", data))
        last = versions[case_id] + count
        body = {"events": last}
        rows.append(CaseRow(case_id, "commitment", "voluntary", "S1", "made", last, False, DAY,
                            body))  # fmt: skip
    stored = store.append(events, rows, expected=versions)
    return [f"{event.seq} {event.hash}\n" for event in stored]


def _version(store: EventStore, case_id: str) -> int:
    row = store.case(case_id)
    return 0 if row is None else row.version


def main() -> None:
    path, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    store = open_store(path)
    print("ready", flush=True)
    while True:
        sys.stdout.write("".join(one_append(store, rng)))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
