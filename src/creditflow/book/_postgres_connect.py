"""Reaching a PostgreSQL book: its URL as a libpq connection string (and as text without its
password, for messages), timeouts, and every psycopg error turned into a creditflow error."""

from __future__ import annotations

import re
import urllib.parse
from typing import Any, Final, Literal

from creditflow.book.stores import is_postgres_url
from creditflow.errors import BookCorrupt, BookUnavailable, InvalidInput, MissingExtra

try:
    import psycopg
    from psycopg import conninfo as _conninfo
except ModuleNotFoundError as _missing:  # the postgres extra is absent
    raise MissingExtra("postgres", "psycopg", "the PostgreSQL store") from _missing

__all__ = [
    "COMMIT_MODES",
    "CommitMode",
    "Connection",
    "commit_mode_of",
    "conninfo_of",
    "display",
    "first_line",
    "milliseconds",
    "positive",
    "typed",
]

Connection = psycopg.Connection[tuple[Any, ...]]

CommitMode = Literal["strict", "grouped"]
COMMIT_MODES: Final[tuple[CommitMode, ...]] = ("strict", "grouped")
"""How an append commits (docs/postgres.md, "Commit modes"): ``strict`` holds the chain lock
through the commit's flush; ``grouped`` releases it at the commit and waits for the flush,
grouped with other writers', before the append returns."""

_COMMIT_PARAMETER: Final = "commit"
"""The URL query parameter of the commit mode (creditflow's, removed before libpq sees it)."""

# SQLSTATEs of a value the caller gave that PostgreSQL cannot hold (a NUL character in an id,
# a number out of range): the only database errors that are the caller's to fix.
_CALLERS_VALUE: Final = {
    "22021": "a text holds a character PostgreSQL cannot store (a NUL character)",
    "22003": "a number is out of the range PostgreSQL stores",
}

# SQLSTATEs that are not the caller's fault, and what to say about them. Most mean "try again
# later"; the others name what the deployment must fix.
_UNAVAILABLE: Final = {
    "25006": "the server is read-only (a standby replica, or a read-only transaction)",
    "55P03": "the chain lock stayed taken by another writer longer than lock_timeout",
    "57014": "the statement was cancelled (statement_timeout or a cancel request)",
    "57P01": "the server is shutting down, or an administrator ended the connection",
    "57P02": "the server crashed",
    "57P03": "the server is starting up or shutting down and accepts no connection",
    "40001": "a serialisation failure",
    "40P01": "a deadlock",
    "53300": "the server has too many connections",
    "53100": "the server's disk is full",
    "22P05": "the database's encoding cannot hold a character: a book needs a UTF8 database",
    "42501": "this role lacks a privilege the book needs (docs/postgres.md lists the grants)",
    "42P01": "a table of the book is missing from this role's search_path (run creditflow book "
    "migrate URL as the schema's owner, or set the search_path of the book's schema)",
    "42883": "a function of the book is missing from this role's search_path (run creditflow "
    "book migrate URL as the schema's owner, or set the search_path of the book's schema)",
}

# SQLSTATEs of data the server found damaged on disk: the book is corrupt, not unavailable.
_DAMAGED: Final = {
    "XX001": "the server found damaged data",
    "XX002": "the server found a damaged index",
}

# libpq's messages for a connection parameter it refuses when connecting (the URL parsed, but
# a value is wrong: port=abc, sslmode=bogus), in the URL or in a PG* environment variable.
_BAD_PARAMETER: Final = (
    re.compile(r'invalid integer value "(?P<value>[^"]*)" for connection option "(?P<name>\w+)"'),
    re.compile(r'invalid (?P<name>\w+) value: "(?P<value>[^"]*)"'),
    re.compile(r'invalid (?P<name>port) number: "(?P<value>[^"]*)"'),
    re.compile(r"could not match \d+ (?P<name>port) numbers to \d+ hosts"),
    re.compile(r'weak (?P<name>sslmode) "(?P<value>[^"]*)"'),
)


def typed(exc: psycopg.Error, where: str) -> Exception:
    """The creditflow error for a psycopg one (the only place that decides it).

    Only a value the caller gave is :class:`InvalidInput`: a value PostgreSQL cannot hold, or
    a connection parameter libpq refuses when connecting (``port=abc``). Data the server
    found damaged (SQLSTATE ``XX001``, ``XX002``) is :class:`BookCorrupt`. Everything else, a
    constraint the code should have kept (another writer outside creditflow's lock, a bug), a
    missing table or grant, a failing server, is :class:`BookUnavailable`: nothing was written.
    """
    state = exc.sqlstate or ""
    if isinstance(exc, psycopg.DataError) and (state in _CALLERS_VALUE or not state):
        reason = _CALLERS_VALUE.get(state, "a value given")  # no state: psycopg refused it
        return InvalidInput(f"PostgreSQL cannot store {reason}: {first_line(exc)}")
    damaged = _DAMAGED.get(state)
    if damaged is not None:
        return BookCorrupt(f"{damaged} reading or writing the book at {where}: {first_line(exc)}")
    if isinstance(exc, psycopg.OperationalError) and not state:
        refused = _bad_parameter(str(exc))
        if refused is not None:
            return refused
    known = _UNAVAILABLE.get(state)
    if known is not None:
        return BookUnavailable(where, f"{known}: {first_line(exc)}")
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return BookUnavailable(where, f"the connection failed or was lost: {first_line(exc)}")
    if isinstance(exc, psycopg.IntegrityError):
        return BookUnavailable(
            where, f"a constraint of the book refused the change: {first_line(exc)}"
        )
    return BookUnavailable(where, f"the database failed: {first_line(exc)}")


