"""Decision logs: every check and decision as one JSON line, in the shape of OPA's decision logs.

Each line holds ``decision_id``, ``timestamp`` (UTC, RFC 3339), ``path`` (what was decided:
``creditflow/check``, ``creditflow/decide``, ...), ``requested_by`` (the token's actor),
``input`` (the subject masked), ``result`` (the outcome, the rule ids and the pack), ``bundles``
(the pack as OPA names a policy bundle: ``{name: {"revision": "version#digest"}}``),
``labels`` (this service), ``metrics`` and ``masked`` (the JSON pointers masked, as OPA's
``mask`` policy reports them). The lines go to a file rotated by size, or to standard output.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
import sys
import uuid
from collections.abc import Mapping
from typing import Any

from creditflow import __version__
from creditflow.core.privacy import mask_resident_ids

__all__ = ["DecisionLog"]


class DecisionLog:
    """Writes decision lines to ``target`` (a file path, rotated past ``max_bytes`` keeping
    ``backups`` old files, or ``"-"`` for standard output); ``instance`` labels the server."""

    def __init__(
        self, target: str, *, max_bytes: int = 50_000_000, backups: int = 10, instance: str = ""
    ) -> None:
        self._logger = logging.getLogger(f"creditflow.decisions.{uuid.uuid4().hex}")
        self._logger.propagate = False
        self._logger.setLevel(logging.INFO)
        handler: logging.Handler
        if target == "-":
            handler = logging.StreamHandler(sys.stdout)
        else:
            handler = logging.handlers.RotatingFileHandler(
                target, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
            )
        handler.setFormatter(logging.Formatter("%(message)s"))
        self._handler = handler
        self._logger.addHandler(handler)
        self._labels = {"app": "creditflow", "version": __version__, "id": instance}

    def write(
        self,
        path: str,
        *,
        actor: str,
        pack: tuple[str, str],
        input: Mapping[str, Any],
        result: Mapping[str, Any],
        nanoseconds: int,
    ) -> str:
        """Write one decision; ``pack`` is ``(name@version, digest)``. Returns its id."""
        decision_id = str(uuid.uuid4())
        key, digest = pack
        name, _, version = key.partition("@")
        plain = json.dumps(dict(input), ensure_ascii=False, sort_keys=True)
        masked_input = mask_resident_ids(plain)
        line = {
            "decision_id": decision_id,
            "timestamp": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
            "path": path,
            "requested_by": actor,
            "input": json.loads(masked_input),
            "result": dict(result),
            "bundles": {name: {"revision": f"{version}#{digest}"}},
            "labels": self._labels,
            "metrics": {"timer_server_handler_ns": nanoseconds},
            "masked": _masked(input, json.loads(masked_input)),
        }
        text = json.dumps(line, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        self._logger.info(mask_resident_ids(text))
        return decision_id

    def close(self) -> None:
        """Flush and close the file."""
        self._logger.removeHandler(self._handler)
        self._handler.close()


def _masked(plain: Mapping[str, Any], masked: Mapping[str, Any]) -> list[str]:
    return sorted(f"/input/{key}" for key in plain if plain[key] != masked.get(key))
