"""The condition language of decision rules: durable_rules' JSON, restricted to a safe subset.

A condition is the body of durable_rules' ``{"m": ...}``:

- ``{"grade": "A"}`` -- the field equals the value (exactly one key per table);
- ``{"$neq": {"grade": "D"}}`` -- not equal; ``$lt``, ``$lte``, ``$gt``, ``$gte`` compare
  ``grade_rank`` (0 is the best grade);
- ``{"$and": [c1, c2, ...]}``, ``{"$or": [c1, c2, ...]}``.

Everything else is refused at load, for reasons measured on durable_rules 2.0.28: a table with
several keys silently tests only one of them; ``$ex`` and ``$nex`` hang the engine; regular
expressions and array operators are not needed by a finite signature.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from creditflow._repr import shown

__all__ = ["COMPARISONS", "FieldSpec", "check_condition", "evaluate", "fields_read"]

COMPARISONS = ("$lt", "$lte", "$gt", "$gte")
_REFUSED = {
    "$ex": "hangs durable_rules 2.0.28; every signature field is always present",
    "$nex": "hangs durable_rules 2.0.28; every signature field is always present",
    "$ne": "is not a durable_rules operator; write $neq",
    "$eq": "write {field = value} instead",
    "$not": "is not supported; use $neq or list the allowed values with $or",
}


@attrs.frozen
class FieldSpec:
    """What a signature field holds: its Python type and, when finite, its allowed values."""

    kind: type
    values: frozenset[object] | None = None


def check_condition(
    condition: object, path: str, fields: Mapping[str, FieldSpec]
) -> list[tuple[str, str]]:
    """Every problem of ``condition`` as ``(key path, reason)`` pairs; empty when it is sound."""
    if not isinstance(condition, Mapping):
        return [(path, f"a condition must be a table, got {shown(condition)}")]
    if len(condition) != 1:
        keys = sorted(condition)
        return [
            (
                path,
                f"a condition table must have exactly one key, got {keys}; "
                "durable_rules would silently test only one of them: combine with $and",
            )
        ]
    ((key, body),) = condition.items()
    where = f"{path}.{key}"
    if key in ("$and", "$or"):
        if not isinstance(body, list) or not body:
            return [(where, f"{key} takes a non-empty array of conditions")]
        problems: list[tuple[str, str]] = []
        for i, part in enumerate(body):
            problems += check_condition(part, f"{where}[{i}]", fields)
        return problems
    if key in _REFUSED:
        return [(where, f"{key} {_REFUSED[key]}")]
    if key.startswith("$") and key != "$neq" and key not in COMPARISONS:
        return [
            (where, f"unknown operator {key}; use one of $and $or $neq {' '.join(COMPARISONS)}")
        ]
    if key.startswith("$"):
        return _check_operator(key, body, where, fields)
    return _check_value(key, body, where, fields)


def _check_operator(
    op: str, body: object, where: str, fields: Mapping[str, FieldSpec]
) -> list[tuple[str, str]]:
    if not isinstance(body, Mapping) or len(body) != 1:
        return [(where, f"{op} takes a table with exactly one field, e.g. {{ grade_rank = 2 }}")]
    ((name, value),) = body.items()
    problems = _check_value(name, value, f"{where}.{name}", fields)
    if not problems and op in COMPARISONS and fields[name].kind is not int:
        problems.append((f"{where}.{name}", f"{op} compares numbers; {name} is not a number"))
    return problems


def _check_value(
    name: str, value: object, where: str, fields: Mapping[str, FieldSpec]
) -> list[tuple[str, str]]:
    spec = fields.get(name)
    if spec is None:
        return [(where, f"unknown field {shown(name)}; fields: {', '.join(sorted(fields))}")]
    if type(value) is not spec.kind:
        return [(where, f"{name} takes a {spec.kind.__name__}, got {shown(value)}")]
    if spec.values is not None and value not in spec.values:
        allowed = ", ".join(sorted(map(str, spec.values)))
        return [(where, f"{shown(value)} is not a value of {name}; values: {allowed}")]
    return []


def evaluate(condition: Mapping[str, Any], message: Mapping[str, Any]) -> bool:
    """Whether ``message`` satisfies ``condition``: the reference semantics, in pure Python."""
    ((key, body),) = condition.items()
    if key == "$and":
        return all(evaluate(part, message) for part in body)
    if key == "$or":
        return any(evaluate(part, message) for part in body)
    if key.startswith("$"):
        ((name, value),) = body.items()
        actual = message[name]
        if key == "$neq":
            return bool(actual != value)
        if key == "$lt":
            return bool(actual < value)
        if key == "$lte":
            return bool(actual <= value)
        if key == "$gt":
            return bool(actual > value)
        return bool(actual >= value)
    return bool(message[key] == body)


def fields_read(condition: Mapping[str, Any]) -> frozenset[str]:
    """The signature fields a (checked) condition reads."""
    ((key, body),) = condition.items()
    if key in ("$and", "$or"):
        return frozenset().union(*(fields_read(part) for part in body))
    if key.startswith("$"):
        return frozenset(body)
    return frozenset({key})
