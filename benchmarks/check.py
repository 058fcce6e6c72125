"""Credit-check speed: checks/second on a SQLite book, and the cost of one check by history.

Run on demand (not in CI)::

    python benchmarks/check.py                     # 100,000 subjects
    python benchmarks/check.py --subjects 10000 --checks 5000

The book is built with ``CreditBook.batch()``. Each subject has a realistic history: one
commitment made (most fulfilled, a few breached, some still open), one in ten a general
penalty record, one in fifty a watch listing, one in a hundred a serious listing, one in fifty
a red listing; half the subjects have an annual evaluation. A check is one
``creditflow.check(book, subject, purpose=..., on=..., domain=...)`` for a random subject and a
random purpose. Target (issue 4): >= 2,000 checks/s.

The cost of one check by history (issue 20) is the median of single licensing checks of
subjects with 1, 10, 100 and 1,000 events (fulfilled commitments, two events each) and with
1, 10, 100 and 1,000 open cases (commitments); ``x`` is the ratio to the cost at 1. Target:
flat within 20 % from 1 to 1,000 in both.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

import creditflow
from creditflow.book.book import CreditBook
from creditflow.core.identifiers import organisation_code_check_character, uscc_check_character
from creditflow.licensing import Evaluation, Evaluations
from creditflow.workflows import Actor

OFFICER = Actor("officer", {"case_officer"})
OFFICIAL = Actor("official", {"approving_official"})
DECISION = {"measures": ["key_supervision"], "removal_conditions": "c", "remedies": "r"}
ON = dt.date(2026, 5, 6)
CHECK_ON = dt.date(2026, 9, 1)
ROAD = "road_transport"
PURPOSES = ("licensing", "procurement", "bidding", "subsidy", "honours")


def subject(n: int) -> str:
    """A valid unified social credit code numbered ``n``."""
    organisation = f"M{n:07d}"
    body = f"91350100{organisation}{organisation_code_check_character(organisation)}"
    return body + uscc_check_character(body)


def _me(who: str) -> Actor:
    return Actor(who, {"subject"})


def _commitment(book: CreditBook, who: str, outcome: str) -> None:
    case = book.open_case("commitment.approval_substitute", who, on=ON, actor=_me(who),
                          domain=ROAD, summary="s", approval_id="x")  # fmt: skip
    later = ON + dt.timedelta(days=20)
    if outcome == "fulfil":
        book.fire(case.case_id, "fulfil", on=later, actor=OFFICER)
    elif outcome == "breach":
        book.fire(case.case_id, "breach", on=later, actor=OFFICER, summary="s")


def _listing(book: CreditBook, who: str, kind: str) -> None:
    case = book.open_case(f"listing.{kind}", who, on=ON, actor=OFFICER, domain=ROAD,
                          grounds="g", basis="b")  # fmt: skip
    if kind != "red":
        book.fire(case.case_id, "notify", on=ON, actor=OFFICER)
    book.fire(case.case_id, "decide", on=ON + dt.timedelta(days=14), actor=OFFICIAL, **DECISION)
    book.fire(case.case_id, "publish", on=ON + dt.timedelta(days=15), actor=OFFICER)


def _record(book: CreditBook, who: str) -> None:
    book.open_case("record.general", who, on=ON, actor=OFFICER, domain=ROAD,
                   record_kind="penalty", decided_on=ON, summary="s")  # fmt: skip


def history(book: CreditBook, n: int, rng: random.Random) -> None:
    """One subject's realistic history (about 2 to 7 events)."""
    who = subject(n)
    _commitment(book, who, rng.choices(("fulfil", "breach", "open"), (80, 5, 15))[0])
    if rng.random() < 0.10:
        _record(book, who)
    draw = rng.random()
    for kind, share in (("serious", 0.01), ("watch", 0.02), ("red", 0.02)):
        if draw < share:
            _listing(book, who, kind)
            break
        draw -= share


def build(path: Path, subjects: int, seed: int = 4) -> tuple[CreditBook, Evaluations]:
    """A SQLite book of ``subjects`` subjects with histories, and their evaluations."""
    rng = random.Random(seed)
    book = CreditBook.open(path, policy="national-transport")
    for first in range(0, subjects, 1000):
        with book.batch():
            for n in range(first, min(first + 1000, subjects)):
                history(book, n, rng)
    evaluations = Evaluations(
        Evaluation(subject(n), ROAD, 2026, rng.randint(30, 100), ON) for n in range(0, subjects, 2)
    )
    return book, evaluations


