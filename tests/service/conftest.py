"""The ``server`` fixture: a real uvicorn server on loopback (see ``_server.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _server import Server, write_auth


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A server on a new SQLite book, with a decision log."""
    auth = write_auth(tmp_path / "auth.toml")
    running = Server(str(tmp_path / "book.sqlite"), auth, tmp_path / "decisions.jsonl")
    try:
        yield running
    finally:
        running.stop()
