"""The PostgreSQL store on a real server of the tests' own: URLs, schema and grants, the same
hashes as SQLite, and faults: a killed backend, a held lock, a read-only server, a crash."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from _spawn import spawn

from _people import ME, SUBJECT
from creditflow.book import (
    CreditBook,
    EventStore,
    SqliteStore,
    _postgres_schema,
    open_store,
    postgres_store,
)
from creditflow.book._chain import prepare
from creditflow.book.postgres_store import SCHEMA_VERSION, PostgresStore, migrate
from creditflow.errors import BookCorrupt, BookUnavailable, Conflict, InvalidInput
from creditflow.testing.postgres import PostgresCluster
from creditflow.testing.store_contract import DAY, ContractClock, case_row, fire, new_event

SRC = Path(__file__).parents[3] / "src"


@pytest.fixture
def store(postgres_url: str) -> Iterator[PostgresStore]:
    with PostgresStore.open(postgres_url, clock=ContractClock()) as opened:
        yield opened


@pytest.fixture(params=["strict", "grouped"])
def commit(request: pytest.FixtureRequest) -> str:
    """Each commit mode, for the tests of faults that must hold in both."""
    return str(request.param)


def _admin(url: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(url, autocommit=True)


# -- the same bytes as SQLite -------------------------------------------------------------------


def test_the_same_appends_give_the_same_hashes_as_sqlite(postgres_url: str, tmp_path: Path) -> None:
    def write(store: EventStore) -> list[object]:
        fire(store, "C1", 2)
        store.append(
            [new_event("C2", 1, data={"名称": "运输公司", "n": 2**53 - 1, "f": 0.1, "e": "\u2028"},
                       key="请求-1")],
            [case_row("C2", 1, subject="91110000MA01ABCD2X", state="已公示")],
            expected={"C2": 0},
        )  # fmt: skip
        fire(store, "C1", closed=True)
        return [*store.events(), *store.cases(), store.head(), store.verify()]

    with SqliteStore.open(tmp_path / "b.sqlite", clock=ContractClock()) as sqlite:
        expected = write(sqlite)
    with PostgresStore.open(postgres_url, clock=ContractClock()) as postgres:
        assert write(postgres) == expected


# -- URLs -----------------------------------------------------------------------------------


def test_every_url_form_opens_the_book(
    postgres_cluster: PostgresCluster, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = postgres_url.rsplit("/", 1)[1]
    with CreditBook.open(postgres_url, policy="national-transport") as book:
        book.open_case("commitment.voluntary", SUBJECT, on=DAY, actor=ME,
                       domain="road_transport", summary="主动公示")  # fmt: skip
        head = book.head()
    port = postgres_cluster.port
    socket_dir = postgres_cluster.directory
    forms = [
        postgres_url.replace("postgresql://", "postgres://"),
        f"postgresql+unix://postgres@{socket_dir}/{database}?port={port}",
        f"postgresql:///{database}?host={socket_dir}&port={port}&user=postgres",
    ]
    for url in forms:
        with CreditBook.open(url, read_only=True) as book:
            assert book.head() == head, url
    monkeypatch.setenv("PGHOST", "127.0.0.1")
    monkeypatch.setenv("PGPORT", str(port))
    monkeypatch.setenv("PGUSER", "postgres")
    monkeypatch.setenv("PGDATABASE", database)
    with CreditBook.open("postgresql://", read_only=True) as book:
        assert book.head() == head


def test_a_password_never_shows_in_an_error(postgres_cluster: PostgresCluster) -> None:
    url = f"postgresql://someone:s3cret@127.0.0.1:{postgres_cluster.port}/nowhere"
    with pytest.raises(BookUnavailable) as caught:
        PostgresStore.open(url, connect_timeout=2)
    assert "s3cret" not in str(caught.value)
    assert caught.value.path == f"postgresql://someone@127.0.0.1:{postgres_cluster.port}/nowhere"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+unix://u@host/db",
        "postgresql+unix://u@/onlyone",
        "postgresql://a b c",
        "postgresql+unix://u@/run/db?nonsense=1",
    ],
)
def test_a_malformed_url_is_invalid_input(url: str) -> None:
    with pytest.raises(InvalidInput):
        PostgresStore.open(url)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("port=abc", "port='abc'"), ("sslmode=bogus", "sslmode='bogus'"),
     ("keepalives=x", "keepalives='x'"), ("target_session_attrs=zz", "target_session_attrs")],
)  # fmt: skip
def test_a_parameter_refused_only_when_connecting_is_invalid_input_naming_it(
    postgres_cluster: PostgresCluster, query: str, parameter: str
) -> None:
    """libpq reads these values only when it connects: still the caller's to fix, with or
    without a pool, and migrate says so too."""
    url = f"{postgres_cluster.url()}?{query}"
    for opening in (
        lambda: PostgresStore.open(url, connect_timeout=2),
        lambda: PostgresStore.open(url, connect_timeout=2, pool_size=2),
        lambda: migrate(url, connect_timeout=2),
    ):
        with pytest.raises(InvalidInput, match=f"connection parameter {parameter}"):
            opening()


def test_a_server_that_is_not_there_is_unavailable() -> None:
    with pytest.raises(BookUnavailable, match="connection"):
        PostgresStore.open("postgresql://postgres@127.0.0.1:1/none", connect_timeout=1)


def test_without_psycopg_opening_a_url_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['psycopg'] = None\n"
        "import creditflow\n"
        "from creditflow.book import CreditBook\n"
        "from creditflow.errors import MissingExtra\n"
        "try:\n"
        "    CreditBook.open('postgresql://')\n"
        "except MissingExtra as e:\n"
        "    print(e.extra, e.module, '|', e)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.stdout.startswith("postgres psycopg |"), done.stderr
    assert "pip install 'creditflow[postgres]'" in done.stdout
    check = "import sys, creditflow, creditflow.book; print('psycopg' in sys.modules)"
    imported = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, env=env
    )
    assert imported.stdout.strip() == "False", imported.stderr


# -- schema, migrations, roles ----------------------------------------------------------------


def test_the_schema_is_created_on_first_open_and_recorded(
    postgres_cluster: PostgresCluster,
) -> None:
    url = postgres_cluster.create_database(with_schema=False)
    with pytest.raises(InvalidInput, match="schema version 0.*read-only"):
        PostgresStore.open(url, read_only=True)
    with pytest.raises(InvalidInput, match="migrate=False"):
        PostgresStore.open(url, migrate=False)
    with PostgresStore.open(url) as store:
        fire(store, "C1")
    with _admin(url) as db:
        rows = db.execute("SELECT version, description FROM creditflow_migrations").fetchall()
    assert [row[0] for row in rows] == list(range(1, SCHEMA_VERSION + 1))
    assert migrate(url) == (SCHEMA_VERSION, SCHEMA_VERSION)


def _back_to_schema(url: str, version: int) -> None:
    """The database as creditflow of schema ``version`` (1, 2 or 3) left it."""
    with _admin(url) as db:
        db.execute("DROP FUNCTION creditflow_append_v4")
        if version == 3:
            db.execute("DELETE FROM creditflow_migrations WHERE version > 3")
            return
        db.execute("DROP FUNCTION creditflow_append")
        db.execute("DROP FUNCTION creditflow_chain_key")
        db.execute("DELETE FROM creditflow_migrations WHERE version > 1")
        if version == 2:
            description, (function,) = _postgres_schema._MIGRATIONS[1]
            db.execute(function)
            db.execute("INSERT INTO creditflow_migrations VALUES (2, %s)", (description,))


def test_a_book_of_schema_1_gets_the_append_function_when_opened(postgres_url: str) -> None:
    with PostgresStore.open(postgres_url) as store:
        fire(store, "C1")
    _back_to_schema(postgres_url, 1)
    assert migrate(postgres_url) == (1, SCHEMA_VERSION)
    _back_to_schema(postgres_url, 1)
    with PostgresStore.open(postgres_url) as store:
        fire(store, "C2")
        assert store.head()[0] == 2 and store.verify().ok


def _schema_3_append(batch: Any, recorded: dt.datetime) -> tuple[str, tuple[Any, ...]]:
    """The statement and arguments of an append by creditflow of schema 2 or 3: the hash
    input's first piece holds the data (``creditflow_append``, 23 arguments)."""
    arguments = postgres_store._append_arguments(batch, recorded)
    heads, mids = arguments[11], arguments[12]
    befores = [f"{h}{d}{m}" for h, d, m in zip(heads, arguments[7], mids, strict=True)]
    legacy = (*arguments[:11], befores, *arguments[13:])
    sql = (
        "SELECT r_seq, r_prev, r_hash FROM creditflow_append(%b::text[], %b::integer[], "
        "%b::text[], %b::integer[], %b::text[], %b::text[], %b::text[], %b::text[], "
        "%b::text[], %b::text, %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], "
        "%b::text[], %b::text[], %b::text[], %b::text[], %b::integer[], %b::smallint[], "
        "%b::text[], %b::text[])"
    )
    return sql, legacy


