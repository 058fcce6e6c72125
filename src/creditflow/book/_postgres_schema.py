"""The PostgreSQL book's schema: its versioned forward migrations, recorded in
``creditflow_migrations``, and the advisory lock that serialises the chain and migrations.

The chain lock's key is :data:`CHAIN_KEY_SQL`: ``0x43464C57`` ("CFLW") in the high 32 bits and
the OID of the schema that holds the book's tables in the low 32, so two books in two schemas
of one database never wait for each other (an OID names one schema of a database; advisory
locks are per database)."""

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

__all__ = [
    "CHAIN_KEY_SQL",
    "SCHEMA_VERSION",
    "STALE_VERSION",
    "check_encoding",
    "migrate",
    "schema_version",
    "upgrade",
]

_LEGACY_CHAIN_LOCK: Final = 0x43464C57_00000001
"""The one key per database of schema 2's ``creditflow_append`` (replaced by schema 3)."""

CHAIN_KEY_SQL: Final = (
    f"({0x43464C57 << 32}::bigint | coalesce("
    "(SELECT c.relnamespace FROM pg_class c WHERE c.oid = to_regclass('creditflow_events')), "
    "(SELECT n.oid FROM pg_namespace n WHERE n.nspname = current_schema()))::bigint)"
)
"""The SQL expression of the chain lock's key: "CFLW" and the OID of the schema of
``creditflow_events`` (of the schema the tables will be created in, before they are). It is
also the body of the SQL function ``creditflow_chain_key()`` (schema 3)."""

_VERSION_1: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
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

STALE_VERSION: Final = "CF409"
"""The SQLSTATE ``creditflow_append`` raises for a case whose version is not the expected one;
its DETAIL is the JSON array ``[case_id, expected, actual]``."""

_CASE_SETS: Final = ", ".join(
    f"{column} = excluded.{column}"
    for column in ("machine", "kind", "subject_id", "state", "version", "closed", "last_on", "body")
)

# One append in one statement: the chain lock is taken and released (at the statement's
# commit, in autocommit) by the server, never held across a round trip of the client. The
# client sends each event's hash input cut around prev_hash and seq (encoding.
# event_input_pieces); the function reads the versions and the head after the lock (each
# statement of a VOLATILE function takes a new snapshot under READ COMMITTED), chains and
# returns (seq, prev_hash, hash) per event, which the client recomputes with event_digest.
_APPEND_FUNCTION: Final = f"""CREATE FUNCTION creditflow_append(
    expected_ids text[], expected_versions integer[],
    case_ids text[], versions integer[], names text[], on_dates text[], actors text[],
    data_texts text[], keys text[], recorded text, projections text[],
    prefixes text[], infixes text[], suffixes text[],
    row_ids text[], row_machines text[], row_kinds text[], row_subjects text[],
    row_states text[], row_versions integer[], row_closed smallint[], row_last_on text[],
    row_bodies text[]
) RETURNS TABLE (r_seq bigint, r_prev text, r_hash text)
LANGUAGE plpgsql VOLATILE AS $function$
DECLARE
    bad_id text;
    bad_expected integer;
    bad_actual integer;
    head_seq bigint;
    head_hash text;
    digest text;
BEGIN
    PERFORM pg_advisory_xact_lock({_LEGACY_CHAIN_LOCK});
    SELECT x.id, x.version, coalesce(c.version, 0) INTO bad_id, bad_expected, bad_actual
        FROM unnest(expected_ids, expected_versions) WITH ORDINALITY AS x (id, version, n)
        LEFT JOIN creditflow_cases c ON c.case_id = x.id
        WHERE coalesce(c.version, 0) <> x.version ORDER BY x.n LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '{STALE_VERSION}',
            MESSAGE = format('case %s is at version %s, not %s', bad_id, bad_actual, bad_expected),
            DETAIL = json_build_array(bad_id, bad_expected, bad_actual)::text;
    END IF;
    SELECT e.seq, e.hash INTO head_seq, head_hash
        FROM creditflow_events e ORDER BY e.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        head_seq := 0;
        head_hash := repeat('0', 64);
    END IF;
    FOR i IN 1 .. coalesce(array_length(case_ids, 1), 0) LOOP
        head_seq := head_seq + 1;
        digest := encode(sha256(convert_to(prefixes[i] || head_hash || infixes[i]
            || head_seq::text || suffixes[i], 'UTF8')), 'hex');
        INSERT INTO creditflow_events (seq, case_id, version, event, on_date, actor, data,
                idempotency_key, recorded_at, prev_hash, projection, hash)
            VALUES (head_seq, case_ids[i], versions[i], names[i], on_dates[i], actors[i],
                data_texts[i], keys[i], recorded, head_hash, projections[i], digest);
        r_seq := head_seq;
        r_prev := head_hash;
        r_hash := digest;
        RETURN NEXT;
        head_hash := digest;
    END LOOP;
    INSERT INTO creditflow_cases (case_id, machine, kind, subject_id, state, version, closed,
            last_on, body)
        SELECT * FROM unnest(row_ids, row_machines, row_kinds, row_subjects, row_states,
            row_versions, row_closed, row_last_on, row_bodies)
        ON CONFLICT (case_id) DO UPDATE SET {_CASE_SETS};
END
$function$"""

