"""The contract of a shared store: several connections and processes on one book."""

from __future__ import annotations

import multiprocessing
import pickle
import queue
import random
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from creditflow.book.store import EventStore
from creditflow.errors import Conflict
from creditflow.testing.store_contract._contract import StoreContract
from creditflow.testing.store_contract._kit import (
    ContractClock,
    StoreOpener,
    case_row,
    check_injected,
    fire,
    new_event,
    snapshot,
)

__all__ = ["SharedStoreContract"]


class SharedStoreContract(StoreContract):
    """The contract of a store that several connections and processes share: the single-store
    contract, and what one connection sees of another's appends and races."""

    writers: int = 4
    """Processes racing at the same cases in the concurrency test."""

    rounds: int = 60
    """Appends each racing process attempts."""

    @pytest.fixture
    def other(self, store: EventStore, opener: StoreOpener) -> Iterator[EventStore]:
        """A second connection to the book ``store`` is on (opened after it)."""
        opened = opener(clock=ContractClock())
        try:
            yield opened
        finally:
            opened.close()

    def test_the_opener_pickles(self, opener: StoreOpener) -> None:
        """Child processes open the book with it (a partial of a module-level function, or an
        instance of a module-level class, pickles; a lambda or a local function does not)."""
        assert pickle.loads(pickle.dumps(opener)) is not None

    def test_a_second_connection_sees_every_append(
        self, store: EventStore, other: EventStore
    ) -> None:
        appended = fire(store, "C1", 2) + fire(other, "C2") + fire(store, "C2")
        for connection in (store, other):
            assert list(connection.events()) == appended
            assert connection.head() == (4, appended[-1].hash)
            assert [row.version for row in connection.cases()] == [2, 2]
            assert connection.verify().ok

    def test_a_version_moved_by_another_connection_conflicts(
        self, store: EventStore, other: EventStore
    ) -> None:
        fire(store, "C1")
        fire(other, "C1")
        before = snapshot(store)
        with pytest.raises(Conflict) as caught:
            store.append([new_event("C1", 2)], [case_row("C1", 2)], expected={"C1": 1})
        assert (caught.value.case_id, caught.value.expected, caught.value.actual) == ("C1", 1, 2)
        assert snapshot(store) == before == snapshot(other)

    def test_a_key_used_by_another_connection_conflicts(
        self, store: EventStore, other: EventStore
    ) -> None:
        store.append([new_event("C1", 1, key="req")], [case_row("C1", 1)], expected={"C1": 0})
        with pytest.raises(Conflict, match="idempotency key 'req' is already used by event 1"):
            other.append([new_event("C2", 1, key="req")], [case_row("C2", 1)], expected={"C2": 0})
        assert other.case("C2") is None
        assert store.head()[0] == 1

    def test_a_failed_append_is_seen_by_no_connection(
        self, store: EventStore, other: EventStore, clock: ContractClock
    ) -> None:
        fire(store, "C1")
        before = snapshot(other)
        events = [new_event("C1", 2), new_event("C2", 1, key="k")]
        rows = [case_row("C1", 2), case_row("C2", 1)]
        with self.inject_failure(store, clock), pytest.raises(Exception) as caught:  # noqa: PT011
            store.append(events, rows, expected={"C1": 1, "C2": 0})
        check_injected(caught.value)
        assert snapshot(other) == before
        fire(other, "C1")  # the book is not left locked
        assert store.verify().ok

    def test_writers_in_several_processes_lose_no_update(
        self, store: EventStore, opener: StoreOpener
    ) -> None:
        context = multiprocessing.get_context("spawn")
        results = context.Queue()
        start = context.Event()
        racers = [
            context.Process(target=_race, args=(opener, seed, self.rounds, start, results))
            for seed in range(self.writers)
        ]
        for racer in racers:
            racer.start()
        try:
            start.set()
            outcomes = _collect(results, racers, deadline=time.monotonic() + 300)
        finally:
            for racer in racers:
                racer.join(timeout=30)
                if racer.is_alive():
                    racer.kill()
        failures = [outcome for outcome in outcomes if "error" in outcome]
        assert not failures, failures
        successes = sum((Counter(o["successes"]) for o in outcomes), Counter())
        assert sum(o["conflicts"] for o in outcomes) > 0
        assert all(o["appends"] + o["conflicts"] == self.rounds for o in outcomes)
        report = store.verify()
        assert report.ok, report
        assert {row.case_id: row.version for row in store.cases()} == dict(successes)
        assert store.head()[0] == sum(successes.values())
        for case_id, count in successes.items():
            versions = [e.version for e in store.events(case_id=case_id)]
            assert versions == list(range(1, count + 1))
        keys = Counter(e.idempotency_key for e in store.events() if e.idempotency_key)
        assert all(count == 1 for count in keys.values())


