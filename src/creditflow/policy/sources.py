"""Where packs come from: the built-in packs shipped as package data, files, and ``extends``."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from creditflow._limits import MAX_PACK_BYTES
from creditflow._repr import a_type, shown
from creditflow._validation import ensure_date
from creditflow.errors import (
    InvalidInput,
    NoPolicyInForce,
    PolicyError,
    PolicyProblem,
    UnknownPolicy,
)
from creditflow.policy.loader import parse_policy_text, policy_from_data
from creditflow.policy.model import Policy

__all__ = ["DEFAULT_PACK", "PackVersion", "builtin_versions", "read_policy"]

DEFAULT_PACK = "national-transport"
"""The pack :func:`read_policy` uses when no source is given."""


@attrs.frozen
class PackVersion:
    """One version of a built-in pack: its name, version and dates, without reading it whole."""

    name: str
    version: str
    effective_from: dt.date
    effective_to: dt.date | None
    file: str

    @property
    def key(self) -> str:
        """``name@version``."""
        return f"{self.name}@{self.version}"

    def in_force(self, on: dt.date) -> bool:
        """True if this version is in force on ``on``."""
        on = ensure_date(on, "on")
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


def builtin_versions() -> tuple[PackVersion, ...]:
    """Every built-in pack version, by name then effective date."""
    return _builtin_index()


def read_policy(
    source: str | os.PathLike[str] | None = None, *, on: dt.date | None = None
) -> Policy:
    """Read and validate a pack, without analysing its decision table.

    ``source`` is None (the default pack), a built-in name (``"national-transport"``), a
    name with a version (``"national-transport@2019.1"``) or a path to a ``.toml`` file (a
    ``Path``, or a string ending in ``.toml`` or holding a path separator). For a name without
    a version, the version in force on ``on`` (today if omitted) is chosen. When ``on`` is
    given, the pack returned must be in force that day, whatever the source:
    :class:`~creditflow.errors.NoPolicyInForce` otherwise.
    """
    day = dt.date.today() if on is None else ensure_date(on, "on")
    if source is None:
        return _read_builtin(DEFAULT_PACK, day)
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and (source.endswith(".toml") or os.sep in source or "/" in source)
    ):
        policy = _read_file(Path(source))
    elif isinstance(source, str) and source:
        policy = _read_builtin(source, day)
    else:
        raise InvalidInput(
            f"source must be None, a pack name or a path, got {shown(source)}"
            f" that is {a_type(source)}"
        )
    if on is not None and not policy.in_force(day):
        span = f"{policy.version} ({policy.effective_from} to {policy.effective_to or 'open'})"
        raise NoPolicyInForce(policy.key, day, [span])
    return policy


def _read_builtin(source: str, on: dt.date) -> Policy:
    name, _, version = source.partition("@")
    versions = [v for v in _builtin_index() if v.name == name]
    if not versions:
        raise UnknownPolicy(name, sorted({v.name for v in _builtin_index()}))
    if version:
        chosen = [v for v in versions if v.version == version]
        if not chosen:
            raise UnknownPolicy(source, [v.key for v in versions])
    else:
        chosen = [v for v in versions if v.in_force(on)]
        if not chosen:
            raise NoPolicyInForce(name, on, [_span(v) for v in versions])
    return _read_builtin_file(chosen[0].file)


@functools.cache
def _read_builtin_file(file: str) -> Policy:
    """Built-in packs are immutable package data: read each once per process."""
    return policy_from_data(_builtin_data(file), f"builtin:{file}")


def _read_file(path: Path) -> Policy:
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_PACK_BYTES + 1)
        if len(raw) > MAX_PACK_BYTES:
            reason = f"larger than the limit of {MAX_PACK_BYTES:,} bytes"
            raise PolicyError(str(path), [PolicyProblem(str(path), "", reason)])
        text = raw.decode("utf-8")
    except OSError as error:
        raise PolicyError(
            str(path), [PolicyProblem(str(path), "", f"cannot read: {error}")]
        ) from None
    except UnicodeDecodeError as error:
        raise PolicyError(
            str(path), [PolicyProblem(str(path), "", f"not UTF-8: {error}")]
        ) from None
    data = _resolve_extends(parse_policy_text(text, str(path)), str(path))
    return policy_from_data(data, str(path))


def _builtin_data(file: str, extending: tuple[str, ...] = ()) -> dict[str, Any]:
    source = f"builtin:{file}"
    text = resources.files("creditflow.policy").joinpath("packs", file).read_text(encoding="utf-8")
    return _resolve_extends(parse_policy_text(text, source), source, (*extending, file))


def _resolve_extends(
    data: dict[str, Any], source: str, extending: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A pack with ``pack.extends = "name@version"`` is the base pack with its tables overlaid.

    Tables merge key by key, recursively; any other value replaces the base's, and so does a
    setting given as ``{ value = ... }`` (whole, so that it does not keep the base's basis) and
    an array (a decision table is replaced whole, never spliced). Of the base's ``[pack]``
    table only ``basis`` and ``source`` carry over: dates, title and notes are the pack's own.
    """
    pack = data.get("pack")
    base_key = pack.get("extends") if isinstance(pack, dict) else None
    if base_key is None:
        return data
    if not isinstance(base_key, str) or "@" not in base_key:
        problem = PolicyProblem(source, "pack.extends", "must be 'name@version' of a built-in pack")
        raise PolicyError(source, [problem])
    name, _, version = base_key.partition("@")
    base = [v for v in _builtin_index() if v.name == name and v.version == version]
    if not base:
        known = [v.key for v in _builtin_index()]
        reason = f"no built-in pack {shown(base_key)}; known: {known}"
        raise PolicyError(source, [PolicyProblem(source, "pack.extends", reason)])
    if base[0].file in extending:
        reason = f"extends {shown(base_key)}, which extends this pack again"
        raise PolicyError(source, [PolicyProblem(source, "pack.extends", reason)])
    base_data = _builtin_data(base[0].file, extending)
    base_pack = base_data.get("pack", {})
    base_data["pack"] = {k: v for k, v in base_pack.items() if k in ("basis", "source")}
    merged = _overlay(base_data, data)
    merged["pack"].pop("extends", None)
    return merged


