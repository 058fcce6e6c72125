"""Policy -> plain data (JSON-ready), the canonical form that digests and diffs compare."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from creditflow._repr import a_type
from creditflow.calendar.periods import Period
from creditflow.core.grades import GradeScale
from creditflow.core.labels import Label
from creditflow.core.severity import Severity

if TYPE_CHECKING:
    from creditflow.policy.model import Policy

__all__ = ["policy_to_data"]


def policy_to_data(policy: Policy) -> dict[str, Any]:
    """Every setting of ``policy`` as nested dicts, lists, strings, numbers and booleans."""
    data = _plain(policy)
    assert isinstance(data, dict)
    data.pop("origin", None)
    data.pop("_digest", None)
    data.pop("_hash", None)
    data.pop("digest", None)
    for optional in ("catalogue", "assessment"):  # absent, so that older packs keep their digest
        if data.get(optional) is None:
            data.pop(optional, None)
    return data


def _plain(value: object) -> Any:
    """Recursively turn attrs values, enums, fractions and periods into plain data."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Fraction | Decimal):
        return str(value)
    if isinstance(value, Period):
        return str(value)
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, Label):
        return {"zh": value.zh, "en": value.en}
    if isinstance(value, GradeScale):
        scale = {
            "name": value.name,
            "label": _plain(value.label),
            "grades": [
                {"name": g.name, "label": _plain(g.label), "min_score": _plain(g.min_score)}
                for g in value.grades
            ],
        }
        if value.score_range is not None:  # absent, so that older packs keep their digest
            scale["score_range"] = [_plain(v) for v in value.score_range]
        return scale
    if attrs.has(type(value)):
        cls: Any = type(value)
        return {
            a.name.lstrip("_"): _plain(getattr(value, a.name)) for a in attrs.fields(cls) if a.init
        }
    if isinstance(value, Mapping):
        return {_key(k): _plain(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot export {value!r} that is {a_type(value)}")


def _key(key: object) -> str:
    return key.value if isinstance(key, Severity) else str(key)