def _collect(results: Any, racers: list[Any], *, deadline: float) -> list[dict[str, Any]]:
    """Each racer's outcome; a racer that died without one (it could not import or unpickle
    the opener, say) fails the test at once with its exit code instead of a long wait."""
    outcomes: list[dict[str, Any]] = []
    while len(outcomes) < len(racers):
        try:
            outcomes.append(results.get(timeout=0.5))
        except queue.Empty:
            dead = [r for r in racers if r.exitcode not in (None, 0)]
            assert not dead, (
                f"racers died without a result: exit codes {[r.exitcode for r in dead]}"
            )
            assert time.monotonic() < deadline, "the racers did not finish in 300 s"
    return outcomes


_RACED = ["A", "B", "C"]


def _race(
    opener: StoreOpener, seed: int, rounds: int, start: Any, results: Any
) -> None:  # pragma: no cover (runs in child processes)
    """A child process of the concurrency test: ``rounds`` read-then-append attempts at the
    same few cases, some with an idempotency key every racer uses too; puts its counts (or
    the error that ended it) on ``results``."""
    rng = random.Random(seed)
    successes: Counter[str] = Counter()
    appends = conflicts = 0
    try:
        store = opener()
        try:
            start.wait(60)
            for round_ in range(rounds):
                chosen, done = _attempt(store, rng, f"racer-{seed}", round_)
                if done:
                    successes.update(chosen)
                    appends += 1
                else:
                    conflicts += 1
        finally:
            store.close()
    except BaseException as exc:
        results.put({"error": f"racer {seed}: {type(exc).__name__}: {exc}"})
        return
    results.put({"successes": dict(successes), "appends": appends, "conflicts": conflicts})


def _attempt(
    store: EventStore, rng: random.Random, name: str, round_: int
) -> tuple[list[str], bool]:  # pragma: no cover (runs in child processes)
    chosen = rng.sample(_RACED, rng.choice([1, 1, 2]))
    versions = {case_id: _version(store, case_id) for case_id in chosen}
    time.sleep(rng.uniform(0, 0.002))
    key = f"shared-{round_}" if round_ % 10 == 0 else None  # every racer tries this key
    events = [
        new_event(case_id, versions[case_id] + 1, "step", data={"by": name}, actor=name, key=key)
        for case_id in chosen[:1]
    ] + [
        new_event(case_id, versions[case_id] + 1, "step", data={"by": name}, actor=name)
        for case_id in chosen[1:]
    ]
    rows = [case_row(case_id, versions[case_id] + 1) for case_id in chosen]
    try:
        store.append(events, rows, expected=versions)
    except Conflict as conflict:
        stale = conflict.case_id in chosen and conflict.expected == versions[conflict.case_id]
        if not (stale or (key is not None and "idempotency key" in conflict.message)):
            raise AssertionError(f"a conflict about another change: {conflict}") from None
        return chosen, False
    return chosen, True


def _version(store: EventStore, case_id: str) -> int:  # pragma: no cover (child processes)
    row = store.case(case_id)
    return 0 if row is None else row.version
