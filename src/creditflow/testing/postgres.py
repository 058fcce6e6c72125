"""A throwaway PostgreSQL server for tests: ``initdb`` in a temporary directory, ``pg_ctl`` on a
free loopback port, a fresh database per test, everything removed when it stops.

The pytest plugin's ``postgres_cluster`` (one per session) and ``postgres_url`` (a fresh
empty book per test) fixtures use it; so can any test suite::

    with PostgresCluster() as cluster:
        url = cluster.create_database()
        with CreditBook.open(url) as book: ...

It needs the PostgreSQL server programs (Debian's ``postgresql`` package: ``initdb`` and
``pg_ctl`` on ``PATH`` or in ``/usr/lib/postgresql/<version>/bin``). ``initdb`` refuses to run
as root: as root, the server runs as the ``postgres`` user (``runuser``). The cluster trusts
local connections and skips ``fsync`` (a test server: nothing outlives it), but keeps
``synchronous_commit``, so a server killed with ``crash()`` keeps every acknowledged commit.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Self

from creditflow.errors import BookUnavailable

__all__ = ["PostgresCluster", "find_program"]

_SETTINGS = {
    "fsync": "off",
    "full_page_writes": "off",
    "listen_addresses": "127.0.0.1",
    "max_connections": "120",
    "shared_buffers": "32MB",
    "log_min_messages": "warning",
}


def find_program(name: str) -> str | None:
    """The path of a PostgreSQL server program (``initdb``, ``pg_ctl``): on ``PATH``, else
    in the newest ``/usr/lib/postgresql/*/bin`` (where Debian puts it); None if absent."""
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    candidates.sort(key=lambda path: int(Path(path).parts[-3].partition(".")[0] or 0))
    return candidates[-1] if candidates else None


class PostgresCluster:
    """A PostgreSQL cluster in a temporary directory, for tests. Start it with :meth:`start`
    (or as a context manager), stop it with :meth:`stop`; :meth:`crash` kills it as a power
    loss would (``pg_ctl stop -m immediate``) and :meth:`start` brings it back.

    ``durable=True`` keeps PostgreSQL's defaults (``fsync`` and full-page writes on), as a
    benchmark against SQLite's durable commits needs."""

    def __init__(self, *, durable: bool = False) -> None:
        self._settings = dict(_SETTINGS)
        if durable:
            del self._settings["fsync"], self._settings["full_page_writes"]
        self._initdb = _required("initdb")
        self._pg_ctl = _required("pg_ctl")
        self._as: list[str] = []
        self._owner: int | None = None
        if os.geteuid() == 0:  # initdb refuses root: run the server as postgres
            entry = pwd.getpwnam("postgres")
            self._owner = entry.pw_uid
            self._as = ["runuser", "-u", "postgres", "--"]
        self.directory = Path(tempfile.mkdtemp(prefix="creditflow-pg-"))
        self.data = self.directory / "data"
        self.port = 0
        self._names = itertools.count(1)
        self._running = False
        self._template: str | None = None
        if self._owner is not None:
            os.chown(self.directory, self._owner, -1)
        atexit.register(self.remove)  # a session ended by Ctrl-C leaves no server behind
        self._run([self._initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust",
                   "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])  # fmt: skip

    @property
    def running(self) -> bool:
        """True while the server runs."""
        return self._running

    def start(self) -> None:
        """Start the server (on a free loopback port the first time, the same one after)."""
        if self._running:
            return
        self.port = self.port or _free_port()
        options = " ".join(f"-c {key}={value}" for key, value in self._settings.items())
        options += f" -c port={self.port} -c unix_socket_directories={self.directory}"
        self._run([self._pg_ctl, "-D", str(self.data), "-l", str(self.directory / "server.log"),
                   "-w", "-t", "60", "-o", options, "start"])  # fmt: skip
        self._running = True

    def stop(self) -> None:
        """Stop the server quickly (``-m fast``) if it runs (idempotent)."""
        if self._running:
            self._running = False
            self._run([self._pg_ctl, "-D", str(self.data), "-w", "-m", "fast", "stop"])

    def crash(self) -> None:
        """Stop the server at once, as a crash would (``-m immediate``): no checkpoint, the
        next start recovers from the write-ahead log."""
        self._running = False
        self._run([self._pg_ctl, "-D", str(self.data), "-w", "-m", "immediate", "stop"])

    def remove(self) -> None:
        """Stop the server and delete its directory (idempotent)."""
        try:
            self.stop()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
            atexit.unregister(self.remove)

    def url(self, database: str = "postgres") -> str:
        """The URL of ``database`` on this server (user ``postgres``, over loopback TCP)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, *, with_schema: bool = True) -> str:
        """A new, empty database; its URL. ``with_schema`` copies a database whose book
        schema is already created (opening it then migrates nothing)."""
        import psycopg

        from creditflow.book.postgres_store import migrate

        name = f"book_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as db:
            if with_schema and self._template is None:
                template = f"template_{os.getpid()}"
                db.execute(f'CREATE DATABASE "{template}"')
                migrate(self.url(template))
                self._template = template
            source = f' TEMPLATE "{self._template}" STRATEGY FILE_COPY' if with_schema else ""
            db.execute(f'CREATE DATABASE "{name}"{source}')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop the database of ``url``, ending its connections."""
        import psycopg

        name = url.rsplit("/", 1)[-1]
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.remove()

    def _run(self, command: list[str]) -> None:
        with contextlib.suppress(FileNotFoundError):
            done = subprocess.run(
                [*self._as, *command],
                capture_output=True,
                text=True,
                check=False,
                timeout=120,
                cwd=self.directory,  # a directory the server's user may enter
            )
            if done.returncode == 0:
                return
            log = self.directory / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise BookUnavailable(
                f"postgresql://127.0.0.1:{self.port}",
                f"{Path(command[0]).name} failed: {done.stderr.strip()} {tail}".strip(),
            )
        raise BookUnavailable("postgresql://", f"cannot run {command[0]}")


def _required(name: str) -> str:
    found = find_program(name)
    if found is None:
        raise BookUnavailable(
            "postgresql://",
            f"the PostgreSQL server program {name} is not installed (on Debian: "
            "apt-get install postgresql)",
        )
    return found


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