_CHAIN_KEY_FUNCTION: Final = f"""CREATE FUNCTION creditflow_chain_key() RETURNS bigint
LANGUAGE sql STABLE AS $function$ SELECT {CHAIN_KEY_SQL} $function$"""

# Schema 3: the same arguments and results as schema 2, but the loop only chains (hashes into
# two arrays) and the rows go in with one set-based INSERT each: a PL/pgSQL INSERT per event
# cost more than its hash (measured: benchmarks/postgres.py, docs/postgres.md "Speed"). The
# lock is keyed by the book's schema (creditflow_chain_key), no longer one key per database.
_SET_APPEND_FUNCTION: Final = f"""CREATE OR REPLACE FUNCTION creditflow_append(
    expected_ids text[], expected_versions integer[],
    case_ids text[], versions integer[], names text[], on_dates text[], actors text[],
    data_texts text[], keys text[], recorded text, projections text[],
    prefixes text[], infixes text[], suffixes text[],
    row_ids text[], row_machines text[], row_kinds text[], row_subjects text[],
    row_states text[], row_versions integer[], row_closed smallint[], row_last_on text[],
    row_bodies text[]
) RETURNS TABLE (r_seq bigint, r_prev text, r_hash text)
LANGUAGE plpgsql VOLATILE AS $function$
DECLARE
    bad_id text;
    bad_expected integer;
    bad_actual integer;
    head_seq bigint;
    head_hash text;
    prevs text[] := '{{}}';
    hashes text[] := '{{}}';
BEGIN
    PERFORM pg_advisory_xact_lock(creditflow_chain_key());
    SELECT x.id, x.version, coalesce(c.version, 0) INTO bad_id, bad_expected, bad_actual
        FROM unnest(expected_ids, expected_versions) WITH ORDINALITY AS x (id, version, n)
        LEFT JOIN creditflow_cases c ON c.case_id = x.id
        WHERE coalesce(c.version, 0) <> x.version ORDER BY x.n LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '{STALE_VERSION}',
            MESSAGE = format('case %s is at version %s, not %s', bad_id, bad_actual, bad_expected),
            DETAIL = json_build_array(bad_id, bad_expected, bad_actual)::text;
    END IF;
    SELECT e.seq, e.hash INTO head_seq, head_hash
        FROM creditflow_events e ORDER BY e.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        head_seq := 0;
        head_hash := repeat('0', 64);
    END IF;
    FOR i IN 1 .. coalesce(array_length(case_ids, 1), 0) LOOP
        prevs[i] := head_hash;
        head_hash := encode(sha256(convert_to(prefixes[i] || head_hash || infixes[i]
            || (head_seq + i)::text || suffixes[i], 'UTF8')), 'hex');
        hashes[i] := head_hash;
    END LOOP;
    INSERT INTO creditflow_events (seq, case_id, version, event, on_date, actor, data,
            idempotency_key, recorded_at, prev_hash, projection, hash)
        SELECT head_seq + x.n, x.case_id, x.version, x.event, x.on_date, x.actor, x.data,
                x.idempotency_key, recorded, x.prev_hash, x.projection, x.hash
            FROM unnest(case_ids, versions, names, on_dates, actors, data_texts, keys, prevs,
                projections, hashes) WITH ORDINALITY AS x (case_id, version, event, on_date,
                actor, data, idempotency_key, prev_hash, projection, hash, n);
    INSERT INTO creditflow_cases (case_id, machine, kind, subject_id, state, version, closed,
            last_on, body)
        SELECT * FROM unnest(row_ids, row_machines, row_kinds, row_subjects, row_states,
            row_versions, row_closed, row_last_on, row_bodies)
        ON CONFLICT (case_id) DO UPDATE SET {_CASE_SETS};
    RETURN QUERY SELECT head_seq + x.n, x.prev_hash, x.hash
        FROM unnest(prevs, hashes) WITH ORDINALITY AS x (prev_hash, hash, n) ORDER BY x.n;
END
$function$"""

