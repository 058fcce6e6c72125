"""The book the workflow tests run against: once in memory, once on a SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from creditflow.book import CreditBook


@pytest.fixture(params=["memory", "sqlite"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CreditBook]:
    if request.param == "memory":
        opened = CreditBook.memory(policy="national-transport")
    else:
        opened = CreditBook.open(tmp_path / "book.sqlite", policy="national-transport")
    with opened:
        yield opened
