"""The PostgreSQL book's schema: its versioned forward migrations, recorded in
``creditflow_migrations``, and the advisory lock that serialises the chain and migrations."""

from __future__ import annotations

from typing import Final

import psycopg

from creditflow.book._postgres_connect import (
    Connection,
    conninfo_of,
    display,
    first_line,
    positive,
    typed,
)
from creditflow.errors import BookUnavailable, InvalidInput

__all__ = ["CHAIN_LOCK", "SCHEMA_VERSION", "migrate", "schema_version", "upgrade"]

CHAIN_LOCK: Final = 0x43464C57_00000001
"""The key of the advisory lock that serialises appends on one database ("CFLW", 1)."""

_MIGRATIONS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (
        "the event log, the case projection and their indexes",
        (
            """CREATE TABLE creditflow_cases (
                case_id text COLLATE "C" PRIMARY KEY,
                machine text COLLATE "C" NOT NULL,
                kind text COLLATE "C" NOT NULL,
                subject_id text COLLATE "C" NOT NULL,
                state text COLLATE "C" NOT NULL,
                version integer NOT NULL CHECK (version > 0),
                closed smallint NOT NULL CHECK (closed IN (0, 1)),
                last_on text COLLATE "C" NOT NULL,
                body text NOT NULL
            )""",
            """CREATE TABLE creditflow_events (
                seq bigint PRIMARY KEY CHECK (seq > 0),
                case_id text COLLATE "C" NOT NULL REFERENCES creditflow_cases (case_id)
                    DEFERRABLE INITIALLY DEFERRED,
                version integer NOT NULL CHECK (version > 0),
                event text COLLATE "C" NOT NULL,
                on_date text COLLATE "C" NOT NULL,
                actor text COLLATE "C" NOT NULL,
                data text NOT NULL,
                idempotency_key text COLLATE "C"
                    CONSTRAINT creditflow_events_key UNIQUE,
                recorded_at text COLLATE "C" NOT NULL,
                prev_hash text COLLATE "C" NOT NULL
                    CONSTRAINT creditflow_events_link UNIQUE,
                projection text COLLATE "C",
                hash text COLLATE "C" NOT NULL,
                CONSTRAINT creditflow_events_version UNIQUE (case_id, version)
            )""",
            "CREATE INDEX creditflow_cases_by_subject ON creditflow_cases (subject_id, case_id)",
            "CREATE INDEX creditflow_cases_by_machine "
            "ON creditflow_cases (machine, closed, case_id)",
            "CREATE INDEX creditflow_events_by_date ON creditflow_events (on_date)",
        ),
    ),
)

SCHEMA_VERSION: Final = len(_MIGRATIONS)
"""The schema version this creditflow writes; older databases are migrated when opened."""

_MIGRATIONS_TABLE: Final = """CREATE TABLE IF NOT EXISTS creditflow_migrations (
    version integer PRIMARY KEY,
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""


def schema_version(db: Connection) -> int:
    """The schema version of the book in the database ``db`` is connected to (0: none)."""
    if db.execute("SELECT to_regclass('creditflow_migrations')").fetchone() == (None,):
        return 0
    found = db.execute("SELECT max(version) FROM creditflow_migrations").fetchone()
    return 0 if found is None or found[0] is None else int(found[0])


def migrate(url: str, *, connect_timeout: float = 10.0) -> tuple[int, int]:
    """Bring the book at ``url`` to :data:`SCHEMA_VERSION`; ``(version before, after)``.

    Run it as a role that may create tables (the owner): the application's role then needs
    only the grants docs/postgres.md lists. Safe to run several times and from several
    hosts at once (the migration takes the chain lock).
    """
    conninfo = conninfo_of(url)
    where = display(conninfo)
    timeout = max(1, round(positive(connect_timeout, "connect_timeout")))
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=timeout) as db:
            before = schema_version(db)
            if before > SCHEMA_VERSION:
                raise InvalidInput(
                    f"{where} holds a book of schema version {before}, newer than this "
                    f"creditflow reads (up to {SCHEMA_VERSION}): use a newer creditflow"
                )
            upgrade(db, where)
            return before, schema_version(db)
    except psycopg.Error as exc:
        raise typed(exc, where) from exc


def upgrade(db: Connection, where: str) -> None:
    """Apply the missing migrations in one transaction, holding the chain lock."""
    try:
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (CHAIN_LOCK,))
            db.execute(_MIGRATIONS_TABLE)
            found = schema_version(db)  # again: another host may have migrated meanwhile
            for version in range(found + 1, SCHEMA_VERSION + 1):
                description, statements = _MIGRATIONS[version - 1]
                for statement in statements:
                    db.execute(statement)  # constant SQL
                db.execute(
                    "INSERT INTO creditflow_migrations (version, description) VALUES (%s, %s)",
                    (version, description),
                )
    except psycopg.errors.InsufficientPrivilege as exc:
        raise BookUnavailable(
            where,
            f"this role may not create the book's tables ({first_line(exc)}): run "
            "creditflow book migrate URL as the owner of the schema, then open it again",
        ) from exc
