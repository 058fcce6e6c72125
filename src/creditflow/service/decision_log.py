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
import os
import sys
import threading
import uuid
from collections.abc import Mapping
from typing import IO, Any

from creditflow import __version__
from creditflow.core.privacy import mask_resident_ids

__all__ = ["DecisionLog"]


class DecisionLog:
    """Writes decision lines to ``target`` (a file path, rotated past ``max_bytes`` keeping
    ``backups`` old files as ``FILE.1`` ... ``FILE.N``, or ``"-"`` for standard output);
    ``instance`` labels the server. Each line is written and flushed whole, under a lock."""

    def __init__(
        self, target: str, *, max_bytes: int = 50_000_000, backups: int = 10, instance: str = ""
    ) -> None:
        self._target = target
        self._max_bytes = max_bytes
        self._backups = backups
        self._lock = threading.Lock()
        self._file: IO[str] = sys.stdout if target == "-" else self._open()
        self._labels = {"app": "creditflow", "version": __version__, "id": instance}

    def _open(self) -> IO[str]:
        file = open(self._target, "a", encoding="utf-8")  # noqa: SIM115 (closed by close())
        self._size = file.tell()
        return file

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
        masked = {k: _masked_value(v) for k, v in input.items()}
        line = {
            "decision_id": decision_id,
            "timestamp": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
            "path": path,
            "requested_by": actor,
            "input": masked,
            "result": dict(result),
            "bundles": {name: {"revision": f"{version}#{digest}"}},
            "labels": self._labels,
            "metrics": {"timer_server_handler_ns": nanoseconds},
            "masked": sorted(f"/input/{k}" for k in input if input[k] != masked[k]),
        }
        text = json.dumps(line, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        self._emit(mask_resident_ids(text) + "\n")
        return decision_id

    def _emit(self, text: str) -> None:
        with self._lock:
            if self._target != "-":
                size = len(text.encode("utf-8"))
                if self._size and self._size + size > self._max_bytes:
                    self._rotate()
                self._size += size
            self._file.write(text)
            self._file.flush()

    def _rotate(self) -> None:
        self._file.close()
        for n in range(self._backups - 1, 0, -1):
            older = f"{self._target}.{n}"
            if os.path.exists(older):
                os.replace(older, f"{self._target}.{n + 1}")
        if self._backups > 0:
            os.replace(self._target, f"{self._target}.1")
        else:
            os.remove(self._target)
        self._file = self._open()

    def close(self) -> None:
        """Flush and close the file."""
        with self._lock:
            if self._target == "-":
                self._file.flush()
            else:
                self._file.close()


def _masked_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_resident_ids(value)
    if isinstance(value, dict):
        return {k: _masked_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked_value(v) for v in value]
    return value