def checks_per_second(
    book: CreditBook, evaluations: Evaluations, numbers: range, checks: int
) -> float:
    rng = random.Random(7)
    who = [subject(rng.choice(numbers)) for _ in range(checks)]
    purposes = [rng.choice(PURPOSES) for _ in range(checks)]
    creditflow.check(book, who[0], purpose="licensing", on=CHECK_ON, domain=ROAD)  # warm up
    start = time.perf_counter()
    for subject_id, purpose in zip(who, purposes, strict=True):
        creditflow.check(book, subject_id, purpose=purpose, on=CHECK_ON, domain=ROAD,
                         evaluations=evaluations)  # fmt: skip
    return checks / (time.perf_counter() - start)


def median_cost(book: CreditBook, who: list[str], repeats: int = 3) -> float:
    """The median microseconds of one licensing check over ``who``, each checked ``repeats``
    times (the first check of the book warms it up)."""
    creditflow.check(book, who[0], purpose="licensing", on=CHECK_ON, domain=ROAD)
    times = []
    for _ in range(repeats):
        for subject_id in who:
            start = time.perf_counter()
            creditflow.check(book, subject_id, purpose="licensing", on=CHECK_ON, domain=ROAD)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def _count(size: int, per_size: int) -> int:
    """Subjects per size: ``per_size``, fewer for long histories (at least 5)."""
    return max(5, min(per_size, 2000 // size))


def cost_by_history(path: Path, sizes: tuple[int, ...], per_size: int) -> dict[int, float]:
    """Median microseconds per check for subjects with 1, 10, 100... events each: commitments
    fulfilled (two events each, closed), and one still open when the count is odd."""
    book = CreditBook.open(path, policy="national-transport")
    base = 9_000_000
    with book.batch():
        for i, size in enumerate(sizes):
            for k in range(_count(size, per_size)):
                who = subject(base + i * per_size + k)
                for _ in range(size // 2):
                    _commitment(book, who, "fulfil")
                if size % 2:
                    _commitment(book, who, "open")
    cost = {}
    for i, size in enumerate(sizes):
        who = [subject(base + i * per_size + k) for k in range(_count(size, per_size))]
        cost[size] = median_cost(book, who)
    book.close()
    return cost


def cost_by_cases(path: Path, sizes: tuple[int, ...], per_size: int) -> dict[int, float]:
    """Median microseconds per check for subjects with 1, 10, 100... open commitments."""
    book = CreditBook.open(path, policy="national-transport")
    base = 8_000_000
    for i, size in enumerate(sizes):
        with book.batch():
            for k in range(_count(size, per_size)):
                who = subject(base + i * per_size + k)
                for _ in range(size):
                    _commitment(book, who, "open")
    cost = {}
    for i, size in enumerate(sizes):
        who = [subject(base + i * per_size + k) for k in range(_count(size, per_size))]
        cost[size] = median_cost(book, who)
    book.close()
    return cost


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subjects", type=int, default=100_000, help="subjects in the book")
    parser.add_argument("--checks", type=int, default=20_000, help="checks to time")
    parser.add_argument("--per-size", type=int, default=200, help="subjects per history size")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    start = time.perf_counter()
    book, evaluations = build(folder / "book.sqlite", args.subjects)
    events = book.head()[0]
    print(f"built {args.subjects:,} subjects, {events:,} events in "
          f"{time.perf_counter() - start:.0f} s")  # fmt: skip
    rate = checks_per_second(book, evaluations, range(args.subjects), args.checks)
    print(f"checks/s on SQLite, {args.subjects:,} subjects: {rate:,.0f} (target >= 2,000)")
    book.close()
    sizes = (1, 10, 100, 1000)
    for what, cost in (
        ("events", cost_by_history(folder / "history.sqlite", sizes, args.per_size)),
        ("open cases", cost_by_cases(folder / "cases.sqlite", sizes, args.per_size)),
    ):
        for size, micros in cost.items():
            ratio = micros / cost[1]
            print(f"one check, {size:>5,} {what} per subject: {micros:>9,.0f} us (x{ratio:.2f})")
        print(f"  flat within 20 % from 1 to 1,000 {what} (target): {cost[1000] / cost[1] <= 1.2}")


if __name__ == "__main__":
    main()