# Schema 4: schema 3's function sent each event's data twice, as its column and inside the
# hash input's first piece. creditflow_append_v4 takes the hash input cut around the data as
# well (encoding.event_input_parts: head, data, mid, prev_hash, between, seq, after) and puts
# the column's text in its place, so the data goes once; stored values and hashes are the
# same bytes. Schema 3's creditflow_append stays, unchanged, for a creditflow of schema 3
# still running during an upgrade (both take the same chain lock).
_APPEND_V4_FUNCTION: Final = f"""CREATE FUNCTION creditflow_append_v4(
    expected_ids text[], expected_versions integer[],
    case_ids text[], versions integer[], names text[], on_dates text[], actors text[],
    data_texts text[], keys text[], recorded text, projections text[],
    heads text[], mids text[], betweens text[], afters text[],
    row_ids text[], row_machines text[], row_kinds text[], row_subjects text[],
    row_states text[], row_versions integer[], row_closed smallint[], row_last_on text[],
    row_bodies text[]
) RETURNS TABLE (r_seq bigint, r_prev text, r_hash text)
LANGUAGE plpgsql VOLATILE AS $function$
DECLARE
    bad_id text;
    bad_expected integer;
    bad_actual integer;
    head_seq bigint;
    head_hash text;
    prevs text[] := '{{}}';
    hashes text[] := '{{}}';
BEGIN
    PERFORM pg_advisory_xact_lock(creditflow_chain_key());
    SELECT x.id, x.version, coalesce(c.version, 0) INTO bad_id, bad_expected, bad_actual
        FROM unnest(expected_ids, expected_versions) WITH ORDINALITY AS x (id, version, n)
        LEFT JOIN creditflow_cases c ON c.case_id = x.id
        WHERE coalesce(c.version, 0) <> x.version ORDER BY x.n LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '{STALE_VERSION}',
            MESSAGE = format('case %s is at version %s, not %s', bad_id, bad_actual, bad_expected),
            DETAIL = json_build_array(bad_id, bad_expected, bad_actual)::text;
    END IF;
    SELECT e.seq, e.hash INTO head_seq, head_hash
        FROM creditflow_events e ORDER BY e.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        head_seq := 0;
        head_hash := repeat('0', 64);
    END IF;
    FOR i IN 1 .. coalesce(array_length(case_ids, 1), 0) LOOP
        prevs[i] := head_hash;
        head_hash := encode(sha256(convert_to(heads[i] || data_texts[i] || mids[i] || head_hash
            || betweens[i] || (head_seq + i)::text || afters[i], 'UTF8')), 'hex');
        hashes[i] := head_hash;
    END LOOP;
    INSERT INTO creditflow_events (seq, case_id, version, event, on_date, actor, data,
            idempotency_key, recorded_at, prev_hash, projection, hash)
        SELECT head_seq + x.n, x.case_id, x.version, x.event, x.on_date, x.actor, x.data,
                x.idempotency_key, recorded, x.prev_hash, x.projection, x.hash
            FROM unnest(case_ids, versions, names, on_dates, actors, data_texts, keys, prevs,
                projections, hashes) WITH ORDINALITY AS x (case_id, version, event, on_date,
                actor, data, idempotency_key, prev_hash, projection, hash, n);
    INSERT INTO creditflow_cases (case_id, machine, kind, subject_id, state, version, closed,
            last_on, body)
        SELECT * FROM unnest(row_ids, row_machines, row_kinds, row_subjects, row_states,
            row_versions, row_closed, row_last_on, row_bodies)
        ON CONFLICT (case_id) DO UPDATE SET {_CASE_SETS};
    RETURN QUERY SELECT head_seq + x.n, x.prev_hash, x.hash
        FROM unnest(prevs, hashes) WITH ORDINALITY AS x (prev_hash, hash, n) ORDER BY x.n;
END
$function$"""