def test_a_book_of_schema_2_keeps_its_chain_after_migration_3(postgres_url: str) -> None:
    """Events chained by schema 2's function (a PL/pgSQL INSERT per event, one lock key per
    database) are continued by schema 3's, which inserts set-based under the schema's key."""
    with PostgresStore.open(postgres_url) as store:
        fire(store, "C1")
    _back_to_schema(postgres_url, 2)
    batch = prepare([new_event("C1", 2), new_event("C1", 3)], [case_row("C1", 3)], {"C1": 1})
    recorded = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    with _admin(postgres_url) as db:  # a batch appended by schema 2's function
        rows = db.execute(*_schema_3_append(batch, recorded)).fetchall()
    assert [row[0] for row in rows] == [2, 3]
    assert migrate(postgres_url) == (2, SCHEMA_VERSION)
    with PostgresStore.open(postgres_url) as store:
        fire(store, "C2", 2)
        assert store.head()[0] == 5 and store.verify().ok


def test_a_book_of_schema_3_keeps_its_chain_and_schema_3_writers_after_migration_4(
    postgres_url: str,
) -> None:
    """Migration 4 adds creditflow_append_v4 (data sent once) and keeps schema 3's function:
    a creditflow of schema 3 still running during the upgrade appends under the same lock,
    and the chain stays one."""
    with PostgresStore.open(postgres_url) as store:
        fire(store, "C1")
    _back_to_schema(postgres_url, 3)
    assert migrate(postgres_url) == (3, SCHEMA_VERSION)
    recorded = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    with PostgresStore.open(postgres_url, clock=ContractClock()) as store:
        fire(store, "C2")
        batch = prepare([new_event("C1", 2)], [case_row("C1", 2)], {"C1": 1})
        with _admin(postgres_url) as db:  # an old writer, on schema 3's function
            rows = db.execute(*_schema_3_append(batch, recorded)).fetchall()
        assert [row[0] for row in rows] == [3]
        fire(store, "C1")
        assert store.head()[0] == 4 and store.verify().ok


