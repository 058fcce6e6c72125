"""The settings of ``creditflow serve``."""

from __future__ import annotations

import attrs

__all__ = ["ServiceSettings"]


@attrs.frozen
class ServiceSettings:
    """How ``creditflow serve`` runs: the ``book`` URL or path (handed to
    :meth:`CreditBook.open <creditflow.CreditBook.open>` unchanged), the ``policy`` source,
    the ``auth`` file, the ``decision_log`` target (a file, ``"-"`` for standard output, None
    for none) rotated past ``log_max_bytes`` keeping ``log_backups`` files, and the largest
    request body ``max_body`` in bytes, the ``instance`` name in the decision log, and the
    ``evaluations`` file (JSON lines, :func:`~creditflow.service.register.read_evaluations`)
    that checks and approvals read."""

    book: str
    auth: str
    policy: str | None = None
    decision_log: str | None = None
    log_max_bytes: int = 50_000_000
    log_backups: int = 10
    max_body: int = 8_000_000
    instance: str = ""
    evaluations: str | None = None