_MIGRATIONS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    *_VERSION_1,
    ("creditflow_append: an append in one statement, chained by the server", (_APPEND_FUNCTION,)),
    (
        "creditflow_append writes set-based; the chain lock is keyed by the book's schema",
        (_CHAIN_KEY_FUNCTION, _SET_APPEND_FUNCTION),
    ),
    (
        "creditflow_append_v4: each event's data is sent once, not again in the hash input",
        (_APPEND_V4_FUNCTION,),
    ),
)

SCHEMA_VERSION: Final = len(_MIGRATIONS)
"""The schema version this creditflow writes; older databases are migrated when opened."""

_MIGRATIONS_TABLE: Final = """CREATE TABLE IF NOT EXISTS creditflow_migrations (
    version integer PRIMARY KEY,
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""


def check_encoding(db: Connection, where: str) -> None:
    """:class:`BookUnavailable` unless the database is UTF8: a book holds any Unicode text
    (names in Chinese), and a database of another encoding cannot store it (psycopg would
    fail encoding it, before the server is asked)."""
    encoding = db.info.parameter_status("server_encoding")
    if encoding != "UTF8":
        raise BookUnavailable(
            where,
            f"the database's encoding is {encoding or 'unknown'}: a book needs a UTF8 database "
            "(CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0)",
        )


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
    hosts at once (the migration takes the chain lock). The version before is read under
    that lock: of two runs at once, one reports ``(old, new)`` and the other ``(new, new)``.
    """
    conninfo = conninfo_of(url)
    where = display(conninfo)
    timeout = max(1, round(positive(connect_timeout, "connect_timeout")))
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=timeout) as db:
            check_encoding(db, where)
            before = upgrade(db, where)
            return before, schema_version(db)
    except psycopg.Error as exc:
        raise typed(exc, where) from exc


def upgrade(db: Connection, where: str) -> int:
    """Apply the missing migrations in one transaction, holding the chain lock; the version
    found under the lock (another host may have migrated meanwhile). A schema newer than
    :data:`SCHEMA_VERSION` is :class:`InvalidInput`, and nothing changes."""
    try:
        with db.transaction():
            db.execute(f"SELECT pg_advisory_xact_lock({CHAIN_KEY_SQL})")  # constant SQL
            db.execute(_MIGRATIONS_TABLE)
            found = schema_version(db)
            if found > SCHEMA_VERSION:
                raise InvalidInput(
                    f"{where} holds a book of schema version {found}, newer than this "
                    f"creditflow reads (up to {SCHEMA_VERSION}): use a newer creditflow"
                )
            for version in range(found + 1, SCHEMA_VERSION + 1):
                description, statements = _MIGRATIONS[version - 1]
                for statement in statements:
                    db.execute(statement)  # constant SQL
                db.execute(
                    "INSERT INTO creditflow_migrations (version, description) VALUES (%s, %s)",
                    (version, description),
                )
            return found
    except psycopg.errors.InsufficientPrivilege as exc:
        raise BookUnavailable(
            where,
            f"this role may not create the book's tables ({first_line(exc)}): run "
            "creditflow book migrate URL as the owner of the schema, then open it again",
        ) from exc
