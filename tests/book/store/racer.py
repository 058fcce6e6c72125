"""A writer for the two-process test: races other writers at the same few cases.

Usage: ``python racer.py BOOK SEED ROUNDS`` (BOOK: a SQLite file or a PostgreSQL URL).
It prints ``ready`` once the book is open and
waits for a line on stdin; then, ROUNDS times, reads the versions of one or two random cases,
pauses briefly (so that another writer can move them) and appends one event per case with
those versions expected. A :class:`Conflict` is counted and checked; any other error ends the
process with a traceback. Last it prints, as JSON, the successful appends per case, the
successful appends and the conflicts: ``{"successes": {case: n}, "appends": n, "conflicts": n}``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import sys
import time
from collections import Counter

from creditflow.book.locations import open_store
from creditflow.book.rows import CaseRow, NewEvent
from creditflow.book.store import EventStore
from creditflow.errors import Conflict

CASES = ["A", "B", "C"]
DAY = dt.date(2026, 6, 1)


def attempt(store: EventStore, rng: random.Random, name: str) -> tuple[list[str], bool]:
    """One read-then-append; the cases and whether it went through."""
    chosen = rng.sample(CASES, rng.choice([1, 1, 2]))
    versions = {case_id: _version(store, case_id) for case_id in chosen}
    time.sleep(rng.uniform(0, 0.002))
    events = [NewEvent(c, versions[c] + 1, "step", DAY, name, {"by": name}) for c in chosen]
    rows = [CaseRow(c, "commitment", "voluntary", "S1", "made", versions[c] + 1, False, DAY,
                    {"by": name}) for c in chosen]  # fmt: skip
    try:
        store.append(events, rows, expected=versions)
    except Conflict as conflict:
        assert conflict.case_id in chosen, conflict
        assert conflict.expected == versions[conflict.case_id], conflict
        assert conflict.actual > conflict.expected, conflict
        return chosen, False
    return chosen, True


def _version(store: EventStore, case_id: str) -> int:
    row = store.case(case_id)
    return 0 if row is None else row.version


def main() -> None:
    path, seed, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    successes: Counter[str] = Counter()
    appends = conflicts = 0
    store = open_store(path)
    with contextlib.closing(store):
        print("ready", flush=True)
        sys.stdin.readline()
        for _ in range(rounds):
            chosen, done = attempt(store, rng, f"racer-{seed}")
            if done:
                successes.update(chosen)
                appends += 1
            else:
                conflicts += 1
    print(json.dumps({"successes": successes, "appends": appends, "conflicts": conflicts}))


if __name__ == "__main__":
    main()
