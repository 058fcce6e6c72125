"""Compiled decision tables kept on disk between processes, checked before they are served.

Compiling a pack posts every signature through durable_rules: about a second for the built-in
packs, many seconds for a pack with many flags, in every process. What durable_rules found (the
rules each signature matched) depends only on the pack's content, creditflow and durable_rules,
so it is stored in the user cache directory under a key made of the pack digest, the creditflow
version and the durable_rules version. A file is served only when its SHA-256 (stored in its
first line) matches the payload, the payload names the same digest and versions, and its shape
fits the pack (one entry per signature, rule indexes in range); a few signatures are also
re-decided by the pure-Python evaluator. Anything else is ignored and rewritten, never trusted.
Files are written to a temporary file and moved into place with :func:`os.replace`, so
processes that compile at the same time never see half a file.

``CREDITFLOW_CACHE`` moves the directory (a path) or turns the cache off (``off``); see
docs/engine.md.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from creditflow.core.facts import Facts
from creditflow.policy.conditions import evaluate
from creditflow.policy.model import Policy
from creditflow.rules.signature import message, signature_count

__all__ = ["CACHE_ENV", "CACHE_OFF", "cache_dir", "load_matches", "store_matches"]

CACHE_ENV = "CREDITFLOW_CACHE"
"""The environment variable that moves the cache (a directory) or turns it off (``off``)."""

CACHE_OFF = "off"
"""The value of ``CREDITFLOW_CACHE`` that turns the on-disk cache off."""

_FORMAT = 1
_MAGIC = b"creditflow-table-cache"
_MAX_BYTES = 64 * 1024 * 1024
_SPOT_CHECKS = 64  # signatures re-decided by the reference evaluator before a file is served

Matches = list[frozenset[int]]


def cache_dir() -> Path | None:
    """The directory of the on-disk cache, or None when it is off.

    ``CREDITFLOW_CACHE=off`` turns it off; any other non-empty value is the directory. By
    default it is the user cache directory: ``$XDG_CACHE_HOME/creditflow`` (else
    ``~/.cache/creditflow``) on Linux and other Unix systems, ``~/Library/Caches/creditflow``
    on macOS, ``%LOCALAPPDATA%\\creditflow\\Cache`` on Windows.
    """
    value = os.environ.get(CACHE_ENV, "").strip()
    if value.lower() == CACHE_OFF:
        return None
    if value:
        return Path(value)
    return _user_cache_dir()


def _user_cache_dir() -> Path | None:
    try:
        if sys.platform == "win32":
            local = os.environ.get("LOCALAPPDATA")
            base = Path(local) if local else Path.home() / "AppData" / "Local"
            return base / "creditflow" / "Cache"
        if sys.platform == "darwin":
            return Path.home() / "Library" / "Caches" / "creditflow"
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
        return base / "creditflow"
    except RuntimeError:  # no home directory: no cache
        return None


def load_matches(policy: Policy, space: Sequence[Facts]) -> Matches | None:
    """The rules each signature of ``space`` (every signature of ``policy``, in order) matched,
    from the cache; None when the cache is off or holds no table it can vouch for."""
    path = _path(policy)
    if path is None:
        return None
    try:
        with path.open("rb") as stream:
            raw = stream.read(_MAX_BYTES + 1)
    except OSError:
        return None
    matches = _verified(raw, policy)
    return matches if matches is not None and _spot_checked(policy, space, matches) else None


def store_matches(policy: Policy, matches: Sequence[frozenset[int]]) -> None:
    """Write the matches of ``policy`` to the cache, atomically; an unwritable cache is skipped."""
    path = _path(policy)
    if path is None:
        return
    keys = {m: tuple(sorted(m)) for m in set(matches)}  # each distinct set sorted once
    sets = sorted(set(keys.values()))
    number = {s: i for i, s in enumerate(sets)}
    numbered = {m: number[key] for m, key in keys.items()}
    payload = json.dumps(
        {**_identity(policy), "sets": sets, "matches": [numbered[m] for m in matches]},
        separators=(",", ":"),
    ).encode()
    head = _MAGIC + b" " + hashlib.sha256(payload).hexdigest().encode() + b"\n"
    try:
        # the cache directory and its tables/, each readable by its owner only when made here
        path.parent.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(head + payload)
        os.replace(temp, path)
    except OSError:
        _remove(temp)


def _remove(temp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temp)


def _path(policy: Policy) -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    identity = json.dumps(_identity(policy), sort_keys=True).encode()
    return directory / "tables" / f"{hashlib.sha256(identity).hexdigest()}.json"


def _identity(policy: Policy) -> dict[str, Any]:
    """What a cached table must have been compiled from."""
    return {
        "format": _FORMAT,
        "digest": policy.digest,
        "creditflow": _creditflow_version(),
        "durable_rules": _durable_version(),
        "rules": len(policy.decisions.rules),
        "signatures": signature_count(policy),
    }


def _creditflow_version() -> str:
    # not ``from creditflow import __version__``: that import cycle confuses mypy
    version: str = importlib.import_module("creditflow").__version__
    return version


@functools.cache
def _durable_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("durable_rules")
    except metadata.PackageNotFoundError:
        return "unknown"


def _verified(raw: bytes, policy: Policy) -> Matches | None:
    """The matches in a cache file, or None unless its checksum, identity and shape hold."""
    head, newline, payload = raw.partition(b"\n")
    magic, _, checksum = head.partition(b" ")
    if not newline or magic != _MAGIC or len(raw) > _MAX_BYTES:
        return None
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict) or set(data) != {*_identity(policy), "sets", "matches"}:
        return None
    if any(data[k] != v for k, v in _identity(policy).items()):
        return None
    return _shaped(data["sets"], data["matches"], len(policy.decisions.rules), data["signatures"])


def _shaped(sets: object, matches: object, rules: int, count: int) -> Matches | None:
    """The matches if each set holds distinct rule indexes in range and each signature has one."""
    if not isinstance(sets, list) or not isinstance(matches, list) or len(matches) != count:
        return None
    frozen = []
    for s in sets:
        if not isinstance(s, list) or not all(_index(i, rules) for i in s):
            return None
        if len(set(s)) != len(s):
            return None
        frozen.append(frozenset(s))
    if not all(_index(i, len(frozen)) for i in matches):
        return None
    return [frozen[i] for i in matches]


def _index(value: object, bound: int) -> bool:
    return type(value) is int and 0 <= value < bound


def _spot_checked(policy: Policy, space: Sequence[Facts], matches: Matches) -> bool:
    """A few signatures, spread over the space, match the same rules in the reference evaluator."""
    if len(space) != len(matches):
        return False
    if not matches:
        return True
    step = max(1, len(matches) // _SPOT_CHECKS)
    conditions = [rule.when for rule in policy.decisions.rules]
    for index in {*range(0, len(matches), step), len(matches) - 1}:
        fields = message(policy, space[index])
        found = frozenset(i for i, c in enumerate(conditions) if evaluate(c, fields))
        if found != matches[index]:
            return False
    return True
