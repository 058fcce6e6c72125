"""A process with two CreditBook objects on one book, firing at the same commitments as others.

Usage: ``python book_racer.py BOOK SEED ROUNDS CASE...``. It prints ``ready`` once both books
are open and waits for a line on stdin; then, ROUNDS times, picks a book and a case at random
and fires ``fulfil`` or ``withdraw`` at it, half the time with the ``expected_version`` it read
just before. A :class:`Conflict` or :class:`TransitionRefused` (the case was already ended by
someone else) is counted; any other error ends the process with a traceback. Last it prints,
as JSON, ``{"ended": {case: [event, version]}, "conflicts": n, "refused": n}``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time

from _people import ME, OFFICER
from creditflow.book import CreditBook
from creditflow.errors import Conflict, TransitionRefused

DAY = dt.date(2026, 6, 20)


def main() -> None:
    url, seed, rounds, cases = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    rng = random.Random(seed)
    books = [CreditBook.open(url, policy="national-transport") for _ in range(2)]
    ended: dict[str, tuple[str, int]] = {}
    conflicts = refused = 0
    print("ready", flush=True)
    sys.stdin.readline()
    for _ in range(rounds):
        book = rng.choice(books)
        case_id = rng.choice(cases)
        event, actor = rng.choice([("fulfil", OFFICER), ("withdraw", ME)])
        expected = book.get(case_id).version if rng.random() < 0.5 else None
        time.sleep(rng.uniform(0, 0.003))
        try:
            case = book.fire(case_id, event, on=DAY, actor=actor, expected_version=expected)
        except Conflict as conflict:
            assert conflict.case_id == case_id, conflict
            conflicts += 1
        except TransitionRefused:
            refused += 1
        else:
            assert case_id not in ended, (case_id, ended[case_id])
            ended[case_id] = (event, case.version)
    for book in books:
        book.close()
    print(json.dumps({"ended": ended, "conflicts": conflicts, "refused": refused}))


if __name__ == "__main__":
    main()
