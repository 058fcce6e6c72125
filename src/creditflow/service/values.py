"""The library's result values as JSON, and the JSON Schema of each, read from the same types.

One walk over an ``attrs`` class gives both what a response holds (:func:`to_json`) and the
schema the OpenAPI document states for it (:func:`schema_for`), so the two cannot drift.
Dates are ISO text, exact ratios are text (``"1/4"``), sets are sorted lists, enums their
value; private fields (a leading ``_``) are left out.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import types
import typing
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Literal, Union, get_args, get_origin

import attrs

__all__ = ["json_text", "schema_for", "to_json"]

_DATE = {"type": "string", "format": "date"}
_RATIO = {"type": "string", "pattern": "^-?[0-9]+(/[0-9]+)?$"}


def json_text(data: Any) -> str:
    """``data`` (JSON-ready) as the compact JSON text of an answer, every resident ID masked
    whatever field it is in (:func:`~creditflow.core.privacy.mask_resident_ids`)."""
    from creditflow.core.privacy import mask_resident_ids

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return mask_resident_ids(text)


def to_json(value: object) -> Any:
    """``value`` (an attrs value of the library, or a plain value) as JSON-ready data."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    kind = type(value)
    names = _FIELDS.get(kind)
    if names is None and attrs.has(kind):
        names = _FIELDS[kind] = tuple(
            f.name for f in attrs.fields(kind) if not f.name.startswith("_")
        )
    if names is not None:
        return {name: to_json(getattr(value, name)) for name in names}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return to_json(value.value)
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(to_json(item) for item in value)
    return str(value)


_FIELDS: dict[type, tuple[str, ...]] = {}  # the public fields of each attrs class met


def schema_for(kind: Any, components: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of :func:`to_json`'s output for the type ``kind``; attrs classes are
    added to ``components`` (by class name) and referenced."""
    if attrs.has(kind):
        return _component(kind, components)
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, types.UnionType):
        options = [schema_for(arg, components) for arg in args if arg is not type(None)]
        one = options[0] if len(options) == 1 else {"anyOf": options}
        return {"anyOf": [one, {"type": "null"}]} if type(None) in args else one
    if origin is Literal:
        return {"type": "string", "enum": list(args)}
    if origin in (frozenset, set):
        return {"type": "array", "items": schema_for(args[0], components), "uniqueItems": True}
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": schema_for(args[0], components)}
        items = [schema_for(arg, components) for arg in args]
        return {
            "type": "array",
            "prefixItems": items,
            "minItems": len(items),
            "maxItems": len(items),
        }
    if origin in (Mapping, dict) or kind in (Mapping, dict):
        return {"type": "object"}
    return _scalar(kind)


def _scalar(kind: Any) -> dict[str, Any]:
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return {"type": "string", "enum": [member.value for member in kind]}
    known: dict[Any, dict[str, Any]] = {
        str: {"type": "string"},
        bool: {"type": "boolean"},
        int: {"type": "integer"},
        float: {"type": "number"},
        Fraction: _RATIO,
        dt.date: _DATE,
        Any: {},
    }
    return dict(known[kind])


def _component(kind: type, components: dict[str, Any]) -> dict[str, Any]:
    name = kind.__name__
    if name not in components:
        components[name] = {}  # a placeholder first: a type may refer to itself
        hints = typing.get_type_hints(kind)
        fields = [f for f in attrs.fields(kind) if not f.name.startswith("_")]
        properties = {f.name: schema_for(hints[f.name], components) for f in fields}
        doc = (kind.__doc__ or "").strip().split("\n\n")[0]
        components[name] = {
            "type": "object",
            "description": " ".join(doc.split()),
            "properties": properties,
            "required": [f.name for f in fields],
            "additionalProperties": False,
        }
    return {"$ref": f"#/components/schemas/{name}"}
