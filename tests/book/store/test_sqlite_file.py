"""The SQLite file itself: settings, reopening, schema migrations, foreign files, locking."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from creditflow.book import ClosedRows, MemoryStore, SqliteStore, sqlite_store
from creditflow.book._records import EVENT_COLUMNS as _EVENT_COLUMNS
from creditflow.book.sqlite_store import SCHEMA_VERSION
from creditflow.errors import BookUnavailable, Conflict, InvalidInput
from creditflow.testing.store_contract import ContractClock, case_row, fire, new_event


def _pragma(store: SqliteStore, name: str) -> object:
    return store._connection().execute(f"PRAGMA {name}").fetchone()[0]


def test_a_new_book_uses_wal_foreign_keys_and_full_sync(tmp_path: Path) -> None:
    with SqliteStore.open(tmp_path / "book.sqlite") as store:
        assert _pragma(store, "journal_mode") == "wal"
        assert _pragma(store, "foreign_keys") == 1
        assert _pragma(store, "synchronous") == 2  # FULL
        assert _pragma(store, "user_version") == SCHEMA_VERSION
        assert _pragma(store, "busy_timeout") == 5000


def test_normal_sync_is_an_option_and_nothing_else_is(tmp_path: Path) -> None:
    with SqliteStore.open(tmp_path / "book.sqlite", synchronous="NORMAL", timeout=1.5) as store:
        assert _pragma(store, "synchronous") == 1
        assert _pragma(store, "busy_timeout") == 1500
    with pytest.raises(InvalidInput, match="synchronous must be one of"):
        SqliteStore.open(tmp_path / "book.sqlite", synchronous="OFF")


def test_a_reopened_book_holds_the_same_events_and_cases(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"
    with SqliteStore.open(path, clock=ContractClock()) as store:
        fire(store, "C1", 3)
        fire(store, "C2")
        events, cases, head = list(store.events()), list(store.cases()), store.head()
    with SqliteStore(path) as store:
        assert (list(store.events()), list(store.cases()), store.head()) == (events, cases, head)
        assert store.verify().ok
        fire(store, "C2")
        assert store.head()[0] == 5


def test_an_event_row_needs_its_case_row(tmp_path: Path) -> None:
    """The foreign key from events to cases holds at commit (it is deferred)."""
    with SqliteStore.open(tmp_path / "book.sqlite") as store:
        record = (1, "C1", 1, "make", "2026-06-01", "a", "{}", None, "t", "p", None, "h")
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            sqlite_store._transaction(
                store._connection(),
                lambda db: db.execute(sqlite_store._INSERT_EVENT, record),
            )
        assert store.head()[0] == 0


# -- schema versions -----------------------------------------------------------------------------


def _book_at_version(path: Path, version: int, source: MemoryStore | None = None) -> None:
    """A file made by schema ``version``, holding the events and cases ``source`` holds
    (their ``projection`` column left out: older schemas had none)."""
    db = sqlite3.connect(path, isolation_level=None)
    sqlite_store._transaction(db, lambda db: sqlite_store._upgrade(db, str(path), version))
    if source is not None:
        db.executemany(sqlite_store._INSERT_CASE, source._cases.values())
        old_columns = [c for c in _EVENT_COLUMNS if c != "projection"]
        db.executemany(
            f"INSERT INTO events ({', '.join(old_columns)}) VALUES ({', '.join('?' * 11)})",
            [record[:10] + record[11:] for record in source._events],
        )
    db.close()


def test_an_empty_version_1_file_is_migrated_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    _book_at_version(path, 1)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1

    with SqliteStore.open(path) as store:
        assert _pragma(store, "user_version") == SCHEMA_VERSION == 4
        indexes = {row[0] for row in store._connection().execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}  # fmt: skip
        assert {"cases_by_subject", "cases_by_machine", "events_by_date"} <= indexes
        assert {"cases_bearing_by_date", "cases_bearing_by_machine",
                "cases_bearing_by_state"} <= indexes  # fmt: skip
        fire(store, "C1", 2, subject="S1")
        fire(store, "C2", subject="S2")
        assert [row.case_id for row in store.cases(subject_id="S2")] == ["C2"]
        assert store.verify().ok


def test_a_version_3_book_with_events_is_migrated_and_keeps_its_chain(tmp_path: Path) -> None:
    """Schema 4 only adds indexes: the events, hashes and projections are left as they are."""
    path = tmp_path / "v3.sqlite"
    source = MemoryStore(clock=ContractClock())
    fire(source, "C1", 2)
    fire(source, "C2", closed=True, state="kept")
    db = sqlite3.connect(path, isolation_level=None)
    sqlite_store._transaction(db, lambda db: sqlite_store._upgrade(db, str(path), 3))
    db.executemany(sqlite_store._INSERT_CASE, source._cases.values())
    db.executemany(sqlite_store._INSERT_EVENT, source._events)
    db.close()
    assert sqlite_store.migrate(path) == (3, 4)
    assert sqlite_store.migrate(path) == (4, 4)
    with SqliteStore.open(path) as store:
        assert _pragma(store, "user_version") == 4
        assert list(store.events()) == list(source.events())
        assert store.head() == source.head()
        assert store.verify().ok


def test_two_migrations_at_once_report_one_migration(tmp_path: Path) -> None:
    """The version before is the one found under the migration's write lock: of two runs
    waiting on the same lock, one migrates 3 -> 4 and the other finds the book current."""
    path = tmp_path / "v3.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    sqlite_store._transaction(db, lambda db: sqlite_store._upgrade(db, str(path), 3))
    db.execute("PRAGMA journal_mode = WAL")  # as a book is: readers do not wait for a writer
    db.execute("BEGIN IMMEDIATE")  # both runs read version 3, then wait for this lock
    results: list[tuple[int, int]] = []
    runs = [
        threading.Thread(target=lambda: results.append(sqlite_store.migrate(path, timeout=30)))
        for _ in range(2)
    ]
    for run in runs:
        run.start()
    time.sleep(1.0)
    db.execute("ROLLBACK")
    db.close()
    for run in runs:
        run.join()
    assert sorted(results) == [(3, 4), (4, 4)]


def test_a_subjects_bearing_cases_are_found_by_index_seeks(tmp_path: Path) -> None:
    """A status reads the cases that bear on its date without walking the subject's whole
    history (issue 20): no scan of the subject index, and the same rows as the memory store."""
    day = dt.date(2026, 6, 1)
    later = dt.date(2026, 9, 1)
    rows = [
        ("C1", {}),  # open
        ("C2", {"closed": True, "state": "kept"}),  # closed before: bears on nothing
        ("C3", {"closed": True, "state": "kept", "last_on": later}),  # closed after the date
        ("C4", {"closed": True, "state": "ended", "machine": "record"}),
        ("C5", {"closed": True, "state": "breached"}),
        ("C6", {"closed": True, "state": "kept", "subject": "S2"}),
    ]
    filter_ = ClosedRows(after=day, machines=frozenset({"record"}),
                         states=frozenset({"breached"}))  # fmt: skip
    memory = MemoryStore(clock=ContractClock())
    with SqliteStore.open(tmp_path / "book.sqlite", clock=ContractClock()) as store:
        for store_ in (memory, store):
            for case_id, row in rows:
                fire(store_, case_id, **row)
        found = [row.case_id for row in store.cases(subject_id="S1", open_or=filter_)]
        assert found == ["C1", "C3", "C4", "C5"]
        assert found == [row.case_id for row in memory.cases(subject_id="S1", open_or=filter_)]
        sql, params = sqlite_store._bearing("S1", filter_)
        plan = store._connection().execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
        details = " | ".join(row[-1] for row in plan)
        assert "cases_by_subject" not in details
        assert "SCAN" not in details


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_file_with_events_is_refused_and_left_alone(tmp_path: Path, version: int) -> None:
    """Its hashes do not cover its projections; re-hashing them would rewrite history."""
    path = tmp_path / "old.sqlite"
    source = MemoryStore(clock=ContractClock())
    fire(source, "C1", 2)
    _book_at_version(path, version, source)
    before = path.read_bytes()
    with pytest.raises(InvalidInput, match=f"schema version {version} with events"):
        SqliteStore.open(path)
    assert path.read_bytes() == before


def test_a_failed_migration_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite"
    _book_at_version(path, 1)
    broken = (*sqlite_store._MIGRATIONS[:2], ("CREATE INDEX x ON cases (subject_id)", "BOGUS"))
    monkeypatch.setattr(sqlite_store, "_MIGRATIONS", broken)
    with pytest.raises(BookUnavailable, match="BOGUS") as raised:
        SqliteStore.open(path)
    assert isinstance(raised.value.__cause__, sqlite3.OperationalError)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'x'").fetchone()[0] == 0
    db.close()


def test_a_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    with SqliteStore.open(path) as store:
        fire(store, "C1")
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(InvalidInput, match=f"schema version {SCHEMA_VERSION + 1}, newer"):
        SqliteStore.open(path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE things (x)")
    db.close()
    with pytest.raises(InvalidInput, match="not a creditflow book"):
        SqliteStore.open(path)


@pytest.mark.parametrize("content", [b"plain text, not a database" * 100, None])
def test_a_file_that_cannot_be_a_book_is_invalid_input(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "book.sqlite"
    if content is None:
        path = tmp_path / "missing" / "book.sqlite"
    else:
        path.write_bytes(content)
    with pytest.raises(InvalidInput, match="cannot be opened as a book"):
        SqliteStore.open(path)


# -- one writer at a time ----------------------------------------------------------------------


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute("BEGIN IMMEDIATE")
    return db


def test_a_writer_gives_up_after_its_retries(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"
    with SqliteStore.open(path, timeout=0.02, retries=2) as store:
        blocker = _hold_write_lock(path)
        start = time.monotonic()
        with pytest.raises(
            BookUnavailable,
            match=r"database is locked \(locked by another writer through 3 tries\)",
        ) as raised:
            fire(store, "C1")
        assert (raised.value.code, raised.value.path) == ("book_unavailable", str(path))
        assert time.monotonic() - start >= 0.06  # three tries and two pauses
        assert store.head()[0] == 0  # readers are not blocked by the writer
        blocker.rollback()
        blocker.close()
        fire(store, "C1")


def test_a_writer_retries_until_the_lock_is_released(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite"
    with SqliteStore.open(path, timeout=0.05, retries=8) as store:
        blocker = _hold_write_lock(path)
        release = threading.Timer(0.3, blocker.commit)
        release.start()
        try:
            [stored] = fire(store, "C1")
        finally:
            release.join()
            blocker.close()
        assert stored.seq == 1
        assert store.verify().ok


def test_a_lock_taken_outside_a_transaction_is_not_retried_forever(tmp_path: Path) -> None:
    """Errors other than a lock are raised at once."""
    with SqliteStore.open(tmp_path / "book.sqlite") as store:
        calls = []

        def failing(db: sqlite3.Connection) -> None:
            calls.append(1)
            raise sqlite3.OperationalError("disk I/O error")

        with pytest.raises(BookUnavailable, match="nothing was written: disk I/O error"):
            store._write(failing)
        assert calls == [1]


def test_a_batch_of_many_cases_checks_versions_in_chunks(tmp_path: Path) -> None:
    with SqliteStore.open(tmp_path / "book.sqlite") as store:
        ids = [f"C{n:04}" for n in range(1200)]
        events = [new_event(case_id, 1) for case_id in ids]
        store.append(events, [case_row(i, 1) for i in ids], expected=dict.fromkeys(ids, 0))
        fire(store, "C1100")
        events = [new_event(case_id, 2) for case_id in ids]
        with pytest.raises(Conflict, match="case C1100 is at version 2, not the expected 1"):
            store.append(events, [case_row(i, 2) for i in ids], expected=dict.fromkeys(ids, 1))
        assert store.head()[0] == 1201


def test_long_results_are_read_page_by_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_store, "_PAGE", 3)
    with SqliteStore.open(tmp_path / "book.sqlite") as store:
        for number in range(10):
            fire(store, f"C{number:02}", 2)
        assert [e.seq for e in store.events()] == list(range(1, 21))
        assert [e.seq for e in store.events(after=5)] == list(range(6, 21))
        assert [e.seq for e in store.events(case_id="C04")] == [9, 10]
        assert [row.case_id for row in store.cases()] == [f"C{n:02}" for n in range(10)]
        assert store.verify().events == 20


def test_both_stores_are_context_managers(tmp_path: Path) -> None:
    with MemoryStore() as memory:
        fire(memory, "C1")
    with SqliteStore.open(tmp_path / "b.sqlite") as sqlite:
        fire(sqlite, "C1")
    for closed in (memory, sqlite):
        with pytest.raises(InvalidInput, match="closed"):
            closed.head()


def test_a_constraint_the_book_did_not_expect_is_book_unavailable(tmp_path: Path) -> None:
    """A failure inside the append (here a trigger added to the file) leaves nothing half
    written and is typed, never a raw sqlite3 error."""
    path = tmp_path / "book.sqlite"
    with SqliteStore.open(path) as store:
        fire(store, "C1")
        with sqlite3.connect(path) as db:
            db.execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.seq = 3 "
                "BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END"
            )
        db.close()
        events = [new_event("C2", 1), new_event("C1", 2)]
        with pytest.raises(BookUnavailable, match="refused by a trigger") as caught:
            store.append(events, [case_row("C1", 2), case_row("C2", 1)],
                         expected={"C1": 1, "C2": 0})  # fmt: skip
        assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
        assert store.head()[0] == 1
        assert store.case("C2") is None
        assert store.verify().ok
