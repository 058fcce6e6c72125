"""Opening a store by where it lives (creditflow.book.open_store), as CreditBook.open does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from creditflow.book import CreditBook, SqliteStore, open_store
from creditflow.errors import InvalidInput
from creditflow.testing.store_contract import START, ContractClock, fire


def test_a_path_opens_a_sqlite_book_created_if_absent(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"
    with open_store(path, clock=ContractClock()) as store:
        assert isinstance(store, SqliteStore)
        [event] = fire(store, "C1")
        assert event.recorded_at == START
    with open_store(str(path), read_only=True) as again:
        assert again.head() == (1, event.hash)
        with pytest.raises(InvalidInput, match="read-only"):
            fire(again, "C1")


def test_the_book_opens_its_store_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"
    moment = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    with CreditBook.open(path, clock=lambda: moment) as book:
        assert book.head()[0] == 0
    with pytest.raises(InvalidInput, match="no such file"):
        CreditBook.open(tmp_path / "absent.sqlite", read_only=True)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (42, "target must be a str, got 42 that is an int"),
        (None, "target must be a str"),
        (b"book.sqlite", "target must be a str"),
        ("", "target must not be empty"),
        ("bo\0ok", "holds a NUL character"),
    ],
)
def test_a_target_that_is_no_path_is_invalid_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: object, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidInput, match=message):
        open_store(target)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_read_only_must_be_a_bool(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="read_only must be True or False"):
        open_store(tmp_path / "book.sqlite", read_only="yes")  # type: ignore[arg-type]
