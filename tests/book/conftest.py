"""The book the workflow tests run against: in memory, on a SQLite file, and in a fresh
PostgreSQL database (the plugin's ``postgres_url``, on the session's own server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from creditflow.book import CreditBook


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CreditBook]:
    if request.param == "memory":
        opened = CreditBook.memory(policy="national-transport")
    elif request.param == "sqlite":
        opened = CreditBook.open(tmp_path / "book.sqlite", policy="national-transport")
    else:
        url = request.getfixturevalue("postgres_url")
        opened = CreditBook.open(url, policy="national-transport")
    with opened:
        yield opened
