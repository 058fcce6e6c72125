"""The settings of ``creditflow serve``."""

from __future__ import annotations

import math
from typing import Any

import attrs

from creditflow._repr import shown
from creditflow.errors import InvalidInput

__all__ = ["DEFAULT_BUSY_TIMEOUT", "ServiceSettings"]

DEFAULT_BUSY_TIMEOUT = 2.0
"""Seconds a write waits for another writer's lock on the book before ``503``."""


def _seconds(instance: Any, attribute: Any, value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 < value <= 600
    ):
        raise InvalidInput(
            f"{attribute.name} must be a number of seconds in (0, 600], got {shown(value)}"
        )


@attrs.frozen
class ServiceSettings:
    """How ``creditflow serve`` runs: the ``book`` URL or path (handed to
    :meth:`CreditBook.open <creditflow.CreditBook.open>` unchanged), the ``policy`` source,
    the ``auth`` file, the ``decision_log`` target (a file, ``"-"`` for standard output, None
    for none) rotated past ``log_max_bytes`` keeping ``log_backups`` files, and the largest
    request body ``max_body`` in bytes, the ``instance`` name in the decision log, and the
    ``evaluations`` file (JSON lines, :func:`~creditflow.service.register.read_evaluations`)
    that checks and approvals read, and ``busy_timeout``: the seconds a write waits for
    another writer's lock on the book before it answers ``503 book_unavailable`` (SQLite's
    busy timeout, PostgreSQL's ``lock_timeout``)."""

    book: str
    auth: str
    policy: str | None = None
    decision_log: str | None = None
    log_max_bytes: int = 50_000_000
    log_backups: int = 10
    max_body: int = 8_000_000
    instance: str = ""
    evaluations: str | None = None
    busy_timeout: float = attrs.field(default=DEFAULT_BUSY_TIMEOUT, validator=_seconds)
