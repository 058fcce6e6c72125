"""Several processes on one book (a SQLite file, a PostgreSQL database): a writer killed at
random, two writers racing."""

from __future__ import annotations

import contextlib
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from creditflow.book.locations import open_store

HERE = Path(__file__).parent
SRC = HERE.parents[2] / "src"


def _spawn(script: str, *args: object) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.Popen(
        [sys.executable, str(HERE / script), *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _acknowledged(output: str) -> dict[int, str]:
    """``seq -> hash`` of every complete ack line (a line cut by the kill does not count)."""
    lines = output.split("\n")[:-1]
    return {int(seq): digest for seq, digest in (line.split() for line in lines if line != "ready")}


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the book is: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "book.sqlite")
    url: str = request.getfixturevalue("postgres_url")
    return url


def _check_book(path: str, acknowledged: dict[int, str]) -> int:
    """The book verifies, holds every acknowledged event, and its rows match its events."""
    store = open_store(path)
    with contextlib.closing(store):
        report = store.verify()
        assert report.ok, report
        hashes = {event.seq: event.hash for event in store.events()}
        assert {seq: hashes.get(seq) for seq in acknowledged} == acknowledged
        counts = Counter(event.case_id for event in store.events())
        rows = {row.case_id: row for row in store.cases()}
        assert {case_id: row.version for case_id, row in rows.items()} == dict(counts)
        assert all(row.body["events"] == row.version for row in rows.values())
        return report.events


def test_a_killed_writer_leaves_every_acknowledged_event_and_a_consistent_book(
    target: str,
) -> None:
    rng = random.Random(20260601)
    path = target
    acknowledged: dict[int, str] = {}
    for round_ in range(15):
        writer = _spawn("crash_writer.py", path, round_)
        if rng.random() < 0.8:  # otherwise the kill may land in start-up or in opening the book
            assert writer.stdout is not None
            assert writer.stdout.readline() == "ready\n", writer.communicate()[1]
        time.sleep(rng.uniform(0, 0.3))
        writer.kill()
        output, errors = writer.communicate(timeout=30)
        assert "Traceback" not in errors, errors
        acknowledged.update(_acknowledged(output))
        stored = _check_book(path, acknowledged)
        assert stored >= len(acknowledged)
    assert len(acknowledged) > 100


def test_two_writers_get_conflicts_and_never_lose_an_update(target: str) -> None:
    path = target
    open_store(path).close()
    racers = [_spawn("racer.py", path, seed, 150) for seed in (1, 2)]
    for racer in racers:
        assert racer.stdout is not None and racer.stdout.readline() == "ready\n"
    for racer in racers:
        assert racer.stdin is not None
        racer.stdin.write("go\n")
        racer.stdin.flush()
    outputs = [racer.communicate(timeout=60) for racer in racers]
    for racer, (_, errors) in zip(racers, outputs, strict=True):
        assert racer.returncode == 0, errors
    results = [json.loads(output) for output, _ in outputs]

    successes = sum((Counter(result["successes"]) for result in results), Counter())
    conflicts = sum(result["conflicts"] for result in results)
    assert conflicts > 0
    assert all(result["appends"] + result["conflicts"] == 150 for result in results)
    assert all(result["appends"] > 0 for result in results)
    store = open_store(path)
    with contextlib.closing(store):
        assert store.verify().ok
        assert {row.case_id: row.version for row in store.cases()} == dict(successes)
        assert store.head()[0] == sum(successes.values())
        for case_id, count in successes.items():
            assert [e.version for e in store.events(case_id=case_id)] == list(range(1, count + 1))
