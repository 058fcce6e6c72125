"""Reaching a PostgreSQL book: its URL as a libpq connection string (and as text without its
password, for messages), timeouts, and every psycopg error turned into a creditflow error."""

from __future__ import annotations

import urllib.parse
from typing import Any, Final

from creditflow.book.stores import is_postgres_url
from creditflow.errors import BookUnavailable, InvalidInput, MissingExtra

try:
    import psycopg
    from psycopg import conninfo as _conninfo
except ModuleNotFoundError as _missing:  # the postgres extra is absent
    raise MissingExtra("postgres", "psycopg", "the PostgreSQL store") from _missing

__all__ = [
    "Connection",
    "conninfo_of",
    "display",
    "first_line",
    "milliseconds",
    "positive",
    "typed",
]

Connection = psycopg.Connection[tuple[Any, ...]]

# SQLSTATEs that mean "try again later" and what to say about them.
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
}


def typed(exc: psycopg.Error, where: str) -> Exception:
    """The creditflow error for a psycopg one (the only place that decides it)."""
    if isinstance(exc, psycopg.DataError):
        return InvalidInput(f"PostgreSQL cannot store a value given: {first_line(exc)}")
    known = _UNAVAILABLE.get(exc.sqlstate or "")
    if known is not None:
        return BookUnavailable(where, f"{known}: {first_line(exc)}")
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return BookUnavailable(where, f"the connection failed or was lost: {first_line(exc)}")
    return BookUnavailable(where, f"the database failed: {first_line(exc)}")


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def conninfo_of(url: str) -> str:
    """The libpq connection string of a book URL; ``postgresql+unix://user@/dir/db`` names a
    socket directory and a database."""
    if not is_postgres_url(url):
        raise InvalidInput(f"{url!r} is not a PostgreSQL URL (postgresql://...)")
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
    return _conninfo.make_conninfo("", **params)


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
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def milliseconds(seconds: float, name: str) -> int:
    return max(1, round(positive(seconds, name) * 1000))


def positive(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise InvalidInput(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)
