"""The SQLite event store: the embedded default book, one file shared by any number of processes.

The file runs in write-ahead-log mode with foreign keys on. Every write is one
``BEGIN IMMEDIATE`` transaction, so one process writes at a time; a writer that finds the
book locked waits up to ``timeout`` seconds (SQLite's busy timeout) and retries the whole
transaction a few times with a growing pause before giving up with
:class:`~creditflow.errors.BookUnavailable`.
Readers never block writers. Commits are durable by default (``synchronous=FULL``): a process
killed at any moment leaves every event either fully there with its projection or absent.

The schema has a version (``PRAGMA user_version``); opening a file applies the forward
migrations it lacks, in order, in one transaction, and refuses a file of a newer version. All
SQL of creditflow lives in this module.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import pathlib
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Final, Self, TypeVar

from creditflow._validation import check_case_filters, check_event_filters, ensure_int
from creditflow.book._adopt import adopted_cases, adopted_records
from creditflow.book._chain import (
    Batch,
    Clock,
    check_rebuild,
    check_versions,
    key_conflict,
    prepare,
    prepare_trusted,
    seal,
    seal_records,
    system_clock,
    utc_now,
    verify,
)
from creditflow.book._records import CASE_COLUMNS, EVENT_COLUMNS, decode_case, decode_event
from creditflow.book.rows import GENESIS, CaseRow, ClosedRows, NewEvent, StoredEvent
from creditflow.book.store import ChainReport
from creditflow.errors import BookCorrupt, BookUnavailable, Conflict, InvalidInput

__all__ = ["SCHEMA_VERSION", "SqliteStore", "migrate"]

_T = TypeVar("_T")

_APPLICATION_ID: Final = 0x43464C57  # "CFLW": marks the file as a creditflow book
_SYNCHRONOUS: Final = ("FULL", "NORMAL")
_BUSY_CODES: Final = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED (extended codes share the low byte)
_PAGE: Final = 2000  # rows fetched per query when iterating
_CHUNK: Final = 500  # case ids per IN (...) list, well below SQLite's variable limit

_MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    # 1: the event log (the truth) and the case projection.
    (
        """CREATE TABLE cases (
            case_id TEXT PRIMARY KEY NOT NULL,
            machine TEXT NOT NULL,
            kind TEXT NOT NULL,
            subject_id TEXT NOT NULL,
            state TEXT NOT NULL,
            version INTEGER NOT NULL CHECK (version > 0),
            closed INTEGER NOT NULL CHECK (closed IN (0, 1)),
            last_on TEXT NOT NULL,
            body TEXT NOT NULL
        )""",
        """CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL
                REFERENCES cases (case_id) DEFERRABLE INITIALLY DEFERRED,
            version INTEGER NOT NULL CHECK (version > 0),
            event TEXT NOT NULL,
            on_date TEXT NOT NULL,
            actor TEXT NOT NULL,
            data TEXT NOT NULL,
            idempotency_key TEXT UNIQUE,
            recorded_at TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (case_id, version)
        )""",
    ),
    # 2: indexes for a subject's cases and a machine's open cases (status, overdue).
    (
        "CREATE INDEX cases_by_subject ON cases (subject_id, case_id)",
        "CREATE INDEX cases_by_machine ON cases (machine, closed, case_id)",
    ),
    # 3: each event records the digest of the projection it produced (the hash covers it),
    # and the earliest business date is read from an index.
    (
        "ALTER TABLE events ADD COLUMN projection TEXT",
        "CREATE INDEX events_by_date ON events (on_date)",
    ),
    # 4: a subject's cases that bear on a status on a date, found by index seeks whatever the
    # length of its history: the open ones, those closed after the date, and those closed
    # by then of some machines or in some states (issue 20: checks flat in history).
    (
        "CREATE INDEX cases_bearing_by_date ON cases (subject_id, closed, last_on)",
        "CREATE INDEX cases_bearing_by_machine ON cases (subject_id, closed, machine, last_on)",
        "CREATE INDEX cases_bearing_by_state ON cases (subject_id, closed, state, last_on)",
    ),
)

_CHAINED_PROJECTIONS: Final = 3
"""The first schema whose event hashes cover projections: older books with events cannot be
brought to it without re-hashing their history, which is what tampering looks like."""

SCHEMA_VERSION: Final = len(_MIGRATIONS)
"""The schema version this creditflow writes; older files are migrated when opened."""

_EVENT_FIELDS = ", ".join(EVENT_COLUMNS)
_CASE_FIELDS = ", ".join(CASE_COLUMNS)
_INSERT_EVENT = (
    f"INSERT INTO events ({_EVENT_FIELDS}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
)
_INSERT_CASE = f"INSERT INTO cases ({_CASE_FIELDS}) VALUES ({', '.join('?' * len(CASE_COLUMNS))})"
_UPSERT_CASE = f"{_INSERT_CASE} ON CONFLICT (case_id) DO UPDATE SET " + ", ".join(
    f"{column} = excluded.{column}" for column in CASE_COLUMNS[1:]
)
# A case's identity never changes, nor mostly whether it is closed: an update that sets only
# what moves leaves the indexes on the other columns alone.
_UPDATE_CASE = "UPDATE cases SET state = ?, version = ?, last_on = ?, body = ? WHERE case_id = ?"
_UPDATE_CLOSED = (
    "UPDATE cases SET state = ?, version = ?, closed = ?, last_on = ?, body = ? WHERE case_id = ?"
)
_EVENTS_AFTER = (
    f"SELECT {_EVENT_FIELDS} FROM events WHERE seq <= ? AND seq > ? ORDER BY seq LIMIT ?"
)
_CASE_EVENTS_AFTER = (
    f"SELECT {_EVENT_FIELDS} FROM events "
    "WHERE case_id = ? AND seq <= ? AND seq > ? ORDER BY seq LIMIT ?"
)
_EVENT_BY_KEY = f"SELECT {_EVENT_FIELDS} FROM events WHERE idempotency_key = ?"
_HEAD = "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
_LAST_VERSIONS = "SELECT case_id, MAX(version) FROM events GROUP BY case_id"
_CASE = f"SELECT {_CASE_FIELDS} FROM cases WHERE case_id = ?"
_ALL_EVENTS = f"SELECT {_EVENT_FIELDS} FROM events ORDER BY seq"
_ALL_CASES = f"SELECT {_CASE_FIELDS} FROM cases ORDER BY case_id"
_EARLIEST = "SELECT min(on_date) FROM events"


class SqliteStore:
    """An :class:`~creditflow.book.store.EventStore` in one SQLite file.

    ``SqliteStore.open(path)`` (or ``SqliteStore(path)``) creates the book or opens it,
    migrating an older schema. Options:

    - ``synchronous="FULL"`` (default): every commit is flushed to disk before ``append``
      returns; nothing acknowledged is lost, even on power loss. ``"NORMAL"`` flushes at
      checkpoints only: several times faster for small transactions and still consistent
      after a crash of the process or the machine, but the last commits before a power loss
      may roll back.
    - ``timeout``: seconds a writer waits for another process's write to end (busy timeout).
    - ``retries``: how many times a transaction that still found the book locked is retried.
    - ``clock``: the source of ``recorded_at`` (default: the system clock in UTC).
    - ``read_only=True``: open an existing book without writing anything to its file (no
      creation, no migration, no change of journal mode); every write is refused. A missing,
      empty or foreign file, or a book of another schema version, is
      :class:`~creditflow.errors.InvalidInput`.

    One instance serves one thread; open one per process or thread. Close it, or use it as
    a context manager.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        synchronous: str = "FULL",
        timeout: float = 5.0,
        retries: int = 5,
        clock: Clock = system_clock,
        read_only: bool = False,
    ) -> None:
        self._path = os.fspath(path)
        self._retries = _checked_retries(retries)
        self._clock = clock
        self._read_only = read_only
        if read_only:
            self._db: sqlite3.Connection | None = _connect_read_only(self._path, timeout)
            return
        self._db = _connect(self._path, synchronous, timeout)
        try:
            self._found_version = _schema_version(self._db, self._path)
            if self._found_version < SCHEMA_VERSION:
                self._found_version = self._write(lambda db: _upgrade(db, self._path))
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        synchronous: str = "FULL",
        timeout: float = 5.0,
        retries: int = 5,
        clock: Clock = system_clock,
        read_only: bool = False,
    ) -> SqliteStore:
        """Create or open the book at ``path``; the options are those of the class."""
        return cls(
            path,
            synchronous=synchronous,
            timeout=timeout,
            retries=retries,
            clock=clock,
            read_only=read_only,
        )

    @property
    def path(self) -> str:
        """The file of the book."""
        return self._path

    def append(
        self,
        events: Sequence[NewEvent],
        cases: Sequence[CaseRow],
        *,
        expected: Mapping[str, int],
    ) -> list[StoredEvent]:
        """Append ``events`` after the head and upsert ``cases`` in one transaction.

        See :meth:`creditflow.book.store.EventStore.append`.
        """
        batch = prepare(events, cases, expected)
        try:
            return self._write(lambda db: self._append(db, batch))
        except sqlite3.IntegrityError as exc:
            conflict = self._key_conflict(batch)
            if conflict is None:  # a constraint the book did not expect: the database failed
                raise BookUnavailable(self._path, str(exc)) from exc
            raise conflict from None

    def append_trusted(
        self,
        events: Sequence[NewEvent],
        cases: Sequence[CaseRow],
        *,
        expected: Mapping[str, int],
    ) -> None:
        """:meth:`append` for the events and rows of a :class:`~creditflow.CreditBook`'s unit
        of work, which checked their shape itself: the same rows, hashes and errors in one
        transaction, the shape checks it made skipped, and no stored events returned. The
        rows of cases the book holds already keep their machine, kind and subject (a case's
        identity never changes): only the columns that move are written.

        A subclass that overrides :meth:`append` sees these appends there too.
        """
        if type(self).append is not SqliteStore.append:
            self.append(events, cases, expected=expected)
            return
        batch = prepare_trusted(events, cases, expected)
        try:
            self._write(lambda db: self._append_records(db, batch))
        except sqlite3.IntegrityError as exc:
            conflict = self._key_conflict(batch)
            if conflict is None:  # a constraint the book did not expect: the database failed
                raise BookUnavailable(self._path, str(exc)) from exc
            raise conflict from None

    def by_idempotency_key(self, key: str) -> StoredEvent | None:
        """The event appended with ``key``, if any."""
        record = self._connection().execute(_EVENT_BY_KEY, (key,)).fetchone()
        return None if record is None else decode_event(record)

    def case(self, case_id: str) -> CaseRow | None:
        """The projection of one case."""
        record = self._connection().execute(_CASE, (case_id,)).fetchone()
        return None if record is None else decode_case(record)

    def cases(
        self,
        *,
        subject_id: str | None = None,
        machine: str | None = None,
        open_only: bool = False,
        open_or: ClosedRows | None = None,
    ) -> Iterator[CaseRow]:
        """Case projections matching every filter given, in case id order; see
        :meth:`creditflow.book.store.EventStore.cases` for ``open_or``."""
        check_case_filters(subject_id, machine, open_only)
        if subject_id is not None and open_or is not None and machine is None and not open_only:
            sql, values = _bearing(subject_id, open_or)  # a status: a subject's rows are few
            return map(decode_case, self._connection().execute(sql, values).fetchall())
        where, params = _case_filter(subject_id, machine, open_only, open_or)
        sql = f"SELECT {_CASE_FIELDS} FROM cases WHERE {where} ORDER BY case_id LIMIT ?"
        return map(decode_case, self._pages(sql, params, ""))

    def has_cases(self, subject_id: str) -> bool:
        """True if any case of the subject is stored (answered from the subject index)."""
        sql = "SELECT 1 FROM cases WHERE subject_id = ? LIMIT 1"
        return self._connection().execute(sql, (subject_id,)).fetchone() is not None

    def events(self, *, case_id: str | None = None, after: int = 0) -> Iterator[StoredEvent]:
        """Events in ``seq`` order, those of one case if ``case_id`` is given, after ``after``.

        The events are those up to the head when the iteration starts; they are read a page
        at a time, holding no read transaction between pages.
        """
        check_event_filters(case_id, after)
        return map(decode_event, self._event_records(case_id, after))

    def head(self) -> tuple[int, str]:
        """The last ``seq`` and its hash (``(0, GENESIS)`` for an empty book)."""
        return _head(self._connection())

    def verify(self, *, anchors: Mapping[int, str] | None = None) -> ChainReport:
        """Recompute every hash and link, check ``anchors`` and every projection, in one read
        snapshot; report the first problem (see
        :meth:`creditflow.book.store.EventStore.verify`)."""
        db = self._connection()
        db.execute("BEGIN")
        try:
            return verify(_rows(db, _ALL_EVENTS), lambda: _rows(db, _ALL_CASES), anchors or {})
        finally:
            db.execute("COMMIT")

    def earliest_on(self) -> dt.date | None:
        """The earliest business date of any event (None for an empty book), from an index."""
        found = self._connection().execute(_EARLIEST).fetchone()[0]
        try:
            return None if found is None else dt.date.fromisoformat(found)
        except (TypeError, ValueError) as exc:
            raise BookCorrupt(f"an event's date {found!r} cannot be read: {exc}") from None

    def replace_cases(self, cases: Sequence[CaseRow]) -> None:
        """Replace every projection at once (a rebuild from the events), atomically.

        The rows must be one per case with events, each at the version of its last event;
        :class:`~creditflow.errors.InvalidInput` otherwise, and nothing changes.
        """

        def replace(db: sqlite3.Connection) -> None:
            records = check_rebuild(cases, dict(db.execute(_LAST_VERSIONS).fetchall()))
            db.execute("DELETE FROM cases")
            db.executemany(_INSERT_CASE, records)

        self._write(replace)

    def adopt(self, events: Sequence[StoredEvent], cases: Sequence[CaseRow]) -> None:
        """Append events another book hashed, keeping their hashes, and upsert ``cases``
        (``creditflow book copy``; see
        :meth:`creditflow.book.postgres_store.PostgresStore.adopt`)."""

        def work(db: sqlite3.Connection) -> None:
            records = adopted_records(_head(db), events)
            db.executemany(_UPSERT_CASE, adopted_cases(cases))
            db.executemany(_INSERT_EVENT, records)

        self._write(work)

    def close(self) -> None:
        """Close the connection (idempotent); a closed store refuses every call."""
        db, self._db = self._db, None
        if db is not None:
            db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise InvalidInput("the store is closed")
        return self._db

    def _append(self, db: sqlite3.Connection, batch: Batch) -> list[StoredEvent]:
        check_versions(batch.expected, _versions(db, batch.expected))
        stored, records = seal(batch, _head(db), utc_now(self._clock))
        db.executemany(_UPSERT_CASE, batch.cases)
        db.executemany(_INSERT_EVENT, records)
        return stored

    def _append_records(self, db: sqlite3.Connection, batch: Batch) -> None:
        """:meth:`_append` without the stored events, for a book's unit of work: a case's
        row is inserted when new, else only its columns that move are updated (a case keeps
        its machine, kind and subject), so that SQLite leaves the indexes of the others
        alone."""
        found = _states(db, batch.expected)
        check_versions(batch.expected, {case_id: state[0] for case_id, state in found.items()})
        records = seal_records(batch, _head(db), utc_now(self._clock))
        new, moved, closing = [], [], []
        for row in batch.cases:
            before = found.get(row[0])
            if before is None:
                new.append(row)
            elif before[1] == row[6]:
                moved.append((row[4], row[5], row[7], row[8], row[0]))
            else:
                closing.append((row[4], row[5], row[6], row[7], row[8], row[0]))
        db.executemany(_INSERT_CASE, new)
        db.executemany(_UPDATE_CASE, moved)
        if closing:
            db.executemany(_UPDATE_CLOSED, closing)
        db.executemany(_INSERT_EVENT, records)

    def _key_conflict(self, batch: Batch) -> Conflict | None:
        """The conflict of the first event whose idempotency key is stored, if any."""
        for event in batch.events:
            if event.idempotency_key is not None:
                existing = self.by_idempotency_key(event.idempotency_key)
                if existing is not None:
                    return key_conflict(event, existing)
        return None

    def _write(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run ``work`` in a write transaction, retrying while the book is locked;
        :class:`BookUnavailable` when it stays locked or the database fails."""
        if self._read_only:
            raise InvalidInput(f"the book {self._path} is open read-only: nothing was written")
        for attempt in range(self._retries + 1):
            try:
                return _transaction(self._connection(), work)
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise BookUnavailable(self._path, str(exc)) from exc
                if attempt == self._retries:
                    tries = f"{self._retries + 1} tries"
                    reason = f"{exc} (locked by another writer through {tries})"
                    raise BookUnavailable(self._path, reason) from exc
            time.sleep(min(0.05 * 2**attempt, 1.0) * random.uniform(0.5, 1.0))
        raise AssertionError("unreachable: the last try returns or raises")

    def _event_records(self, case_id: str | None, after: int) -> Iterator[tuple[Any, ...]]:
        """Event records after ``after`` up to the head as it is now, of one case or all."""
        bound = _head(self._connection())[0]
        if case_id is None:
            yield from self._pages(_EVENTS_AFTER, (bound,), after)
        else:
            yield from self._pages(_CASE_EVENTS_AFTER, (case_id, bound), after)

    def _pages(self, sql: str, params: tuple[Any, ...], start: Any) -> Iterator[tuple[Any, ...]]:
        """The rows of ``sql`` (ending ``... > ? ORDER BY <first column> LIMIT ?``) by page."""
        last = start
        while True:
            rows = self._connection().execute(sql, (*params, last, _PAGE)).fetchall()
            yield from rows
            if len(rows) < _PAGE:
                return
            last = rows[-1][0]


def migrate(path: str | os.PathLike[str], *, timeout: float = 5.0) -> tuple[int, int]:
    """Bring the book file at ``path`` to :data:`SCHEMA_VERSION`; ``(version before, after)``.

    The file must exist (:class:`~creditflow.errors.InvalidInput` if not, where
    :meth:`SqliteStore.open` would create a new book: a mistyped path must not leave an empty
    book behind); an empty SQLite file gets the schema. A file that is not a creditflow book,
    or of a newer schema, is refused as :meth:`SqliteStore.open` refuses it. Safe to run again
    and from several processes at once.
    """
    name = os.fspath(path)
    if not os.path.isfile(name):
        raise InvalidInput(
            f"{name}: no such file; creditflow book migrate changes an existing book "
            "(a new one is created when first opened)"
        )
    _file_version(name, timeout)  # refuses a file that is not a book before writing to it
    with SqliteStore.open(name, timeout=timeout) as store:
        # The version the upgrade found under its write lock: of two runs at once, one
        # reports the migration and the other a book already current.
        return store._found_version, SCHEMA_VERSION


def _open_file_read_only(path: str, timeout: float) -> sqlite3.Connection:
    """A connection to the existing file at ``path`` in SQLite's read-only mode."""
    uri = f"{pathlib.Path(path).absolute().as_uri()}?mode=ro"
    try:
        return sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise InvalidInput(f"{path} cannot be opened as a book: {exc}") from exc


def _file_version(path: str, timeout: float) -> int:
    """The schema version of the file at ``path``, read without writing to it."""
    db = _open_file_read_only(path, timeout)
    try:
        return _schema_version(db, path)
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{path} cannot be opened as a book: {exc}") from exc
    finally:
        db.close()


def _rows(db: sqlite3.Connection, sql: str) -> Iterator[tuple[Any, ...]]:
    """Every row of ``sql``, fetched a page at a time from one cursor (inside the caller's
    read transaction: verify sees every row, whatever its key, in one snapshot)."""
    cursor = db.execute(sql)
    while rows := cursor.fetchmany(_PAGE):
        yield from rows


def _checked_retries(retries: int) -> int:
    if ensure_int(retries, "retries") < 0:
        raise InvalidInput(f"retries must be 0 or more, got {retries}")
    return retries


def _transaction(db: sqlite3.Connection, work: Callable[[sqlite3.Connection], _T]) -> _T:
    """``work(db)`` inside ``BEGIN IMMEDIATE`` ... ``COMMIT``; rolled back if anything fails."""
    db.execute("BEGIN IMMEDIATE")
    try:
        result = work(db)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return result


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return code in _BUSY_CODES or "database is locked" in str(exc)


def _connect(path: str, synchronous: str, timeout: float) -> sqlite3.Connection:
    """A connection in autocommit mode with WAL, ``synchronous`` and foreign keys set."""
    if synchronous not in _SYNCHRONOUS:
        raise InvalidInput(f"synchronous must be one of {_SYNCHRONOUS}, got {synchronous!r}")
    try:
        db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise InvalidInput(f"{path} cannot be opened as a book: {exc}") from exc
    try:
        _check_upgradable(db, path, _schema_version(db, path))  # before anything is written
        _configure(db, path, synchronous)
    except sqlite3.DatabaseError as exc:
        db.close()
        if _is_busy(exc):
            raise BookUnavailable(path, f"{exc} (while opening it)") from exc
        raise InvalidInput(f"{path} cannot be opened as a book: {exc}") from exc
    except BaseException:
        db.close()
        raise
    return db


def _connect_read_only(path: str, timeout: float) -> sqlite3.Connection:
    """A connection that reads an existing book of this schema and never writes its file."""
    if not os.path.isfile(path):
        raise InvalidInput(f"{path}: no such file")
    if os.path.getsize(path) == 0:
        raise InvalidInput(f"{path} is empty: not a creditflow book")
    db = _open_file_read_only(path, timeout)
    try:
        db.execute("PRAGMA query_only = ON")
        version = _schema_version(db, path)
        if version == 0:
            raise InvalidInput(f"{path} is an empty SQLite database, not a creditflow book")
        _check_upgradable(db, path, version)
        if version != SCHEMA_VERSION:
            raise InvalidInput(
                f"{path} is a book of schema version {version}; this creditflow reads "
                f"version {SCHEMA_VERSION} read-only (open it for writing once to migrate it)"
            )
    except sqlite3.DatabaseError as exc:
        db.close()
        raise InvalidInput(f"{path} cannot be opened as a book: {exc}") from exc
    except BaseException:
        db.close()
        raise
    return db


def _configure(db: sqlite3.Connection, path: str, synchronous: str) -> None:
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise InvalidInput(f"{path} cannot use write-ahead logging (journal_mode is {mode})")
    db.execute(f"PRAGMA synchronous = {synchronous}")
    db.execute("PRAGMA foreign_keys = ON")


def _schema_version(db: sqlite3.Connection, path: str) -> int:
    """The schema version of the file; :class:`InvalidInput` if it is not a book we read."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    application = int(db.execute("PRAGMA application_id").fetchone()[0])
    if version == 0:
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if application == 0 and tables == 0:
            return 0
    if application != _APPLICATION_ID:
        raise InvalidInput(f"{path} is a SQLite file but not a creditflow book")
    if version > SCHEMA_VERSION:
        raise InvalidInput(
            f"{path} is a book of schema version {version}, newer than this creditflow reads "
            f"(up to {SCHEMA_VERSION}): open it with a newer creditflow"
        )
    return version


def _upgrade(db: sqlite3.Connection, path: str, target: int = SCHEMA_VERSION) -> int:
    """Apply the migrations from the file's version up to ``target``, inside a write
    transaction; the version found there."""
    found = _schema_version(db, path)  # again: another process may have migrated meanwhile
    _check_upgradable(db, path, found)
    for version in range(found + 1, target + 1):
        for statement in _MIGRATIONS[version - 1]:
            db.execute(statement)
    if found < target:
        db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {int(target)}")
    return found


def _check_upgradable(db: sqlite3.Connection, path: str, version: int) -> None:
    """:class:`InvalidInput` for a book of an older schema with events whose hashes do not
    cover their projections: re-hashing them is what tampering looks like."""
    if 0 < version < _CHAINED_PROJECTIONS and db.execute("SELECT 1 FROM events").fetchone():
        raise InvalidInput(
            f"{path} is a book of schema version {version} with events, written before event "
            "hashes covered projections; it cannot be upgraded without re-hashing its history. "
            "Keep reading it with the creditflow that wrote it"
        )


def _head(db: sqlite3.Connection) -> tuple[int, str]:
    row = db.execute(_HEAD).fetchone()
    return (0, GENESIS) if row is None else (row[0], row[1])


def _versions(db: sqlite3.Connection, case_ids: Iterable[str]) -> dict[str, int]:
    """The stored versions of those of ``case_ids`` that exist."""
    ids = list(case_ids)
    found: dict[str, int] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        found.update(
            db.execute(f"SELECT case_id, version FROM cases WHERE case_id IN ({marks})", chunk)
        )
    return found


def _states(db: sqlite3.Connection, case_ids: Iterable[str]) -> dict[str, tuple[int, int]]:
    """The stored version and ``closed`` of those of ``case_ids`` that exist."""
    ids = list(case_ids)
    found: dict[str, tuple[int, int]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT case_id, version, closed FROM cases WHERE case_id IN ({marks})"
        found.update(
            (case_id, (version, closed)) for case_id, version, closed in db.execute(sql, chunk)
        )
    return found


def _marks(count: int) -> str:
    """The placeholders of an ``IN (...)`` list of ``count`` values (``NULL``, matching
    nothing, for none)."""
    return ", ".join("?" * count) or "NULL"


def _bearing(subject_id: str, open_or: ClosedRows) -> tuple[str, tuple[Any, ...]]:
    """The query of a subject's cases an ``open_or`` filter keeps, in case id order, and its
    parameters: four disjoint index seeks (schema 4), so that a long history of closed cases
    that bear on nothing is never read."""
    after = open_or.after.isoformat()
    machines, states = tuple(sorted(open_or.machines)), tuple(sorted(open_or.states))
    opened = None if open_or.open_machines is None else tuple(sorted(open_or.open_machines))
    params = (
        subject_id, *(opened or ()), subject_id, after, subject_id, after, *machines, subject_id,
        after, *states, *machines,
    )  # fmt: skip
    return _bearing_sql(len(machines), len(states), None if opened is None else len(opened)), params


@functools.lru_cache(maxsize=64)
def _bearing_sql(machines: int, states: int, opened: int | None) -> str:
    """The text of :func:`_bearing`'s query for IN lists of these lengths."""
    in_machines, in_states = _marks(machines), _marks(states)
    in_opened = "" if opened is None else f" AND machine IN ({_marks(opened)})"
    branches = (  # each on the index that seeks it (SQLite would rather walk the subject's)
        ("cases_bearing_by_machine" if in_opened else "cases_bearing_by_date",
         f"closed = 0{in_opened}"),
        ("cases_bearing_by_date", "closed = 1 AND last_on > ?"),
        ("cases_bearing_by_machine", f"closed = 1 AND last_on <= ? AND machine IN ({in_machines})"),
        ("cases_bearing_by_state", f"closed = 1 AND last_on <= ? AND state IN ({in_states})"
         f" AND machine NOT IN ({in_machines})"),
    )  # fmt: skip
    selects = (
        f"SELECT {_CASE_FIELDS} FROM cases INDEXED BY {index} WHERE subject_id = ? AND {branch}"
        for index, branch in branches
    )
    return " UNION ALL ".join(selects) + " ORDER BY case_id"


def _case_filter(
    subject_id: str | None,
    machine: str | None,
    open_only: bool,
    open_or: ClosedRows | None = None,
) -> tuple[str, tuple[Any, ...]]:
    """The WHERE clause (ending in the paging condition) and parameters of a case query.

    A subject has few cases, a machine very many: given both, ``+machine`` keeps SQLite on the
    subject index.
    """
    terms: list[str] = []
    params: list[Any] = []
    if subject_id is not None:
        terms.append("subject_id = ?")
        params.append(subject_id)
    if machine is not None:
        terms.append("machine = ?" if subject_id is None else "+machine = ?")
        params.append(machine)
    if open_only:
        terms.append("closed = 0")
    if open_or is not None:
        machines = ", ".join("?" for _ in open_or.machines)
        states = ", ".join("?" for _ in open_or.states)
        opened = open_or.open_machines
        if opened is not None:
            terms.append(f"(closed = 1 OR machine IN ({_marks(len(opened))}))")
            params.extend(sorted(opened))
        terms.append(
            f"(closed = 0 OR last_on > ? OR machine IN ({machines}) OR state IN ({states}))"
        )
        params.append(open_or.after.isoformat())
        params.extend(sorted(open_or.machines) + sorted(open_or.states))
    terms.append("case_id > ?")
    return " AND ".join(terms), tuple(params)
