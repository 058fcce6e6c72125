"""Reading the policy settings a machine names by path, e.g. ``lists.{kind}.duration``."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import attrs

from creditflow.core.severity import Severity
from creditflow.policy.model import Basis, Permissions, Policy, Provision

__all__ = ["basis_at", "case_kinds", "resolve", "setting_problems"]

_MISSING = object()


@functools.lru_cache(maxsize=4096)
def resolve(policy: Policy, path: str, kind: str) -> Provision[Any] | None:
    """The provision at ``path`` for a case of ``kind``; None where the pack sets no such step
    (a red list has no statement period). Raises ``LookupError`` for a path that does not
    exist in the policy model at all. Kept per policy version: a policy is immutable."""
    value: Any = policy
    for part in path.format(kind=kind).split("."):
        value = _child(value, part)
        if value is _MISSING:
            raise LookupError(f"{path} (kind {kind!r}): no {part!r} in the policy")
        if value is None:
            return None
    if not isinstance(value, Provision):
        raise LookupError(f"{path} (kind {kind!r}) is not a setting with a basis")
    return value


@functools.lru_cache(maxsize=4096)
def basis_at(policy: Policy, path: str) -> Basis:
    """The legal basis of the setting at ``path`` (``lists.serious.duration``): that of the
    deepest part of the path that has one, as a bare value in a pack inherits its table's.
    A step the pack does not set (a red list's ``statement_period``) falls back the same way.
    Raises ``LookupError`` for a path that does not exist in the policy model."""
    value: Any = policy
    basis = policy.basis
    for part in path.split("."):
        value = _child(value, part)
        if value is _MISSING:
            raise LookupError(f"{path}: no {part!r} in the policy")
        if value is None:
            break
        basis = getattr(value, "basis", basis)
    return basis


def _child(value: Any, part: str) -> Any:
    if isinstance(value, Permissions):  # permissions.<machine>.<event>, as a pack writes it
        value = value.events
    if isinstance(value, Mapping):
        if any(isinstance(k, Severity) for k in value):  # severities are keyed by the enum
            return next((v for k, v in value.items() if k.value == part), _MISSING)
        return value.get(part, _MISSING)
    if attrs.has(type(value)) and part in attrs.fields_dict(type(value)):
        return getattr(value, part)
    return _MISSING


@functools.lru_cache(maxsize=1024)
def case_kinds(policy: Policy, kinds: str) -> tuple[str, ...]:
    """The kinds a machine's cases may have under ``policy`` (kept per policy version)."""
    if kinds == "commitments":
        return tuple(policy.commitments)
    if kinds == "lists":
        return tuple(policy.lists)
    if kinds == "severities":
        return tuple(s.value for s in Severity)
    if kinds == "licence_categories":  # the catalogue's approval categories (审批类别)
        return _licence_categories(policy)
    return ("record", "listing")  # repair and objection targets


def _licence_categories(policy: Policy) -> tuple[str, ...]:
    kind = policy.catalogue.kinds.get("licensing") if policy.catalogue else None
    field = kind.field("category") if kind else None
    return field.values if field else ()


def setting_problems(policy: Policy, machines: Mapping[str, Any]) -> list[str]:
    """Every deadline setting a machine names that the policy cannot resolve, kind by kind."""
    problems = []
    for machine in machines.values():
        for kind in case_kinds(policy, machine.kinds):
            for rule in machine.deadlines:
                for path in (rule.setting, *filter(None, (rule.extension, rule.restarted_if))):
                    try:
                        resolve(policy, path, kind)
                    except LookupError as error:
                        problems.append(f"{machine.name}.{rule.name}: {error}")
    return problems
