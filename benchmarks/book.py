"""Book speed: transitions per second in memory and on SQLite, and replay of many events.

Run on demand (not in CI). The memory paths, the baselines and replay are timed in CPU time
of this process (``time.process_time``: the machine is shared, and wall time there measures
the neighbours); the SQLite paths in wall time, since they wait on the disk::

    python benchmarks/book.py                      # 20,000 transitions, replay of 1,000,000
    python benchmarks/book.py --cases 2000 --replay 100000

Each "transition" is one ``CreditBook.fire`` (or ``open_case``) through the workflows, with
its guards, deadlines, effects and follow-ups, appended with its projection in one
transaction. The SQLite figures use durable commits (synchronous=FULL) unless the store says
otherwise. Subject ids are built before the clock starts and are new in every run (the book
keeps checked ids). Replay rebuilds every case from the events alone; verify recomputes every
hash and link and checks every projection against its digest. Targets: >= 5,000
transitions/s on SQLite in batches, replay and verify of 1M events under 20 s each (issues 3
and 13); the integrity of issue 13 costing at most 15 % of the book/floor ratio it had.

The baseline, measured in the same run on the appends the memory book made, is the floor:
the least work those transitions need in this interpreter whatever the design. Per event, a
new case value with its data copied, the canonical JSON of the event's data and the SHA-256 of
its chained record; per transaction, the canonical JSON of each changed case's projection. No
check, guard, deadline, effect or call of the API. ``book/floor`` is how many times the floor
the book takes; the floor's own rate is a ceiling no implementation can pass.

The second baseline is the pure transition (issue 20): ``workflows.transition.apply`` on the
contexts of the same lifecycles, recorded while the memory book ran them and re-applied with
the clock running (best of 3). ``fire/pure`` is the book's time per transition over the pure
function's time for the transitions it fired (4 per lifecycle); ``with follow-ups`` counts
the pure time of the record each publication opens as well. Target: ``fire/pure`` at most
3x in memory.

Profile (pyinstrument 5.1, 3,000 lifecycles one transaction each in memory; share of the
run) before issue 20's changes, which guided them::

    CreditBook.fire                         82 %
      MemoryStore.append                    39 %
        prepare                             28 %
          _row_records -> to_json           11 %   (canonical JSON of the whole projection)
          _checked_event -> check_json       8 %   (event data checked and encoded)
          projection digests                 3 %
        seal (event hash, StoredEvent)       6 %
      UnitOfWork.rows -> Case.to_body        7 %   (date.isoformat of every deadline)
      UnitOfWork.run -> apply               15 %   (+7 % the follow-up's)
    CreditBook.open_case                    17 %

and after them (projection text made from the case, deadline texts shared)::

    CreditBook.fire                         81 %
      MemoryStore.append                    43 %
        prepare                             28 %
          _row_records -> Projection.text   10 %
          _checked_event -> check_json       8 %
          projection digests                 3 %
        seal (event hash, StoredEvent)       7 %
      UnitOfWork.rows -> row_of              4 %
      UnitOfWork.run -> apply               12 %
    CreditBook.open_case                    18 %

Fourth round (issue 20: the book appends its units of work with the store's
``append_trusted``, SQLite writes only the case columns that move, a batch reads the head
once and skips the store lookup of the records its new cases open). ``--cases 2000 --replay
200000``, 3 December 2026, alternately on the commit before it and after it, twice, on the
shared machine (other sessions' test runs: rates move by half between runs)::

    path                                   before                 after
    memory, one transaction each           5,606  9,176 /s        6,245  9,522 /s
      fire/pure (with follow-ups)          9.9x (6.2x) 7.1x (5.9x)  7.2x (5.4x) 6.8x (5.3x)
    memory, batches of 1,000               8,295  9,720 /s        9,652 14,066 /s
      fire/pure (with follow-ups)          7.9x (6.3x) 6.7x (5.1x)  6.2x (4.8x) 4.5x (3.4x)
    SQLite FULL, batches of 1,000          4,579  1,332 /s        3,157  3,543 /s
    replay of 200,000 events (CPU)         3.5 s  4.6 s          4.4 s  3.1 s

The 3x target of ``fire/pure`` is not met (see the floor above: about 3.1x is the design's
own); replay was not changed by this round beyond dates shared by decoded events, and its
runs here are within the machine's noise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

import creditflow
from creditflow.book import _unit
from creditflow.book.book import CreditBook
from creditflow.book.encoding import canonical_json, event_digest
from creditflow.book.memory_store import MemoryStore
from creditflow.book.rows import GENESIS, CaseRow, NewEvent, StoredEvent
from creditflow.core.identifiers import organisation_code_check_character, uscc_check_character
from creditflow.workflows import Actor, Case
from creditflow.workflows.context import TransitionContext
from creditflow.workflows.transition import apply

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
        "listing.watch",
        subject_id,
        on=ON,
        actor=OFFICER,
        domain="road_transport",
        grounds="g",
        basis="b",
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


def run(book: CreditBook, ids: Sequence[str], batch: int | None) -> int:
    """One lifecycle per subject, one transaction each or ``batch`` lifecycles per
    ``CreditBook.batch()``; the transitions made."""
    done = 0
    for first in range(0, len(ids), batch or 1):
        group = ids[first : first + (batch or 1)]
        if batch:
            with book.batch():
                done += sum(lifecycle(book, s) for s in group)
        else:
            done += sum(lifecycle(book, s) for s in group)
    return done


def transitions_per_second(
    make: Callable[[], CreditBook], cases: int, *, batch: int | None = None, on_disk: bool = False
) -> float:
    """Lifecycles one transaction each, or ``batch`` lifecycles per ``CreditBook.batch()``."""
    ids = subjects(cases)  # built before the clock starts
    with make() as book:
        clock = time.perf_counter if on_disk else time.process_time
        start = clock()
        done = run(book, ids, batch)
        return done / (clock() - start)


class RecordingStore(MemoryStore):
    """A memory store that keeps what each append was given, for the floor."""

    def __init__(self) -> None:
        super().__init__()
        self.appends: list[tuple[Sequence[NewEvent], Sequence[CaseRow]]] = []

    def append(
        self, events: Sequence[NewEvent], cases: Sequence[CaseRow], *, expected: Mapping[str, int]
    ) -> list[StoredEvent]:
        self.appends.append((tuple(events), tuple(cases)))
        return super().append(events, cases, expected=expected)


def floor_per_second(policy: creditflow.Policy, cases: int, *, batch: int | None = None) -> float:
    """The floor's transitions per second on the appends of the same lifecycles."""
    store = RecordingStore()
    done = run(CreditBook(store, policy=policy), subjects(cases), batch)
    appends = [(events, [Case.from_body(r.body) for r in rows]) for events, rows in store.appends]
    return done / min(floor_seconds(appends) for _ in range(3))  # short: best of 3


