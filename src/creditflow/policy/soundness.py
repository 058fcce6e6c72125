"""What a read pack must also be to run: every period positive and every basis stated.

The loader checks each value on its own; these checks look at the whole :class:`Policy`, so
they hold as well for a policy built or edited in code (``attrs.evolve``) as for one read from
a file. They are one part of the one soundness check,
:func:`creditflow.workflows.soundness.analyse_policy`, which every entry point runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from creditflow.calendar.periods import Period
from creditflow.core.labels import Label
from creditflow.core.severity import Severity
from creditflow.errors import PolicyProblem
from creditflow.policy.catalogue import CatalogueField
from creditflow.policy.model import Basis, DecisionRule, Policy, Provision

__all__ = ["content_problems"]

_MAY_BE_ZERO = frozenset({"publication_min"})
"""Periods that may be zero: a minimum (a minor record need not be published at all)."""

_NOT_SETTINGS = frozenset({"origin", "_digest", "_hash"})
_LEAVES = (Provision, Label, CatalogueField, str)
"""Values with no provision or basis inside: not walked into (a catalogue has many)."""
_KEYS = {"separations": "separation"}  # model attribute -> pack key, where they differ


def content_problems(policy: Policy) -> list[PolicyProblem]:
    """Every period that is not positive (a deadline or duration of ``0 days`` can never be
    met or ends before it starts; only a minimum such as ``publication_min`` may be zero) and
    every basis (依据) that is blank, each named by its key path in the pack."""
    problems: list[PolicyProblem] = []
    for path, value, table_basis in _walk(policy, "", None):
        if isinstance(value, Provision):
            problems += _provision_problems(policy.origin, path, value, table_basis)
        elif attrs.has(type(value)) and _blank(getattr(value, "basis", None)):
            what = f"decision rule {value.rule_id!r} " if isinstance(value, DecisionRule) else ""
            problems.append(PolicyProblem(policy.origin, path or "pack", _no_basis(what)))
    return problems


def _provision_problems(
    origin: str, path: str, provision: Provision[Any], table_basis: Basis | None
) -> list[PolicyProblem]:
    problems = []
    value = provision.value
    zero_allowed = path.rsplit(".", 1)[-1] in _MAY_BE_ZERO
    if isinstance(value, Period) and value.amount <= 0 and not zero_allowed:
        problems.append(PolicyProblem(origin, path, f"must be positive, got {value}"))
    if provision.basis is not table_basis and _blank(provision.basis):  # a bare value: said once
        problems.append(PolicyProblem(origin, path, _no_basis("")))
    return problems


def _no_basis(what: str) -> str:
    return f"{what}has no basis: state the regulation it applies"


def _blank(basis: object) -> bool:
    return isinstance(basis, Basis) and not basis.text.strip()


def _walk(value: Any, path: str, basis: Basis | None) -> Iterator[tuple[str, Any, Basis | None]]:
    """Every attrs value and provision under ``value``, with its key path in the pack and the
    basis of the table it sits in (which a bare value takes)."""
    yield path, value, basis
    if isinstance(value, _LEAVES):
        return
    if attrs.has(type(value)):
        own = getattr(value, "basis", None)
        inner = own if isinstance(own, Basis) else basis
        for field in attrs.fields(type(value)):
            if field.name not in _NOT_SETTINGS and field.name != "basis":
                key = _KEYS.get(field.name, field.name)
                yield from _walk(getattr(value, field.name), _join(path, key), inner)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            name = key.value if isinstance(key, Severity) else str(key)
            yield from _walk(item, _join(path, name), basis)
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}[{i}]", basis)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
