"""``creditflow book migrate`` on SQLite: it reports what it did, and refuses a path that names
no file instead of creating an empty book there. (PostgreSQL and ``book copy`` run against a
real server in tests/book/store/test_postgres.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from creditflow.book import SqliteStore
from creditflow.book.sqlite_store import SCHEMA_VERSION
from creditflow.cli import main
from creditflow.testing.store_contract import fire


def test_a_missing_file_is_an_error_and_stays_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typo.sqlite"
    assert main(["book", "migrate", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"creditflow: error: {path}: no such file")
    assert not path.exists()


def test_a_current_book_is_reported_current(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "book.sqlite"
    with SqliteStore.open(path) as store:
        fire(store, "C1")
    assert main(["book", "migrate", str(path)]) == 0
    assert capsys.readouterr().out == f"schema version {SCHEMA_VERSION} (already current)\n"
    with SqliteStore.open(path) as store:
        assert store.head()[0] == 1 and store.verify().ok


def test_an_empty_file_gets_the_schema_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()
    assert main(["book", "migrate", str(path)]) == 0
    assert capsys.readouterr().out == f"schema version 0 -> {SCHEMA_VERSION}\n"
    assert main(["book", "migrate", str(path)]) == 0
    assert capsys.readouterr().out == f"schema version {SCHEMA_VERSION} (already current)\n"


def test_a_file_that_is_not_a_book_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"not a database at all, but a note")
    assert main(["book", "migrate", str(path)]) == 2
    assert "cannot be opened as a book" in capsys.readouterr().err
    assert path.read_bytes() == b"not a database at all, but a note"
