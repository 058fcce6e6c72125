"""What changed between two policy versions, setting by setting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from creditflow.policy.model import Change

if TYPE_CHECKING:
    from creditflow.policy.model import Policy

__all__ = ["diff_policies"]

_IDENTITY = {"name", "version"}


def diff_policies(old: Policy, new: Policy) -> tuple[Change, ...]:
    """Changes from ``old`` to ``new``, by dotted setting path, in path order.

    Decision rules are compared by ``rule_id`` rather than by position, so that inserting a
    rule reports one added rule and not every later rule as changed.
    """
    before = _flatten(old.to_data())
    after = _flatten(new.to_data())
    changes = [
        Change(path, before.get(path), after.get(path))
        for path in sorted(before.keys() | after.keys())
        if before.get(path) != after.get(path) and path not in _IDENTITY
    ]
    return tuple(changes)


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``; rule lists are keyed by their rule id."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if (
        isinstance(data, list)
        and data
        and all(isinstance(v, dict) and "rule_id" in v for v in data)
    ):
        return _flatten({v["rule_id"]: v for v in data}, prefix)
    if isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        return _flatten({str(i): v for i, v in enumerate(data)}, prefix)
    return {prefix: data}