def floor_seconds(appends: Sequence[tuple[Sequence[NewEvent], Sequence[Case]]]) -> float:
    """The time the floor's work takes on ``appends`` (events and the cases they changed)."""
    recorded_at = "2026-11-23T00:00:00+00:00"
    seq, prev_hash = 0, GENESIS
    start = time.process_time()
    for events, changed in appends:
        by_id = {case.case_id: case for case in changed}
        for event in events:
            c = by_id[event.case_id]
            Case(  # the new case value, its data copied
                c.case_id, c.machine, c.kind, c.subject_id, c.state, event.version,
                c.opened_on, event.on, MappingProxyType(c.data.copy()), c.deadlines, c.closed,
            )  # fmt: skip
            seq += 1
            prev_hash = event_digest(
                (seq, event.case_id, event.version, event.event, event.on.isoformat(),
                 event.actor, canonical_json(event.data), event.idempotency_key, recorded_at,
                 prev_hash, None)
            )  # fmt: skip
        for case in changed:
            canonical_json(case.to_body())  # the projection
    return time.process_time() - start


def pure_seconds(
    policy: creditflow.Policy, cases: int, *, batch: int | None = None
) -> tuple[int, float, float]:
    """The transitions of ``cases`` lifecycles, and the seconds ``apply`` takes on their
    contexts: for the transitions fired, and for those with their follow-ups."""
    applied: list[tuple[TransitionContext, str]] = []

    def recording(ctx: TransitionContext, case_id: str, *, replay: bool = False) -> object:
        applied.append((ctx, case_id))
        return apply(ctx, case_id, replay=replay)

    _unit.apply = recording  # type: ignore[assignment]
    try:
        done = run(CreditBook.memory(policy=policy), subjects(cases), batch)
    finally:
        _unit.apply = apply
    fired = [(c, i) for c, i in applied if c.actor.id != "system"]

    def best(items: Sequence[tuple[TransitionContext, str]]) -> float:
        times = []
        for _ in range(3):
            start = time.process_time()
            for ctx, case_id in items:
                apply(ctx, case_id)
            times.append(time.process_time() - start)
        return min(times)

    return done, best(fired), best(applied)