def _overlay(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        below = merged.get(key)
        if isinstance(value, dict) and isinstance(below, dict) and "value" not in value:
            merged[key] = _overlay(below, value)
        else:
            merged[key] = value
    return merged


@functools.cache
def _builtin_index() -> tuple[PackVersion, ...]:
    versions = []
    for entry in resources.files("creditflow.policy").joinpath("packs").iterdir():
        if not entry.name.endswith(".toml"):
            continue
        data = parse_policy_text(entry.read_text(encoding="utf-8"), f"builtin:{entry.name}")
        pack = data.get("pack", {})
        versions.append(
            PackVersion(
                name=pack["name"],
                version=pack["version"],
                effective_from=pack["effective_from"],
                effective_to=pack.get("effective_to"),
                file=entry.name,
            )
        )
    index = tuple(sorted(versions, key=lambda v: (v.name, v.effective_from)))
    for earlier, later in itertools.pairwise(index):
        if earlier.name == later.name and not (
            earlier.effective_to is not None and earlier.effective_to < later.effective_from
        ):
            reason = f"overlaps {earlier.key} ({_span(earlier)}); versions must not overlap"
            problem = PolicyProblem(f"builtin:{later.file}", "pack.effective_from", reason)
            raise PolicyError(f"builtin:{later.file}", [problem])
    return index


def _span(v: PackVersion) -> str:
    end = v.effective_to.isoformat() if v.effective_to else "open"
    return f"{v.version} ({v.effective_from.isoformat()} to {end})"
