"""A writer that survives its server crashing: every append has an idempotency key, retried.

Usage: ``python keyed_writer.py URL NAME``. It prints ``ready``, then appends forever to a few
cases, each append with the key ``NAME-<n>``. When the store is unavailable (the server is
down or restarting) it prints ``unavailable`` and retries the same key until the append is
done or the key is found in the book (an earlier try was committed without the writer
knowing). Each acknowledged key prints ``<seq> <hash> <key>``, flushed at once.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
import time

from creditflow.book import CaseRow, NewEvent, StoredEvent
from creditflow.book.postgres_store import PostgresStore
from creditflow.errors import BookUnavailable, Conflict

DAY = dt.date(2026, 6, 1)


def append_once(store: PostgresStore, name: str, number: int) -> StoredEvent:
    """Append the event of key ``name-number``, or find it; retried until it is stored."""
    key = f"{name}-{number}"
    case_id = f"{name}-C{number % 3}"
    while True:
        try:
            found = store.by_idempotency_key(key)
            if found is not None:
                return found
            row = store.case(case_id)
            version = 0 if row is None else row.version
            event = NewEvent(case_id, version + 1, "step", DAY, name, {"n": number}, key)
            case = CaseRow(case_id, "commitment", "voluntary", "S1", "made", version + 1, False,
                           DAY, {"events": version + 1})  # fmt: skip
            [stored] = store.append([event], [case], expected={case_id: version})
            return stored
        except BookUnavailable:
            print("unavailable", flush=True)
            time.sleep(0.05)
        except Conflict:
            continue  # the key was used meanwhile by our own earlier try: found next time


def main() -> None:
    url, name = sys.argv[1], sys.argv[2]
    store = PostgresStore.open(url, connect_timeout=2, lock_timeout=2)
    print("ready", flush=True)
    for number in itertools.count(1):
        stored = append_once(store, name, number)
        print(f"{stored.seq} {stored.hash} {stored.idempotency_key}", flush=True)


if __name__ == "__main__":
    main()