def replay_and_verify_seconds(
    make: Callable[[], CreditBook], events: int
) -> tuple[int, float, float]:
    """A book of about ``events`` events: their count, the seconds to replay them all, and
    the seconds of ``verify()`` (every hash, link and projection)."""
    ids = subjects(1000)
    with make() as book:
        while book.head()[0] < events:
            with book.batch():
                for subject_id in ids:
                    lifecycle(book, subject_id)
        count = book.head()[0]
        clock = time.process_time
        start = clock()
        book.replay()
        replayed = clock() - start
        start = clock()
        assert book.verify().ok
        return count, replayed, clock() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=5000, help="listing lifecycles to run")
    parser.add_argument("--replay", type=int, default=1_000_000, help="events to replay")
    parser.add_argument(
        "--sqlite-verify",
        action="store_true",
        help="also build a SQLite book of --replay events and time its replay and verify",
    )
    args = parser.parse_args()
    policy = creditflow.load_policy("national-transport@2026.1")
    folder = Path(tempfile.mkdtemp())

    def memory() -> CreditBook:
        return CreditBook.memory(policy=policy)

    def sqlite() -> CreditBook:
        return CreditBook.open(folder / f"book-{time.perf_counter_ns()}.sqlite", policy=policy)

    header = f"{'path':<40}{'transitions/s':>15}{'floor/s':>10}{'book/floor':>12}"
    print(f"{header}{'fire/pure':>11}{'with follow-ups':>17}")
    for name, make, cases, batch in (
        ("memory, one transaction each", memory, args.cases, None),
        ("memory, batches of 1,000 transitions", memory, args.cases, 250),
        ("SQLite FULL, one transaction each", sqlite, max(args.cases // 5, 100), None),
        ("SQLite FULL, batches of 1,000", sqlite, args.cases, 250),
    ):
        rate = transitions_per_second(make, cases, batch=batch, on_disk=make is sqlite)
        if make is memory:
            floor = floor_per_second(policy, cases, batch=batch)
            done, fired, everything = pure_seconds(policy, cases, batch=batch)
            per = done / rate
            print(
                f"{name:<40}{rate:>15,.0f}{floor:>10,.0f}{floor / rate:>11.1f}x"
                f"{per / fired:>10.1f}x{per / everything:>16.1f}x"
            )
        else:
            print(f"{name:<40}{rate:>15,.0f}")
    for name, make in (("memory store", memory), ("SQLite", sqlite)):
        if name == "SQLite" and not args.sqlite_verify:
            continue
        count, replayed, verified = replay_and_verify_seconds(make, args.replay)
        print(
            f"replay of {count:,} events ({name}): {replayed:.1f} s "
            f"({count / replayed:,.0f} events/s; target 1M under 20 s)"
        )
        print(
            f"verify of {count:,} events and their projections ({name}): {verified:.1f} s "
            "(target 1M under 20 s)"
        )


if __name__ == "__main__":
    main()