def _bad_parameter(message: str) -> InvalidInput | None:
    """:class:`InvalidInput` naming the connection parameter libpq refused, if it did."""
    for pattern in _BAD_PARAMETER:
        found = pattern.search(message)
        if found is not None:
            name = found.group("name")
            value = found.groupdict().get("value")
            given = f"{name}={value!r}" if value is not None else name
            return InvalidInput(
                f"the connection parameter {given} is not valid (in the URL or a PG* "
                f"environment variable): {message.strip().splitlines()[0]}"
            )
    return None


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def commit_mode_of(url: str) -> CommitMode | None:
    """The commit mode a book URL asks for (``?commit=grouped``), None if it names none."""
    if not is_postgres_url(url):
        raise InvalidInput(f"{_display_url(url)!r} is not a PostgreSQL URL (postgresql://...)")
    _, given = _split_commit(url)
    if given is None:
        return None
    if given not in COMMIT_MODES:
        raise InvalidInput(
            f"{_display_url(url)}: the parameter commit={given!r} must be one of "
            f"{', '.join(COMMIT_MODES)}"
        )
    return given


def _split_commit(url: str) -> tuple[str, str | None]:
    """``url`` without creditflow's ``commit`` query parameter, and that parameter's value.
    Every other parameter is kept byte for byte."""
    base, mark, query = url.partition("?")
    if not mark:
        return url, None
    kept: list[str] = []
    value: str | None = None
    for item in query.split("&"):
        name, _, text = item.partition("=")
        if urllib.parse.unquote_plus(name) == _COMMIT_PARAMETER:
            if value is not None:
                raise InvalidInput(f"{_display_url(url)} gives the parameter commit twice")
            value = urllib.parse.unquote_plus(text)
        else:
            kept.append(item)
    return (f"{base}?{'&'.join(kept)}" if kept else base), value


def conninfo_of(url: str) -> str:
    """The libpq connection string of a book URL; ``postgresql+unix://user@/dir/db`` names a
    socket directory and a database. creditflow's own ``commit`` parameter is left out."""
    if not is_postgres_url(url):
        raise InvalidInput(f"{_display_url(url)!r} is not a PostgreSQL URL (postgresql://...)")
    url, _ = _split_commit(url)
    if not url.startswith("postgresql+unix://"):
        try:
            _conninfo.conninfo_to_dict(url)
        except psycopg.ProgrammingError as exc:
            raise InvalidInput(f"the URL cannot be read: {first_line(exc)}") from None
        return url
    parts = urllib.parse.urlsplit(url)
    directory, _, database = parts.path.rpartition("/")
    if not directory or not database or parts.hostname:
        raise InvalidInput(
            f"{_display_url(url)} must be postgresql+unix://[user@]/SOCKET/DIRECTORY/DATABASE"
        )
    params: dict[str, Any] = dict(urllib.parse.parse_qsl(parts.query))
    params.update(host=urllib.parse.unquote(directory), dbname=urllib.parse.unquote(database))
    if parts.username:
        params["user"] = urllib.parse.unquote(parts.username)
    if parts.password:
        params["password"] = urllib.parse.unquote(parts.password)
    try:
        return _conninfo.make_conninfo("", **params)
    except psycopg.ProgrammingError as exc:  # an unknown option in the query
        raise InvalidInput(f"{_display_url(url)} cannot be read: {first_line(exc)}") from None


def display(conninfo: str) -> str:
    """A connection string as a URL without its password, for messages."""
    try:
        params = _conninfo.conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError:
        return "postgresql://?"
    user = f"{params['user']}@" if params.get("user") else ""
    host = str(params.get("host") or "")
    port = f":{params['port']}" if params.get("port") else ""
    if host.startswith("/"):
        host, port = urllib.parse.quote(host, safe=""), ""
    return f"postgresql://{user}{host}{port}/{params.get('dbname') or ''}"


def _display_url(url: str) -> str:
    """``url`` for a message: a password, in its user part or as a ``password`` (or
    ``sslpassword``) query parameter, shown as ``***``."""
    try:
        parts = urllib.parse.urlsplit(url)
        password = parts.password
    except ValueError:  # not even a URL's shape: show none of it
        return "the URL"
    netloc = parts.netloc
    if password is not None:
        netloc = netloc.replace(f":{password}@", ":***@", 1)
    items = parts.query.split("&") if parts.query else []
    query = "&".join(
        f"{item.partition('=')[0]}=***" if _is_password(item.partition("=")[0]) else item
        for item in items
    )
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc, query=query))


def _is_password(name: str) -> bool:
    return urllib.parse.unquote_plus(name).strip().lower() in ("password", "sslpassword")


def milliseconds(seconds: float, name: str) -> int:
    return max(1, round(positive(seconds, name) * 1000))


def positive(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise InvalidInput(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)