def test_an_append_sends_each_events_data_once(
    store: PostgresStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data goes as its column only; the hash input is sent in pieces around it."""
    fire(store, "C0")  # the store's connection is open
    db = store._db
    assert db is not None
    sent: list[Any] = []
    execute = db.execute

    def recording(query: Any, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        if params is not None:
            sent.extend(params)
        return execute(query, params, *args, **kwargs)

    monkeypatch.setattr(db, "execute", recording)
    marker = "独一无二-marker-" * 20
    store.append([new_event("C1", 1, data={"note": marker})], [case_row("C1", 1)],
                 expected={"C1": 0})  # fmt: skip
    texts = [item for value in sent if isinstance(value, list) for item in value]
    assert sum(str(item).count(marker) for item in texts) == 1
    monkeypatch.undo()
    [event] = store.events(case_id="C1")
    assert event.data == {"note": marker} and store.verify().ok


def test_an_append_is_one_statement(store: PostgresStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """One round trip: the chain lock is taken and released by the server, never held while
    the client computes or waits."""
    fire(store, "C1")
    sent = _statements(store, monkeypatch)
    monkeypatch.setattr(store._db, "pipeline", None)  # no pipelined statements either
    events = [new_event("C1", 2), new_event("C2", 1), new_event("C1", 3)]
    stored = store.append(
        events, [case_row("C1", 3), case_row("C2", 1)], expected={"C1": 1, "C2": 0}
    )
    assert len(sent) == 1 and "creditflow_append" in sent[0]
    assert [event.seq for event in stored] == [2, 3, 4]
    monkeypatch.undo()
    assert store.verify().ok and list(store.events(after=1)) == stored


# -- commit modes ----------------------------------------------------------------------------


def test_the_commit_mode_comes_from_the_keyword_or_the_url(postgres_url: str) -> None:
    with PostgresStore.open(postgres_url) as strict:
        assert strict.commit == "strict"
    with PostgresStore.open(postgres_url, commit="grouped") as grouped:
        assert grouped.commit == "grouped"
    with PostgresStore.open(f"{postgres_url}?commit=grouped") as grouped:
        assert grouped.commit == "grouped" and "commit" not in grouped._conninfo
    both = f"{postgres_url}?connect_timeout=3&commit=grouped&application_name=x"
    with PostgresStore.open(both, commit="grouped") as grouped:
        assert grouped.commit == "grouped"
        assert grouped._conninfo == f"{postgres_url}?connect_timeout=3&application_name=x"
    with open_store(f"{postgres_url}?commit=grouped") as opened:  # as CreditBook.open does
        assert isinstance(opened, PostgresStore) and opened.commit == "grouped"


@pytest.mark.parametrize(
    ("url_query", "keyword", "message"),
    [("?commit=fast", None, "commit='fast' must be one of strict, grouped"),
     ("", "fast", "commit must be one of strict, grouped, got 'fast'"),
     ("?commit=grouped", "strict", "commit='strict' but the URL says commit='grouped'"),
     ("?commit=grouped&commit=strict", None, "commit twice")],
)  # fmt: skip
def test_a_commit_mode_that_is_none_or_contradicts_the_url_is_invalid_input(
    postgres_url: str, url_query: str, keyword: Any, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        PostgresStore.open(f"{postgres_url}{url_query}", commit=keyword)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:s3cret@127.0.0.1:1/db?commit=bogus",
        "postgresql://u@127.0.0.1:1/db?password=s3cret&commit=bogus",
        "postgresql://u@127.0.0.1:1/db?sslpassword=s3cret&commit=bogus",
        "postgresql+unix://u@/run/db?password=s3cret&nonsense=1",
        "postgresql+unix://u@/run/db?PassWord=s3cret&commit=grouped&commit=strict",
    ],
)
def test_a_message_never_shows_a_password_of_the_url(url: str) -> None:
    """In the user part or as a query parameter (no server needed: refused before it)."""
    with pytest.raises(InvalidInput) as info:
        PostgresStore.open(url)
    assert "s3cret" not in str(info.value) and "***" in str(info.value)


def _statements(store: PostgresStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL the store's connection runs from now on (the connection opened first)."""
    store.head()
    assert store._db is not None
    sent: list[str] = []
    _watch(store._db, monkeypatch, sent)
    return sent


def _watch(db: Any, monkeypatch: pytest.MonkeyPatch, sent: list[str]) -> None:
    """Add the SQL that connection ``db`` runs from now on to ``sent``."""
    execute = db.execute

    def counting(query: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(str(query))
        return execute(query, *args, **kwargs)

    monkeypatch.setattr(db, "execute", counting)


def test_a_grouped_append_commits_without_waiting_then_waits_for_the_flush(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The append's own transaction commits with synchronous_commit off (the chain lock is
    released at once); a second transaction that writes WAL and has an XID, committed with
    the session's synchronous_commit, waits for the WAL up to its commit record, after the
    append's: when the append returns, the WAL is flushed past it."""
    with PostgresStore.open(postgres_url, commit="grouped") as store:
        sent = _statements(store, monkeypatch)
        store.append([new_event("C1", 1)], [case_row("C1", 1)], expected={"C1": 0})
        assert len(sent) == 2
        assert "creditflow_append_v4" in sent[0]
        assert "set_config('synchronous_commit', 'off', true)" in sent[0]
        assert sent[1] == "SELECT pg_logical_emit_message(true, 'creditflow', '')"
        sent.clear()
        with pytest.raises(Conflict):  # refused: nothing to wait for
            store.append([new_event("C1", 1)], [case_row("C1", 1)], expected={"C1": 0})
        assert len(sent) == 1
        sent.clear()
        store.append([], [], expected={"C1": 1})  # a version check only: a plain commit
        assert len(sent) == 1 and "set_config" not in sent[0]
        monkeypatch.undo()
        db = store._db
        assert db is not None  # the session keeps its synchronous_commit
        assert db.execute("SHOW synchronous_commit").fetchone() == ("on",)
        assert store.verify().ok
        with _admin(postgres_url) as other:  # the server's WAL writer would flush it later
            other.execute("ALTER SYSTEM SET wal_writer_delay = '10s'")
            other.execute("SELECT pg_reload_conf()")
        try:
            time.sleep(0.3)
            for number in range(5):
                store.append([new_event(f"D{number}", 1)], [case_row(f"D{number}", 1)],
                             expected={f"D{number}": 0})  # fmt: skip
                # the append's commit record lies before this point
                flushed, written = db.execute(
                    "SELECT pg_current_wal_flush_lsn(), pg_current_wal_insert_lsn()"
                ).fetchone() or (None, None)
                assert flushed == written, (flushed, written)
        finally:
            with _admin(postgres_url) as other:
                other.execute("ALTER SYSTEM RESET wal_writer_delay")
                other.execute("SELECT pg_reload_conf()")


def test_a_retry_that_finds_its_key_in_grouped_mode_waits_for_the_flush(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with PostgresStore.open(postgres_url, commit="grouped") as store:
        store.append([new_event("C1", 1, key="k1")], [case_row("C1", 1)], expected={"C1": 0})
        sent = _statements(store, monkeypatch)
        assert store.by_idempotency_key("nothing") is None
        assert len(sent) == 1
        found = store.by_idempotency_key("k1")
        assert found is not None and found.seq == 1
        assert len(sent) == 3 and sent[2] == postgres_store._FLUSH


def test_a_rebuild_whose_commit_is_lost_says_the_outcome_is_unknown(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """replace_cases (rebuild) and adopt (book copy) do not look their commit up: a lost
    COMMIT is BookUnavailable saying so, not "nothing was written"."""
    with PostgresStore.open(postgres_url) as store:
        store.append([new_event("C1", 1)], [case_row("C1", 1)], expected={"C1": 0})
        store.head()
        db = store._db
        assert db is not None
        execute = db.execute

        def losing(query: Any, *args: Any, **kwargs: Any) -> Any:
            if query == "COMMIT":
                db.close()
                raise psycopg.OperationalError("the connection was closed (test)")
            return execute(query, *args, **kwargs)

        monkeypatch.setattr(db, "execute", losing)
        with pytest.raises(BookUnavailable) as info:
            store.replace_cases([case_row("C1", 1)])
    message = str(info.value)
    assert "whether the change was written is not known" in message
    assert "nothing was written" not in message


def test_a_read_only_grouped_store_finds_a_key_without_writing_a_flush(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader acknowledges no append: it sends no pg_logical_emit_message (which writes WAL
    and would fail on a hot standby)."""
    with PostgresStore.open(postgres_url) as store:
        store.append([new_event("C1", 1, key="k1")], [case_row("C1", 1)], expected={"C1": 0})
    with PostgresStore.open(postgres_url, commit="grouped", read_only=True) as reader:
        sent = _statements(reader, monkeypatch)
        found = reader.by_idempotency_key("k1")
        assert found is not None and found.seq == 1
        assert postgres_store._FLUSH not in sent


@pytest.mark.parametrize("outcome", ["flushed later", "unreachable"])
def test_a_grouped_append_whose_flush_wait_is_lost_is_looked_up_and_flushed(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, outcome: str
) -> None:
    """The append committed, then the connection broke while waiting for the flush: the
    store finds the events on a new connection and waits for the flush there before it
    returns them; if it cannot, BookUnavailable says to retry with the same key."""
    with PostgresStore.open(postgres_url, commit="grouped", clock=ContractClock()) as store:
        fire(store, "C1")
        db = store._db
        assert db is not None
        execute = db.execute

        def failing(query: Any, *args: Any, **kwargs: Any) -> Any:
            if query == postgres_store._FLUSH:
                db.close()
                raise psycopg.OperationalError("the connection was closed (test)")
            return execute(query, *args, **kwargs)

        monkeypatch.setattr(db, "execute", failing)
        append = ([new_event("C1", 2, key="k2")], [case_row("C1", 2)], {"C1": 1})
        if outcome == "flushed later":
            flushes: list[str] = []
            real_connect = store._connect

            def connect() -> Any:
                fresh = real_connect()
                _watch(fresh, monkeypatch, flushes)
                return fresh

            monkeypatch.setattr(store, "_connect", connect)
            [stored] = store.append(append[0], append[1], expected=append[2])
            assert stored.seq == 2 and postgres_store._FLUSH in flushes
        else:
            monkeypatch.setattr(
                store, "_connect", lambda: (_ for _ in ()).throw(psycopg.OperationalError("down"))
            )
            with pytest.raises(BookUnavailable, match="same idempotency key"):
                store.append(append[0], append[1], expected=append[2])
    with PostgresStore.open(postgres_url) as again:  # committed either way, found by its key
        assert again.by_idempotency_key("k2") is not None and again.verify().ok


@pytest.mark.parametrize("refusals", [1, 2])
def test_a_grouped_append_whose_flush_is_refused_says_so(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, refusals: int
) -> None:
    """The append committed and the connection lives, but the server refused the flush (say,
    EXECUTE on pg_logical_emit_message revoked): the events are looked up and flushed again;
    if that is refused too, BookUnavailable says the flush was refused, not that the
    connection was lost, and to retry with the same key."""
    with PostgresStore.open(postgres_url, commit="grouped", clock=ContractClock()) as store:
        fire(store, "C1")
        db = store._db
        assert db is not None
        execute = db.execute
        refused: list[str] = []

        def refusing(query: Any, *args: Any, **kwargs: Any) -> Any:
            if query == postgres_store._FLUSH and len(refused) < refusals:
                refused.append(query)
                raise psycopg.errors.InsufficientPrivilege("permission denied (test)")
            return execute(query, *args, **kwargs)

        monkeypatch.setattr(db, "execute", refusing)
        append = ([new_event("C1", 2, key="k2")], [case_row("C1", 2)], {"C1": 1})
        if refusals == 1:
            [stored] = store.append(append[0], append[1], expected=append[2])
            assert stored.seq == 2
        else:
            with pytest.raises(BookUnavailable) as info:
                store.append(append[0], append[1], expected=append[2])
            message = str(info.value)
            assert "flush was refused: permission denied (test)" in message, message
            assert "connection was lost" not in message and "same idempotency key" in message
        assert len(refused) == refusals
    with PostgresStore.open(postgres_url) as again:  # committed either way, found by its key
        assert again.by_idempotency_key("k2") is not None and again.verify().ok


def test_a_hash_the_server_computed_differently_is_refused(
    store: PostgresStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client recomputes every hash the server returns with event_digest."""

    real = postgres_store.event_input_parts

    def skewed(fields: Any) -> tuple[str, str, str, str]:
        head, mid, between, after = real(fields)
        return head, mid, between, after + " "

    monkeypatch.setattr(postgres_store, "event_input_parts", skewed)
    with pytest.raises(BookCorrupt, match="event 1.*encoding gives"):
        fire(store, "C1")


def test_a_server_returning_another_number_of_events_is_not_trusted(
    store: PostgresStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BookCorrupt, as for a hash the server computed differently (docs/postgres.md)."""
    store.head()  # the connection opened
    db = store._db
    assert db is not None
    execute = db.execute

    class Fewer:
        def __init__(self, cursor: Any) -> None:
            self.rows = cursor.fetchall()

        def fetchall(self) -> list[Any]:
            return self.rows[:-1]

    def dropping(query: Any, *args: Any, **kwargs: Any) -> Any:
        cursor = execute(query, *args, **kwargs)
        return Fewer(cursor) if "creditflow_append" in str(query) else cursor

    monkeypatch.setattr(db, "execute", dropping)
    events = [new_event("C1", 1), new_event("C1", 2)]
    with pytest.raises(BookCorrupt, match="returned 1 events for an append of 2"):
        store.append(events, [case_row("C1", 2)], expected={"C1": 0})


def test_two_migrations_at_once_report_the_version_each_found_under_the_lock(
    postgres_cluster: PostgresCluster,
) -> None:
    """Both wait for the chain lock; the first migrates, the second finds the schema current
    (before the fix both read version 0 outside the lock and both said "0 -> 4")."""
    url = postgres_cluster.create_database(with_schema=False)
    results: list[tuple[int, int]] = []
    with _admin(url) as holder:
        holder.execute(f"SELECT pg_advisory_lock({_postgres_schema.CHAIN_KEY_SQL})")
        threads = [threading.Thread(target=lambda: results.append(migrate(url)))
                   for _ in range(2)]  # fmt: skip
        for thread in threads:
            thread.start()
        for _ in range(200):
            waiting = holder.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'advisory' "
                "AND datname = current_database()"
            ).fetchone()
            if waiting == (2,):
                break
            time.sleep(0.02)
        assert waiting == (2,)
        holder.execute("SELECT pg_advisory_unlock_all()")
        for thread in threads:
            thread.join(30)
    assert sorted(results) == [(0, SCHEMA_VERSION), (SCHEMA_VERSION, SCHEMA_VERSION)]


def test_a_newer_schema_is_refused(postgres_url: str) -> None:
    with _admin(postgres_url) as db:
        db.execute("INSERT INTO creditflow_migrations VALUES (99, 'from the future')")
    with pytest.raises(InvalidInput, match="schema version 99, newer"):
        PostgresStore.open(postgres_url)
    with pytest.raises(InvalidInput, match="newer"):
        migrate(postgres_url)


def test_a_role_without_create_is_told_to_migrate_and_works_with_the_documented_grants(
    postgres_cluster: PostgresCluster,
) -> None:
    url = postgres_cluster.create_database(with_schema=False)
    clerk = f"clerk_{os.getpid()}"
    with _admin(postgres_cluster.url()) as db:
        db.execute(f"DROP ROLE IF EXISTS {clerk}")
        db.execute(f"CREATE ROLE {clerk} LOGIN")
    clerk_url = url.replace("postgres@", f"{clerk}@")
    with pytest.raises(BookUnavailable, match="creditflow book migrate"):
        PostgresStore.open(clerk_url)
    assert migrate(url) == (0, SCHEMA_VERSION)
    with _admin(url) as db:  # the grants of docs/postgres.md
        db.execute(f"GRANT SELECT ON creditflow_migrations TO {clerk}")
        db.execute(f"GRANT SELECT, INSERT ON creditflow_events TO {clerk}")
        db.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON creditflow_cases TO {clerk}")
    with PostgresStore.open(clerk_url) as store:
        fire(store, "C1", 2)
        assert store.verify().ok
    with _admin(clerk_url) as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("UPDATE creditflow_events SET actor = 'forger'")


# -- constraints behind the code ------------------------------------------------------------


def test_the_database_refuses_a_stale_version_the_code_missed(
    store: PostgresStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    fire(store, "C1")
    real = postgres_store._append_arguments

    def unchecked(*args: Any) -> tuple[Any, ...]:  # creditflow_append checks no version
        return ([], [], *real(*args)[2:])

    monkeypatch.setattr(postgres_store, "_append_arguments", unchecked)
    with pytest.raises(Conflict) as caught:
        store.append([new_event("C1", 1)], [case_row("C1", 1)], expected={"C1": 0})
    assert (caught.value.case_id, caught.value.expected, caught.value.actual) == ("C1", 0, 1)
    assert store.head()[0] == 1


def test_the_database_refuses_a_fork_of_the_chain(store: PostgresStore) -> None:
    fire(store, "C1")
    with _admin(store._conninfo) as db, pytest.raises(psycopg.errors.UniqueViolation):
        db.execute(
            "INSERT INTO creditflow_events SELECT seq + 1, case_id, version + 1, event, on_date, "
            "actor, data, NULL, recorded_at, prev_hash, projection, hash FROM creditflow_events"
        )


def test_a_value_postgresql_cannot_hold_is_invalid_input(store: PostgresStore) -> None:
    with pytest.raises(InvalidInput, match="NUL"):
        store.case("C\x001")
    with pytest.raises(InvalidInput, match="NUL"):
        store.append([new_event("C\x001", 1)], [case_row("C\x001", 1)], expected={"C\x001": 0})
    assert store.head()[0] == 0


# -- errors that are not the caller's: BookUnavailable, never InvalidInput or psycopg's ---------


def test_a_constraint_the_code_does_not_know_is_unavailable_not_invalid_input(
    store: PostgresStore,
) -> None:
    fire(store, "C1")
    with _admin(store._conninfo) as db:  # a DBA's rule that creditflow knows nothing of
        db.execute("ALTER TABLE creditflow_events ADD CONSTRAINT no_forger CHECK (actor <> 'x')")
    with pytest.raises(BookUnavailable, match="constraint of the book.*no_forger"):
        store.append([new_event("C1", 2, actor="x")], [case_row("C1", 2)], expected={"C1": 1})
    assert store.head()[0] == 1


@pytest.mark.parametrize(("state", "what"), [("XX001", "damaged data"), ("XX002", "damaged index")])
def test_data_the_server_found_damaged_is_book_corrupt(
    store: PostgresStore, state: str, what: str
) -> None:
    """SQLSTATE class XX (data_corrupted, index_corrupted): the book is corrupt, not merely
    unavailable (a trigger raises them as a damaged page or index would)."""
    fire(store, "C1")
    with _admin(store._conninfo) as db:
        db.execute(
            "CREATE FUNCTION damaged() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION 'invalid page in block 7' USING ERRCODE = '{state}'; END $$"
        )
        db.execute("CREATE TRIGGER damaged BEFORE INSERT ON creditflow_events "
                   "FOR EACH ROW EXECUTE FUNCTION damaged()")  # fmt: skip
    with pytest.raises(BookCorrupt, match=f"{what}.*invalid page in block 7") as caught:
        fire(store, "C1")
    assert caught.value.seq is None and caught.value.case_id is None
    assert str(caught.value).startswith("the book is damaged: the server found")
    assert store.head()[0] == 1


def test_a_writer_that_skips_the_chain_lock_cannot_fork_the_chain(
    store: PostgresStore, postgres_url: str
) -> None:
    """The constraints back the lock: an event written at the head by a transaction that did
    not take the chain lock makes the append that meets it fail typed, not fork the chain."""
    fire(store, "C1")
    with _admin(postgres_url) as db:
        db.execute("BEGIN")
        db.execute(
            "INSERT INTO creditflow_events SELECT seq + 1, case_id, version + 1, event, on_date, "
            "actor, data, NULL, recorded_at, hash, projection, repeat('f', 64) "
            "FROM creditflow_events"
        )
        thread, caught = _in_thread(lambda: fire(store, "C2"))
        _waiting_backend(db, "transactionid")
        db.execute("COMMIT")
        thread.join(20)
    assert isinstance(caught.get("error"), BookUnavailable), caught
    assert "without waiting for this book's chain lock" in str(caught["error"])
    assert [event.seq for event in store.events()] == [1, 2]  # the other writer's event
    assert store.case("C2") is None


def test_a_missing_grant_or_table_is_unavailable_and_says_what_to_fix(
    postgres_cluster: PostgresCluster,
) -> None:
    url = postgres_cluster.create_database()
    clerk = f"reader_{os.getpid()}"
    with _admin(postgres_cluster.url()) as db:
        db.execute(f"DROP ROLE IF EXISTS {clerk}")
        db.execute(f"CREATE ROLE {clerk} LOGIN")
    with _admin(url) as db:  # reads granted, writes not
        db.execute(f"GRANT SELECT ON creditflow_migrations, creditflow_events, "
                   f"creditflow_cases TO {clerk}")  # fmt: skip
    with PostgresStore.open(url.replace("postgres@", f"{clerk}@")) as store:
        assert store.head() == (0, "0" * 64)
        with pytest.raises(BookUnavailable, match="lacks a privilege.*grants"):
            fire(store, "C1")
        with _admin(url) as db:
            db.execute("DROP TABLE creditflow_events")
        with pytest.raises(BookUnavailable, match="table of the book is missing"):
            store.head()


def test_a_database_that_cannot_hold_unicode_is_refused_at_open(
    postgres_cluster: PostgresCluster,
) -> None:
    """A book holds names in Chinese: a LATIN1 database is refused before anything is
    written, by the store and by ``migrate``, not failed later with a codec's error."""
    name = f"latin_{os.getpid()}"
    with _admin(postgres_cluster.url()) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name}")
        db.execute(
            f"CREATE DATABASE {name} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' "
            "TEMPLATE template0"
        )
    url = postgres_cluster.url(name)
    with pytest.raises(BookUnavailable, match="encoding is LATIN1: a book needs a UTF8"):
        PostgresStore.open(url)
    with pytest.raises(BookUnavailable, match="UTF8 database"):
        migrate(url)
    with _admin(url) as db:
        assert db.execute("SELECT to_regclass('creditflow_events')").fetchone() == (None,)


# -- read-only ------------------------------------------------------------------------------


def test_a_read_only_store_reads_and_refuses_every_write(postgres_url: str) -> None:
    with PostgresStore.open(postgres_url) as store:
        fire(store, "C1")
    with PostgresStore.open(postgres_url, read_only=True) as reader:
        assert reader.verify().ok and reader.head()[0] == 1
        with pytest.raises(InvalidInput, match="read-only"):
            fire(reader, "C1")
        with pytest.raises(InvalidInput, match="read-only"):
            reader.replace_cases([])


def test_a_read_only_server_is_unavailable(store: PostgresStore, postgres_url: str) -> None:
    """A hot standby refuses writes as a read-only transaction does (SQLSTATE 25006)."""
    fire(store, "C1")
    name = postgres_url.rsplit("/", 1)[1]
    with _admin(postgres_url) as db:
        db.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    with PostgresStore.open(postgres_url) as replica:
        assert replica.head()[0] == 1
        with pytest.raises(BookUnavailable, match="read-only"):
            fire(replica, "C1")


# -- locks and killed backends --------------------------------------------------------------


@contextlib.contextmanager
def _chain_locked(url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    with _admin(url) as db:
        db.execute("SELECT pg_advisory_lock(creditflow_chain_key())")
        yield db


def _waiting_backend(db: psycopg.Connection[tuple[object, ...]], kind: str) -> int:
    for _ in range(200):
        found = db.execute(
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = %s "
            "AND datname = current_database()",
            (kind,),
        ).fetchone()
        if found:
            return int(str(found[0]))
        time.sleep(0.02)
    raise AssertionError("no backend waits")


def test_a_writer_waits_for_the_chain_lock_and_gives_up_typed(postgres_url: str) -> None:
    with PostgresStore.open(postgres_url, lock_timeout=0.2) as store:
        fire(store, "C1")
        with _chain_locked(postgres_url):
            assert store.head()[0] == 1  # readers never wait
            with pytest.raises(BookUnavailable, match="lock_timeout"):
                fire(store, "C1")
        fire(store, "C1")
        assert store.head()[0] == 2


def test_books_in_two_schemas_of_one_database_do_not_wait_for_each_other(
    postgres_cluster: PostgresCluster,
) -> None:
    """The chain lock is keyed by the schema that holds the book: a writer of the book in
    schema ``a`` holding its lock does not stop appends to the book in schema ``b``."""
    url = postgres_cluster.create_database(with_schema=False)
    with _admin(url) as db:
        db.execute("CREATE SCHEMA a")
        db.execute("CREATE SCHEMA b")
    url_a, url_b = (f"{url}?options=-csearch_path%3D{schema}" for schema in "ab")
    with (
        PostgresStore.open(url_a, lock_timeout=0.3) as in_a,
        PostgresStore.open(url_b, lock_timeout=0.3) as in_b,
    ):
        fire(in_a, "C1")
        fire(in_b, "C1")
        with _admin(url_a) as holder:
            holder.execute("SELECT pg_advisory_lock(creditflow_chain_key())")
            fire(in_b, "C1")  # not kept waiting by a's lock
            with pytest.raises(BookUnavailable, match="lock_timeout"):
                fire(in_a, "C1")
        assert (in_a.head()[0], in_b.head()[0]) == (1, 2)
        assert in_a.verify().ok and in_b.verify().ok


def _in_thread(work: object) -> tuple[threading.Thread, dict[str, BaseException]]:
    caught: dict[str, BaseException] = {}

    def run() -> None:
        try:
            work()  # type: ignore[operator]
        except BaseException as exc:
            caught["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, caught


def test_a_backend_killed_mid_transaction_is_unavailable_and_writes_nothing(
    postgres_url: str, commit: str
) -> None:
    """The append has written its event and waits on the case row (held by another
    transaction) when its backend is terminated: BookUnavailable, nothing half-written."""
    store = PostgresStore.open(f"{postgres_url}?commit={commit}", clock=ContractClock())
    fire(store, "C1")
    before = (list(store.events()), list(store.cases()), store.head())
    with _admin(postgres_url) as db:
        db.execute("BEGIN")
        db.execute("SELECT 1 FROM creditflow_cases WHERE case_id = 'C1' FOR UPDATE")
        thread, caught = _in_thread(lambda: fire(store, "C1"))
        pid = _waiting_backend(db, "transactionid")
        db.execute("SELECT pg_terminate_backend(%s)", (pid,))
        thread.join(20)
        db.execute("ROLLBACK")
    assert isinstance(caught.get("error"), BookUnavailable), caught
    assert "administrator" in str(caught["error"]) or "lost" in str(caught["error"])
    assert (list(store.events()), list(store.cases()), store.head()) == before
    fire(store, "C1")  # the store reconnects
    assert store.head()[0] == 2 and store.verify().ok
    store.close()


# -- a pool for servers -----------------------------------------------------------------------


def test_a_pooled_store_serves_many_threads(postgres_url: str) -> None:
    with PostgresStore.open(postgres_url, pool_size=4) as store:
        errors: list[BaseException] = []

        def work(number: int) -> None:
            try:
                for _ in range(10):
                    fire(store, f"T{number}")
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        assert store.head()[0] == 60 and store.verify().ok


# -- many processes, crashes ----------------------------------------------------------------


def test_four_processes_with_two_books_each_lose_no_update(postgres_url: str) -> None:
    with CreditBook.open(postgres_url, policy="national-transport") as book:
        cases = [
            book.open_case("commitment.missing_documents", SUBJECT, on=DAY, actor=ME,
                           domain="road_transport", summary="补齐材料").case_id
            for _ in range(12)
        ]  # fmt: skip
    racers = [spawn("book_racer.py", postgres_url, seed, 40, *cases) for seed in range(4)]
    for racer in racers:
        assert racer.stdout is not None
        assert racer.stdout.readline() == "ready\n", racer.communicate()[1]
    for racer in racers:
        assert racer.stdin is not None
        racer.stdin.write("go\n")
        racer.stdin.flush()
    outputs = [racer.communicate(timeout=180) for racer in racers]
    for racer, (_, errors) in zip(racers, outputs, strict=True):
        assert racer.returncode == 0, errors
    results = [json.loads(output) for output, _ in outputs]
    ended = Counter(case for result in results for case in result["ended"])
    assert max(ended.values()) == 1  # no case ended twice: no update lost
    assert sum(result["conflicts"] + result["refused"] for result in results) > 0
    with CreditBook.open(postgres_url, policy="national-transport") as book:
        assert book.verify(deep=True).ok
        for case_id in cases:
            versions = [event.version for event in book.events(case_id=case_id)]
            assert versions == list(range(1, len(versions) + 1))  # no version twice
            assert len(versions) == 1 + ended[case_id]
    states = {"fulfil": "fulfilled", "withdraw": "withdrawn"}
    with CreditBook.open(postgres_url, policy="national-transport") as book:
        for result in results:
            for case_id, (event, version) in result["ended"].items():
                assert (book.get(case_id).state, book.get(case_id).version) == (
                    states[event], version)  # fmt: skip


def _read_acks(process: subprocess.Popen[str], acks: dict[str, tuple[int, str]], want: int) -> int:
    """Read ack lines until ``want`` more keys are acknowledged; the 'unavailable' lines."""
    assert process.stdout is not None
    unavailable = 0
    start = len(acks)
    while len(acks) < start + want:
        line = process.stdout.readline()
        assert line, process.stderr.read() if process.stderr else ""
        if line.startswith("unavailable"):
            unavailable += 1
        elif line != "ready\n":
            seq, digest, key = line.split()
            acks[key] = (int(seq), digest)
    return unavailable


def test_a_server_crash_under_load_keeps_every_acknowledged_event(
    postgres_cluster: PostgresCluster, postgres_url: str, commit: str
) -> None:
    """In both commit modes: grouped releases the chain lock before the flush, but an
    append is acknowledged only once flushed."""
    url = f"{postgres_url}?commit={commit}"
    writers = [spawn("keyed_writer.py", url, name) for name in ("w1", "w2", "w3")]
    acks: dict[str, tuple[int, str]] = {}
    try:
        for writer in writers:
            _read_acks(writer, acks, 20)
        postgres_cluster.crash()  # pg_ctl stop -m immediate, writers in full flight
        time.sleep(0.5)
        postgres_cluster.start()
        unavailable = sum(_read_acks(writer, acks, 20) for writer in writers)
    finally:
        for writer in writers:
            writer.kill()
            writer.communicate(timeout=30)
    assert unavailable > 0
    with PostgresStore.open(postgres_url) as store:
        assert store.verify().ok
        stored = {event.idempotency_key: (event.seq, event.hash) for event in store.events()}
        assert {key: stored.get(key) for key in acks} == acks  # every acknowledged event
        numbers = Counter(key.rsplit("-", 1)[0] for key in stored if key)
        for name in ("w1", "w2", "w3"):  # each key once, and no gap: retries were safe
            keys = sorted(int(k.rsplit("-", 1)[1]) for k in stored if k and k.startswith(name))
            assert keys == list(range(1, numbers[name] + 1))
        rows = {row.case_id: row.version for row in store.cases()}
        assert rows == dict(Counter(event.case_id for event in store.events()))


# -- book copy ------------------------------------------------------------------------------


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "creditflow", *args], capture_output=True, text=True, env=env,
        timeout=300,
    )  # fmt: skip


def _sqlite_book(path: Path, events: int) -> tuple[int, str]:
    """A SQLite book of 50 cases and at least 200 events (``events`` if more)."""
    with SqliteStore.open(path, synchronous="NORMAL") as store:
        for number in range(50):
            case_id = f"C{number}"
            store.append([new_event(case_id, version) for version in (1, 2, 3, 4)],
                         [case_row(case_id, 4)], expected={case_id: 0})  # fmt: skip
        while (seq := store.head()[0]) < events:
            fire(store, f"C{seq % 50}", closed=seq % 3 == 0)
        return store.head()


def test_book_copy_keeps_every_hash_both_ways(postgres_url: str, tmp_path: Path) -> None:
    source = tmp_path / "source.sqlite"
    head = _sqlite_book(source, 300)
    done = _run_cli("book", "copy", str(source), postgres_url, "--chunk", "64")
    assert done.returncode == 0, done.stderr
    assert f"source head      {head[0]}:{head[1]}" in done.stdout
    assert f"destination head {head[0]}:{head[1]}" in done.stdout
    assert "ok: 300 events, 50 projections" in done.stdout
    back = tmp_path / "back.sqlite"
    done = _run_cli("book", "copy", postgres_url, str(back))
    assert done.returncode == 0, done.stderr
    with SqliteStore.open(source) as a, SqliteStore.open(back) as b:
        assert list(a.events()) == list(b.events()) and list(a.cases()) == list(b.cases())
    again = _run_cli("book", "copy", str(source), postgres_url)
    assert again.returncode == 0 and "copied 0 events (resumed after event 300)" in again.stdout


def test_an_interrupted_copy_resumes_to_the_same_head(postgres_url: str, tmp_path: Path) -> None:
    source = tmp_path / "source.sqlite"
    head = _sqlite_book(source, 2000)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    copying = subprocess.Popen(
        [sys.executable, "-m", "creditflow", "book", "copy", str(source), postgres_url,
         "--chunk", "50"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert copying.stderr is not None
    for _ in range(3):
        assert copying.stderr.readline().startswith("copied up to event")
    copying.kill()  # SIGKILL, mid-copy
    copying.communicate(timeout=30)
    with PostgresStore.open(postgres_url) as partial:
        reached = partial.head()[0]
    assert 150 <= reached < 2000
    done = _run_cli("book", "copy", str(source), postgres_url)
    assert done.returncode == 0, done.stderr
    assert f"(resumed after event {reached})" in done.stdout
    assert f"destination head {head[0]}:{head[1]}" in done.stdout


def test_a_copy_into_another_book_is_refused(postgres_url: str, tmp_path: Path) -> None:
    source = tmp_path / "source.sqlite"
    _sqlite_book(source, 8)
    with PostgresStore.open(postgres_url) as other:
        fire(other, "X", 3)
    done = _run_cli("book", "copy", str(source), postgres_url)
    assert done.returncode == 2
    assert "the destination holds another book" in done.stderr


def test_book_migrate_creates_and_reports_the_schema(postgres_cluster: PostgresCluster) -> None:
    url = postgres_cluster.create_database(with_schema=False)
    first = _run_cli("book", "migrate", url)
    assert (first.returncode, first.stdout) == (0, f"schema version 0 -> {SCHEMA_VERSION}\n")
    again = _run_cli("book", "migrate", url)
    assert again.stdout == f"schema version {SCHEMA_VERSION} (already current)\n"


def test_recorded_dates_survive_the_round_trip(store: PostgresStore) -> None:
    fire(store, "C1")
    [event] = store.events()
    assert event.on == DAY and event.recorded_at.tzinfo == dt.UTC


def test_verify_reads_a_postgresql_book(postgres_url: str) -> None:
    with PostgresStore.open(postgres_url) as store:
        fire(store, "C1", 2)
        seq, head = store.head()
    done = _run_cli("verify", "--db", postgres_url, "--anchor", f"{seq}:{head}")
    assert (done.returncode, done.stdout) == (
        0,
        f"ok: 2 events, 1 projections, 1 anchor; head 2:{head}\n",
    ), done.stderr


@pytest.mark.parametrize("outcome", ["committed", "not committed", "another committed"])
def test_a_commit_whose_connection_is_lost_is_looked_up(
    store: PostgresStore, postgres_url: str, monkeypatch: pytest.MonkeyPatch, outcome: str
) -> None:
    """The connection drops during the append's one statement: the store reconnects and
    finds out by the first event's (case, version) and fields. Committed, the append returns
    its events; not, BookUnavailable, and a retry writes it once; another writer's event at
    that version is not taken for this one."""
    fire(store, "C1")
    db = store._db
    assert db is not None
    execute = db.execute

    def failing(query: Any, *args: Any, **kwargs: Any) -> Any:
        if "creditflow_append" in str(query):
            if outcome == "committed":
                execute(query, *args, **kwargs)
            elif outcome == "another committed":
                with PostgresStore.open(postgres_url) as other:
                    other.append(
                        [new_event("C1", 2, key="other")], [case_row("C1", 2)], expected={"C1": 1}
                    )
            db.close()
            raise psycopg.OperationalError("the connection was closed (test)")
        return execute(query, *args, **kwargs)

    monkeypatch.setattr(db, "execute", failing)
    append = ([new_event("C1", 2, key="k2")], [case_row("C1", 2)], {"C1": 1})
    if outcome == "committed":
        [stored] = store.append(append[0], append[1], expected=append[2])
        assert store.by_idempotency_key("k2") == stored
    else:
        with pytest.raises(BookUnavailable, match="connection was lost"):
            store.append(append[0], append[1], expected=append[2])
        assert store.by_idempotency_key("k2") is None
        if outcome == "another committed":
            with pytest.raises(Conflict):
                store.append(append[0], append[1], expected=append[2])
        else:
            store.append(append[0], append[1], expected=append[2])
    assert store.head()[0] == 2 and store.verify().ok


def test_a_pooled_store_recovers_after_a_server_restart(
    postgres_cluster: PostgresCluster, postgres_url: str
) -> None:
    """Each pooled connection the restart broke fails once, typed, and is replaced."""
    with PostgresStore.open(postgres_url, pool_size=2) as store:
        fire(store, "C1")
        postgres_cluster.crash()
        postgres_cluster.start()
        failures = 0
        for _ in range(4):
            try:
                fire(store, "C1")
                break
            except BookUnavailable:
                failures += 1
        assert failures <= 2
        assert store.head()[0] == 2 and store.verify().ok


def test_appends_after_refused_ones_keep_working(store: PostgresStore) -> None:
    """A key conflict aborts the append's pipelined writes; the connection goes on serving
    (every statement used more than five times, when psycopg would prepare it)."""
    store.append([new_event("K", 1, key="used")], [case_row("K", 1)], expected={"K": 0})
    for number in range(12):
        fire(store, "C1")
        with pytest.raises(Conflict, match="already used"):
            store.append(
                [new_event(f"D{number}", 1, key="used")],
                [case_row(f"D{number}", 1)],
                expected={f"D{number}": 0},
            )
    assert store.head()[0] == 13 and store.verify().ok
