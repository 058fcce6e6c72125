"""A writer killed at random on a SQLite book and on a PostgreSQL one (writers racing: the
store contract)."""

from __future__ import annotations

import contextlib
import random
import time
from collections import Counter
from pathlib import Path

import pytest
from _spawn import spawn

from creditflow.book import open_store


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
        writer = spawn("crash_writer.py", path, round_)
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
    # the kills landed among writes (a quiet machine acknowledges hundreds; a loaded one ~80)
    assert len(acknowledged) > 20
