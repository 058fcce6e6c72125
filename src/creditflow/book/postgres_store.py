"""The PostgreSQL event store: one credit book shared by several application servers.

Every column holds exactly the text the SQLite store holds (dates and times as ISO text, data
and bodies as canonical JSON), so a book's hashes and projection digests are the same bytes on
both stores and ``creditflow book copy`` keeps them. Text columns compare with the ``"C"``
collation: case ids sort by code point, as in every store.

One global hash chain: an append is one statement in autocommit, a call of the function
``creditflow_append_v4`` (schema 4), which takes the transaction-scoped advisory lock of the
book's schema (``pg_advisory_xact_lock(creditflow_chain_key())``), reads the versions of its
cases and the head, chains, and writes the events and the case rows with one set-based
``INSERT`` each; the server releases the lock at the statement's commit (after its WAL flush
in the default strict mode; at once in grouped mode, where the store then waits for the flush
before returning). The client sends each event's data once and its hash input in pieces
around the data, ``prev_hash`` and ``seq``, as binary parameters, and recomputes every hash
the server returns with :func:`~creditflow.book.encoding.event_digest`.

The database enforces what the code checks: one event per (case, version), one event per
idempotency key, one event per ``prev_hash`` (no fork of the chain). Readers never wait for
writers (MVCC); ``verify`` reads in one ``REPEATABLE READ`` snapshot.

Every psycopg error is turned into a typed error at one place (``_postgres_connect.typed``):
:class:`~creditflow.errors.Conflict` for a stale version or a used key,
:class:`~creditflow.errors.BookUnavailable` for a lost connection, a server shutting down, a
lock timeout or a read-only replica, :class:`~creditflow.errors.BookCorrupt` for data the
server found damaged, :class:`~creditflow.errors.InvalidInput` for a value PostgreSQL cannot
hold or a connection parameter libpq refuses. The schema's versions are rows of
``creditflow_migrations``. All SQL of the store's queries lives in this module, the schema in
``_postgres_schema``; psycopg is imported only when the store is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self, TypeVar

from creditflow._validation import check_case_filters, check_event_filters, ensure_int
from creditflow.book._adopt import adopted_cases, adopted_records
from creditflow.book._chain import (
    Batch,
    Clock,
    check_rebuild,
    key_conflict,
    prepare,
    seal,
    system_clock,
    utc_now,
    verify,
)
from creditflow.book._postgres_connect import (
    COMMIT_MODES,
    CommitMode,
    Connection,
    commit_mode_of,
    conninfo_of,
    display,
    first_line,
    milliseconds,
    positive,
    typed,
)
from creditflow.book._postgres_schema import (
    SCHEMA_VERSION,
    STALE_VERSION,
    check_encoding,
    migrate,
    schema_version,
    upgrade,
)
from creditflow.book._records import CASE_COLUMNS, EVENT_COLUMNS, decode_case, decode_event
from creditflow.book.encoding import event_input_parts
from creditflow.book.rows import GENESIS, CaseRow, ClosedRows, NewEvent, StoredEvent
from creditflow.book.store import ChainReport
from creditflow.errors import BookCorrupt, BookUnavailable, Conflict, InvalidInput, MissingExtra

try:
    import psycopg
    from psycopg import sql as _sql
except ModuleNotFoundError as _missing:  # pragma: no cover - the postgres extra is absent
    raise MissingExtra("postgres", "psycopg", "the PostgreSQL store") from _missing

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

__all__ = [
    "SCHEMA_VERSION",
    "PostgresStore",
    "migrate",
    "schema_version",
]

_T = TypeVar("_T")

_PAGE: Final = 2000  # rows fetched per query when iterating

_EVENT_FIELDS = ", ".join(EVENT_COLUMNS)
_CASE_FIELDS = ", ".join(CASE_COLUMNS)
_INSERT_EVENT = (
    f"INSERT INTO creditflow_events ({_EVENT_FIELDS}) "
    f"VALUES ({', '.join(['%s'] * len(EVENT_COLUMNS))})"
)
_INSERT_CASE = (
    f"INSERT INTO creditflow_cases ({_CASE_FIELDS}) "
    f"VALUES ({', '.join(['%s'] * len(CASE_COLUMNS))})"
)
_UPSERT_CASE = f"{_INSERT_CASE} ON CONFLICT (case_id) DO UPDATE SET " + ", ".join(
    f"{column} = excluded.{column}" for column in CASE_COLUMNS[1:]
)
_HEAD = "SELECT seq, hash FROM creditflow_events ORDER BY seq DESC LIMIT 1"
# Binary parameters (%b): psycopg dumps a list of str as a text array by quoting and escaping
# every element in Python, which took most of a batch's time (JSON is full of quotes); the
# binary array format sends each element as its bytes.
_APPEND = (
    "SELECT r_seq, r_prev, r_hash FROM creditflow_append_v4("
    "%b::text[], %b::integer[], %b::text[], %b::integer[], %b::text[], %b::text[], %b::text[], "
    "%b::text[], %b::text[], %b::text, %b::text[], %b::text[], %b::text[], %b::text[], "
    "%b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::integer[], "
    "%b::smallint[], %b::text[], %b::text[])"
)
# Grouped commits: the append's own transaction commits without waiting for its WAL flush
# (set_config(..., true) is SET LOCAL: it lasts to the end of this statement's transaction,
# and the commit reads it), so the server releases the chain lock at once; then _FLUSH, a
# transaction committed with the session's synchronous_commit, waits for the WAL up to its
# own commit record, which lies after the append's (WAL is one ordered stream). It must
# have an XID *and* write WAL of its own: PostgreSQL commits a transaction that wrote no WAL
# asynchronously even if it has an XID (RecordTransactionCommit samples wrote_xlog before
# the commit record), so a bare txid_current() flushes nothing (the crash test caught it).
# A transactional logical message of no content does both, and any role may send it.
# Concurrent flushes of many backends are grouped by the server (one fsync for all).
_APPEND_GROUPED = _APPEND.replace(
    "SELECT r_seq, r_prev, r_hash FROM",
    "SELECT r_seq, r_prev, r_hash, set_config('synchronous_commit', 'off', true) FROM",
)
_FLUSH = "SELECT pg_logical_emit_message(true, 'creditflow', '')"
_CHAIN_LOCK = "SELECT pg_advisory_xact_lock(creditflow_chain_key())"
_LAST_VERSIONS = "SELECT case_id, max(version) FROM creditflow_events GROUP BY case_id"
_EVENTS_AFTER = (
    f"SELECT {_EVENT_FIELDS} FROM creditflow_events WHERE seq <= %s AND seq > %s "
    "ORDER BY seq LIMIT %s"
)
_CASE_EVENTS_AFTER = (
    f"SELECT {_EVENT_FIELDS} FROM creditflow_events "
    "WHERE case_id = %s AND seq <= %s AND seq > %s ORDER BY seq LIMIT %s"
)
_EVENT_BY_KEY = f"SELECT {_EVENT_FIELDS} FROM creditflow_events WHERE idempotency_key = %s"
_CASE = f"SELECT {_CASE_FIELDS} FROM creditflow_cases WHERE case_id = %s"
_ALL_EVENTS = f"SELECT {_EVENT_FIELDS} FROM creditflow_events ORDER BY seq"
_ALL_CASES = f"SELECT {_CASE_FIELDS} FROM creditflow_cases ORDER BY case_id"
_EARLIEST = "SELECT min(on_date) FROM creditflow_events"
_EVENTS_FROM_VERSION = (
    f"SELECT {_EVENT_FIELDS} FROM creditflow_events WHERE seq >= (SELECT seq FROM "
    "creditflow_events WHERE case_id = %s AND version = %s) ORDER BY seq LIMIT %s"
)


class PostgresStore:
    """An :class:`~creditflow.book.store.EventStore` in a PostgreSQL database.

    ``PostgresStore.open(url)`` connects and creates the schema on first use (when the role
    may create tables; otherwise run ``creditflow book migrate URL`` as one that may), or
    applies the forward migrations an older schema lacks. ``url`` is a libpq connection
    string: ``postgresql://user@host:5432/db``, ``postgresql://`` (everything from the
    ``PG*`` environment variables), or ``postgresql+unix://user@/run/postgresql/db`` (a
    Unix-socket directory, then the database name). Options:

    - ``pool_size``: share a :class:`psycopg_pool.ConnectionPool` of up to that many
      connections between the threads of a server (one connection, reopened after a loss,
      when None). The store owns the pool and closes it.
    - ``lock_timeout``: seconds an append waits for the chain lock before
      :class:`~creditflow.errors.BookUnavailable`.
    - ``connect_timeout``: seconds to wait for the server when connecting.
    - ``clock``: the source of ``recorded_at`` (default: the system clock in UTC).
    - ``read_only=True``: every session is read-only and every write is refused; the schema
      must be the current one (nothing is migrated).
    - ``migrate=False``: refuse a database without the current schema instead of migrating.
    - ``commit``: ``"strict"`` (the default) or ``"grouped"``, also given as the URL's query
      parameter ``commit=grouped``. Strict holds the chain lock through the commit's WAL
      flush; grouped releases it at the commit and waits for the flush (shared with other
      writers') before the append returns, so many writers append faster, and another reader
      may see an append up to one WAL flush before it is durable (docs/postgres.md, "Commit
      modes"). Either way an append that returned is durable. Only appends are grouped;
      :meth:`adopt` and :meth:`replace_cases` always commit as in strict mode.

    Without a pool one instance serves one thread; with a pool it serves many. Close it, or
    use it as a context manager.
    """

    def __init__(
        self,
        url: str,
        *,
        clock: Clock = system_clock,
        read_only: bool = False,
        pool_size: int | None = None,
        lock_timeout: float = 5.0,
        connect_timeout: float = 10.0,
        migrate: bool = True,
        commit: CommitMode | None = None,
    ) -> None:
        self._commit = _commit_mode(url, commit)
        self._conninfo = conninfo_of(url)
        self._where = display(self._conninfo)
        self._clock = clock
        self._read_only = read_only
        self._lock_ms = milliseconds(lock_timeout, "lock_timeout")
        self._connect_timeout = max(1, round(positive(connect_timeout, "connect_timeout")))
        self._db: Connection | None = None
        self._pool: ConnectionPool[Connection] | None = None
        self._closed = False
        try:
            self._run(self._check_schema(migrate))  # on one connection: its errors are typed
            if pool_size is not None:
                self._pool = self._open_pool(pool_size)
                db, self._db = self._db, None
                if db is not None:
                    db.close()
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(
        cls,
        url: str,
        *,
        clock: Clock = system_clock,
        read_only: bool = False,
        pool_size: int | None = None,
        lock_timeout: float = 5.0,
        connect_timeout: float = 10.0,
        migrate: bool = True,
        commit: CommitMode | None = None,
    ) -> PostgresStore:
        """Connect to the book at ``url``; the options are those of the class."""
        return cls(
            url,
            clock=clock,
            read_only=read_only,
            pool_size=pool_size,
            lock_timeout=lock_timeout,
            connect_timeout=connect_timeout,
            migrate=migrate,
            commit=commit,
        )

    @property
    def where(self) -> str:
        """The book's address as a URL, without its password."""
        return self._where

    @property
    def commit(self) -> CommitMode:
        """How appends commit: ``"strict"`` or ``"grouped"`` (see the class)."""
        return self._commit

    # -- the EventStore protocol -----------------------------------------------------------

    def append(
        self,
        events: Sequence[NewEvent],
        cases: Sequence[CaseRow],
        *,
        expected: Mapping[str, int],
    ) -> list[StoredEvent]:
        """Append ``events`` after the head and upsert ``cases`` in one transaction.

        See :meth:`creditflow.book.store.EventStore.append`. If the connection is lost while
        committing, the store reconnects once to learn whether the commit happened: it
        returns the events if it did, and raises :class:`BookUnavailable` if not or if the
        server cannot be reached (then retry with the same idempotency key: a retry of an
        append that was written finds its key). In grouped mode it returns only once the
        append's commit is flushed, as in strict mode.
        """
        batch = prepare(events, cases, expected)
        self._check_writable()
        recorded_at = utc_now(self._clock)
        try:
            return self._run(
                lambda db: self._append(db, batch, recorded_at),
                raw=(_CommitLost, psycopg.IntegrityError),
            )
        except _CommitLost as lost:
            return self._resolve(batch, recorded_at, lost)
        except psycopg.IntegrityError as exc:
            raise self._integrity_conflict(batch, exc) from None

    def by_idempotency_key(self, key: str) -> StoredEvent | None:
        """The event appended with ``key``, if any. In grouped mode an event found is first
        made durable (its commit's flush waited for): a retry that finds its key acknowledges
        nothing a crash could still take away. A read-only store writes nothing, so it does
        not wait (it acknowledges no append)."""

        def find(db: Connection) -> tuple[Any, ...] | None:
            record = db.execute(_EVENT_BY_KEY, (key,)).fetchone()
            if record is not None and self._commit == "grouped" and not self._read_only:
                db.execute(_FLUSH)  # a reader writes nothing, not even the flush's WAL
            return record

        record = self._run(find)
        return None if record is None else decode_event(record)

    def case(self, case_id: str) -> CaseRow | None:
        """The projection of one case."""
        record = self._run(lambda db: db.execute(_CASE, (case_id,)).fetchone())
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
        self._check_open()
        where, params = _case_filter(subject_id, machine, open_only, open_or)
        sql = f"SELECT {_CASE_FIELDS} FROM creditflow_cases WHERE {where} ORDER BY case_id LIMIT %s"
        return map(decode_case, self._pages(sql, params, ""))

    def has_cases(self, subject_id: str) -> bool:
        """True if any case of the subject is stored (answered from the subject index)."""
        sql = "SELECT 1 FROM creditflow_cases WHERE subject_id = %s LIMIT 1"
        return self._run(lambda db: db.execute(sql, (subject_id,)).fetchone()) is not None

    def events(self, *, case_id: str | None = None, after: int = 0) -> Iterator[StoredEvent]:
        """Events in ``seq`` order, those of one case if ``case_id`` is given, after ``after``.

        The events are those up to the head when the iteration starts; they are read a page
        at a time, holding no transaction between pages.
        """
        check_event_filters(case_id, after)
        self._check_open()
        return map(decode_event, self._event_records(case_id, after))

    def head(self) -> tuple[int, str]:
        """The last ``seq`` and its hash (``(0, GENESIS)`` for an empty book)."""
        return self._run(_head)

    def verify(self, *, anchors: Mapping[int, str] | None = None) -> ChainReport:
        """Recompute every hash and link, check ``anchors`` and every projection, in one
        ``REPEATABLE READ`` snapshot; report the first problem (see
        :meth:`creditflow.book.store.EventStore.verify`)."""

        def check(db: Connection) -> ChainReport:
            db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                return verify(
                    _streamed(db, _ALL_EVENTS, "creditflow_verify_events"),
                    lambda: _streamed(db, _ALL_CASES, "creditflow_verify_cases"),
                    anchors or {},
                )
            finally:
                if not db.broken:
                    db.execute("COMMIT")

        return self._run(check)

    def earliest_on(self) -> dt.date | None:
        """The earliest business date of any event (None for an empty book), from an index."""
        found = self._run(lambda db: db.execute(_EARLIEST).fetchone())
        value = None if found is None else found[0]
        try:
            return None if value is None else dt.date.fromisoformat(value)
        except (TypeError, ValueError) as exc:
            raise BookCorrupt(f"an event's date {value!r} cannot be read: {exc}") from None

    def replace_cases(self, cases: Sequence[CaseRow]) -> None:
        """Replace every projection at once (a rebuild from the events), atomically.

        The rows must be one per case with events, each at the version of its last event;
        :class:`~creditflow.errors.InvalidInput` otherwise, and nothing changes.
        """
        self._check_writable()

        def replace(db: Connection) -> None:
            db.execute(_CHAIN_LOCK)
            records = check_rebuild(cases, dict(db.execute(_LAST_VERSIONS).fetchall()))
            db.execute("DELETE FROM creditflow_cases")
            with db.cursor() as cursor:
                cursor.executemany(_INSERT_CASE, records)

        self._run(lambda db: self._write(db, lambda: replace(db)))

    def adopt(self, events: Sequence[StoredEvent], cases: Sequence[CaseRow]) -> None:
        """Append events another book hashed, keeping their hashes, and upsert ``cases``.

        Used by ``creditflow book copy``: each event's hash is recomputed and must match,
        and the events must continue this book's chain (:class:`InvalidInput` if not;
        nothing is written). ``cases`` are the source's rows of the cases touched; the copy
        checks them with :meth:`verify` when every event is in.
        """
        self._check_writable()

        def work(db: Connection) -> None:
            db.execute(_CHAIN_LOCK)
            records = adopted_records(_head(db), events)
            with db.cursor() as cursor:
                cursor.executemany(_UPSERT_CASE, adopted_cases(cases))
                cursor.executemany(_INSERT_EVENT, records)

        self._run(lambda db: self._write(db, lambda: work(db)))

    def close(self) -> None:
        """Close the connection or the pool (idempotent); a closed store refuses every call."""
        self._closed = True
        db, self._db = self._db, None
        pool, self._pool = self._pool, None
        if db is not None:
            db.close()
        if pool is not None:
            pool.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- connections and errors -------------------------------------------------------------

    def _run(
        self, work: Callable[[Connection], _T], *, raw: tuple[type[Exception], ...] = ()
    ) -> _T:
        """``work`` on a connection; every psycopg error becomes a typed one, here, but those
        of the ``raw`` types, which the caller resolves knowing what it wrote."""
        self._check_open()
        try:
            with self._connection() as db:
                return work(db)
        except raw:
            raise
        except _CommitLost as lost:  # a copy's or a rebuild's COMMIT: not resolved here
            raise self._outcome_unknown(lost) from lost.cause
        except psycopg.Error as exc:
            raise typed(exc, self._where) from exc

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Connection]:
        if self._pool is not None:
            with self._pool.connection() as pooled:
                yield pooled
            return
        if self._db is None or self._db.closed or self._db.broken:
            if self._db is not None:
                self._db.close()
            self._db = None
            self._db = self._connect()
        yield self._db

    def _connect(self) -> Connection:
        db = psycopg.connect(self._conninfo, **self._connection_options())
        try:
            self._configure(db)
        except BaseException:
            db.close()
            raise
        return db

    def _connection_options(self) -> dict[str, Any]:
        # No server-side prepared statements: once, in the contract's race, a connection whose
        # pipelined append a key conflict had aborted named a prepared statement the server did
        # not have. Unprepared, a check() costs about 0.25 ms more (measured); a pooler in
        # transaction mode then needs nothing either.
        return {
            "autocommit": True,
            "connect_timeout": self._connect_timeout,
            "prepare_threshold": None,
        }

    def _configure(self, db: Connection) -> None:
        db.execute(_sql.SQL("SET lock_timeout = {}").format(_sql.Literal(f"{self._lock_ms}ms")))
        if self._read_only:
            db.execute("SET default_transaction_read_only = on")

    def _open_pool(self, size: int) -> ConnectionPool[Connection]:
        if ensure_int(size, "pool_size") < 1:
            raise InvalidInput(f"pool_size must be 1 or more, got {size}")
        try:
            from psycopg_pool import ConnectionPool
        except ModuleNotFoundError as missing:
            raise MissingExtra("postgres", "psycopg_pool", "a pooled PostgreSQL store") from missing
        pool: ConnectionPool[Connection] = ConnectionPool(
            self._conninfo,
            min_size=1,
            max_size=size,
            kwargs=self._connection_options(),
            configure=self._configure,
            timeout=self._connect_timeout,
            open=False,
            name="creditflow",
        )
        try:
            pool.open(wait=True, timeout=self._connect_timeout)
        except BaseException as exc:
            pool.close()
            raise BookUnavailable(self._where, f"the pool could not connect: {exc}") from exc
        return pool

    def _check_open(self) -> None:
        if self._closed:
            raise InvalidInput("the store is closed")

    def _check_writable(self) -> None:
        self._check_open()
        if self._read_only:
            raise InvalidInput(f"the book {self._where} is open read-only: nothing was written")

    def _check_schema(self, migrate: bool) -> Callable[[Connection], None]:
        def check(db: Connection) -> None:
            check_encoding(db, self._where)
            version = schema_version(db)
            if version > SCHEMA_VERSION:
                raise InvalidInput(
                    f"{self._where} holds a book of schema version {version}, newer than this "
                    f"creditflow reads (up to {SCHEMA_VERSION}): use a newer creditflow"
                )
            if version == SCHEMA_VERSION:
                return
            if self._read_only or not migrate:
                why = "open read-only" if self._read_only else "opened with migrate=False"
                raise InvalidInput(
                    f"{self._where} holds a book of schema version {version}, not "
                    f"{SCHEMA_VERSION}, and it is {why}: run creditflow book migrate first"
                )
            upgrade(db, self._where)

        return check

    @staticmethod
    def _write(db: Connection, work: Callable[[], _T]) -> _T:
        """``work()`` in a transaction; a failed COMMIT on a lost connection is
        :class:`_CommitLost` (whether it committed is unknown)."""
        db.execute("BEGIN")
        try:
            result = work()
        except BaseException:
            if not db.broken and not db.closed:
                db.execute("ROLLBACK")
            raise
        try:
            db.execute("COMMIT")
        except psycopg.OperationalError as exc:
            if db.broken or db.closed:
                raise _CommitLost(exc) from exc
            raise
        return result

    def _append(self, db: Connection, batch: Batch, recorded_at: dt.datetime) -> list[StoredEvent]:
        """The append in one statement and one round trip: ``creditflow_append_v4`` takes the
        chain lock, checks the versions, chains, writes and returns each event's ``seq``,
        ``prev_hash`` and hash; in autocommit the statement is its own transaction, so the
        server releases the lock at its commit without waiting for this client."""
        if not batch.events and not batch.expected:
            return []
        grouped = self._commit == "grouped" and bool(batch.events)
        try:
            rows = db.execute(
                _APPEND_GROUPED if grouped else _APPEND, _append_arguments(batch, recorded_at)
            ).fetchall()
        except psycopg.Error as exc:
            if db.broken or db.closed:  # sent, perhaps committed: the caller finds out
                raise _CommitLost(exc) from exc
            if exc.sqlstate == STALE_VERSION:
                raise _stale(exc, self._where) from None
            raise
        if grouped:
            try:
                db.execute(_FLUSH)
            except psycopg.Error as exc:  # committed, perhaps not flushed: the caller finds out
                live = not (db.broken or db.closed)
                raise _CommitLost(exc, _FLUSH_REFUSED if live else _LOST) from exc
        if not batch.events:
            return []
        if len(rows) != len(batch.events) or not rows:
            raise BookCorrupt(
                f"the server of {self._where} returned {len(rows)} events for an append of "
                f"{len(batch.events)}: nothing it returned is trusted; verify the book "
                "(creditflow verify)"
            )
        return self._checked(batch, recorded_at, [(row[0], row[1], row[2]) for row in rows])

    def _checked(
        self, batch: Batch, recorded_at: dt.datetime, placed: Sequence[tuple[int, str, str]]
    ) -> list[StoredEvent]:
        """The events of ``batch`` as the server placed them (``(seq, prev_hash, hash)``
        each), every hash recomputed with :func:`~creditflow.book.encoding.event_digest`;
        :class:`BookCorrupt` on any difference."""
        first_seq, first_prev, _ = placed[0]
        stored, _ = seal(batch, (first_seq - 1, first_prev), recorded_at)
        for event, (seq, prev_hash, digest) in zip(stored, placed, strict=True):
            if (event.seq, event.prev_hash, event.hash) != (seq, prev_hash, digest):
                raise BookCorrupt(
                    f"the server of {self._where} wrote it after {prev_hash} with hash "
                    f"{digest}, but docs/book.md's encoding gives event {event.seq} after "
                    f"{event.prev_hash} with hash {event.hash}: nothing it returned is trusted",
                    seq=seq,
                )
        return stored

    def _resolve(
        self, batch: Batch, recorded_at: dt.datetime, commit: _CommitLost
    ) -> list[StoredEvent]:
        """After the connection was lost during an append (or, grouped, the flush was
        refused): the events if they were written.

        The server placed them, so their ``seq`` is not known here: the append's first event
        is looked up by its (case, version), and the events from it on must be those of the
        batch, field by field (``recorded_at`` included, to the microsecond); the append was
        one transaction, so either all of them are there or none.
        """
        cause = commit.cause
        lost = BookUnavailable(self._where, f"{commit.what}: {first_line(cause)}")
        if not batch.events:
            raise lost from cause
        first = batch.events[0]
        query = (first.case_id, first.version, len(batch.events))
        try:
            found = self._run(lambda db: db.execute(_EVENTS_FROM_VERSION, query).fetchall())
        except BookUnavailable as again:
            what = "cannot be reached to learn whether the change was written"
            raise self._lost_again(lost, commit, what, again) from cause
        if self._commit == "grouped" and found:
            try:  # found is committed; returned, it must be durable too
                self._run(lambda db: db.execute(_FLUSH))
            except BookUnavailable as again:
                what = "again while waiting for the commit to be flushed"
                raise self._lost_again(lost, commit, what, again) from cause
        recorded = recorded_at.isoformat()
        wanted = [
            (event.case_id, event.version, event.event, event.on.isoformat(), event.actor, data,
             event.idempotency_key, recorded, projection)
            for event, data, projection in zip(
                batch.events, batch.data, batch.projections, strict=True
            )
        ]  # fmt: skip
        if [(*row[1:9], row[10]) for row in found] != wanted:
            raise lost from cause
        return self._checked(batch, recorded_at, [(row[0], row[9], row[11]) for row in found])

    def _outcome_unknown(self, commit: _CommitLost) -> BookUnavailable:
        """The connection was lost during a ``COMMIT`` nobody looks up: it may have committed."""
        error = BookUnavailable(self._where, first_line(commit.cause))
        error.message = (
            f"the book {self._where} lost the connection while committing ({commit.what}: "
            f"{first_line(commit.cause)}), so whether the change was written is not known: "
            "do it again (a book copy resumes, a rebuild replaces the projections again)"
        )
        error.args = (error.message,)
        return error

    def _lost_again(
        self, lost: BookUnavailable, commit: _CommitLost, what: str, again: BookUnavailable
    ) -> BookUnavailable:
        """``lost``, saying what went wrong while committing and ``what`` when asked
        afterwards."""
        lost.message = (
            f"the book {self._where} failed while committing ({commit.what}: "
            f"{first_line(commit.cause)}) and {what} ({again.reason}): retry it with the same "
            "idempotency key"
        )
        lost.args = (lost.message,)
        return lost

    def _integrity_conflict(self, batch: Batch, exc: psycopg.IntegrityError) -> Exception:
        """The typed error of a constraint the database enforced during an append."""
        constraint = exc.diag.constraint_name
        if constraint == "creditflow_events_key":
            for event in batch.events:
                if event.idempotency_key is not None:
                    existing = self.by_idempotency_key(event.idempotency_key)
                    if existing is not None:
                        return key_conflict(event, existing)
        if constraint == "creditflow_events_version":
            stored = {
                case_id: row.version
                for case_id in batch.expected
                if (row := self.case(case_id)) is not None
            }
            for case_id in sorted(batch.expected):
                if stored.get(case_id, 0) != batch.expected[case_id]:
                    return Conflict(case_id, batch.expected[case_id], stored.get(case_id, 0))
        if constraint in ("creditflow_events_pkey", "creditflow_events_link"):
            return BookUnavailable(
                self._where,
                "another writer appended at the same place of the chain without waiting for "
                f"this book's chain lock ({first_line(exc)}): retry",
            )
        return typed(exc, self._where)

    def _event_records(self, case_id: str | None, after: int) -> Iterator[tuple[Any, ...]]:
        bound = self.head()[0]
        if case_id is None:
            yield from self._pages(_EVENTS_AFTER, (bound,), after)
        else:
            yield from self._pages(_CASE_EVENTS_AFTER, (case_id, bound), after)

    def _pages(self, sql: str, params: tuple[Any, ...], start: Any) -> Iterator[tuple[Any, ...]]:
        """The rows of ``sql`` (ending ``... > %s ORDER BY <first column> LIMIT %s``) by page."""
        last = start
        while True:
            bound = (*params, last, _PAGE)
            rows = self._run(lambda db: db.execute(sql, bound).fetchall())  # noqa: B023
            yield from rows
            if len(rows) < _PAGE:
                return
            last = rows[-1][0]


def _commit_mode(url: str, commit: object) -> CommitMode:
    """The commit mode of the ``commit`` option and the URL's ``commit`` parameter (strict
    when neither names one); :class:`InvalidInput` if they differ or name no mode."""
    given = commit_mode_of(url)
    if commit is None:
        return given or "strict"
    if commit not in COMMIT_MODES:
        raise InvalidInput(f"commit must be one of {', '.join(COMMIT_MODES)}, got {commit!r}")
    if given is not None and given != commit:
        raise InvalidInput(f"commit={commit!r} but the URL says commit={given!r}: give one")
    return commit


_LOST = "the connection was lost"
_FLUSH_REFUSED = "the append committed, but the wait for its WAL flush was refused"


class _CommitLost(Exception):
    """The connection broke during COMMIT (the transaction may or may not have committed),
    or, grouped, the flush after a commit failed (``what`` says which)."""

    def __init__(self, cause: psycopg.Error, what: str = _LOST) -> None:
        super().__init__(str(cause))
        self.cause, self.what = cause, what


def _append_arguments(batch: Batch, recorded_at: dt.datetime) -> tuple[Any, ...]:
    """The arguments of ``creditflow_append_v4`` for ``batch`` (see ``_postgres_schema``):
    each event's data goes once, the hash input around it in four pieces."""
    recorded = recorded_at.isoformat()
    expected = sorted(batch.expected.items())
    events = batch.events
    ons = [event.on.isoformat() for event in events]
    pieces = [
        event_input_parts(
            (event.case_id, event.version, event.event, on, event.actor, data,
             event.idempotency_key, recorded, projection)
        )
        for event, on, data, projection in zip(
            events, ons, batch.data, batch.projections, strict=True
        )
    ]  # fmt: skip
    rows: list[tuple[Any, ...]] = list(zip(*batch.cases, strict=True)) or [()] * 9
    return (
        [case_id for case_id, _ in expected],
        [version for _, version in expected],
        [event.case_id for event in events],
        [event.version for event in events],
        [event.event for event in events],
        ons,
        [event.actor for event in events],
        list(batch.data),
        [event.idempotency_key for event in events],
        recorded,
        list(batch.projections),
        [piece[0] for piece in pieces],
        [piece[1] for piece in pieces],
        [piece[2] for piece in pieces],
        [piece[3] for piece in pieces],
        *(list(column) for column in rows),
    )


def _stale(exc: psycopg.Error, where: str) -> Exception:
    """The :class:`Conflict` of ``creditflow_append_v4``'s stale-version error."""
    try:
        case_id, expected, actual = json.loads(exc.diag.message_detail or "")
        return Conflict(str(case_id), int(expected), int(actual))
    except (TypeError, ValueError):
        return typed(exc, where)


def _head(db: Connection) -> tuple[int, str]:
    row = db.execute(_HEAD).fetchone()
    return (0, GENESIS) if row is None else (row[0], row[1])


def _streamed(db: Connection, sql: str, name: str) -> Iterator[tuple[Any, ...]]:
    """Every row of ``sql`` through a server-side cursor (inside the caller's transaction)."""
    with db.cursor(name=name) as cursor:
        cursor.itersize = _PAGE
        cursor.execute(sql)  # constant SQL
        yield from cursor


def _case_filter(
    subject_id: str | None,
    machine: str | None,
    open_only: bool,
    open_or: ClosedRows | None,
) -> tuple[str, tuple[Any, ...]]:
    """The WHERE clause (ending in the paging condition) and parameters of a case query."""
    terms: list[str] = []
    params: list[Any] = []
    if subject_id is not None:
        terms.append("subject_id = %s")
        params.append(subject_id)
    if machine is not None:
        terms.append("machine = %s")
        params.append(machine)
    if open_only:
        terms.append("closed = 0")
    if open_or is not None:
        if open_or.open_machines is not None:
            terms.append("(closed = 1 OR machine = ANY(%s))")
            params.append(sorted(open_or.open_machines))
        terms.append("(closed = 0 OR last_on > %s OR machine = ANY(%s) OR state = ANY(%s))")
        params.extend([open_or.after.isoformat(), sorted(open_or.machines), sorted(open_or.states)])
    terms.append("case_id > %s")
    return " AND ".join(terms), tuple(params)
