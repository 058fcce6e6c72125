"""A small JSON Schema (draft 2020-12) validator for the subset pack.schema.json uses.

``jsonschema`` is not a dependency of creditflow or of its test extra, so the schema's tests
use this instead. It knows exactly the keywords in :data:`KEYWORDS` and refuses a schema with
any other, so the schema cannot start relying on a keyword that is silently ignored here.
Values are parsed TOML: a TOML local date (``datetime.date``, not a date-time) counts as a
string of ``format: date``, which is how TOML editors such as taplo present it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

KEYWORDS = frozenset(
    {
        # annotations, ignored
        "$schema",
        "$id",
        "title",
        "description",
        # structure
        "$defs",
        "$ref",
        "type",
        "enum",
        "const",
        "properties",
        "additionalProperties",
        "propertyNames",
        "required",
        "minProperties",
        "maxProperties",
        "items",
        "minItems",
        "maxItems",
        "pattern",
        "minLength",
        "minimum",
        "format",
        "anyOf",
        "oneOf",
        "if",
        "then",
        "else",
    }
)

_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
}


def unknown_keywords(schema: Any, path: str = "#") -> Iterator[str]:
    """Paths of keywords this validator does not implement (property names are not keywords)."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key not in KEYWORDS:
                yield f"{path}/{key}"
            elif key in ("properties", "$defs"):
                for name, sub in value.items():
                    yield from unknown_keywords(sub, f"{path}/{key}/{name}")
            elif key in ("anyOf", "oneOf"):
                for i, sub in enumerate(value):
                    yield from unknown_keywords(sub, f"{path}/{key}/{i}")
            elif isinstance(value, dict) and key not in ("const",):
                yield from unknown_keywords(value, f"{path}/{key}")


def errors(schema: dict[str, Any], value: Any) -> list[str]:
    """Every error of ``value`` against ``schema``, as ``"path: reason"``; empty when valid."""
    return list(_errors(schema, value, "", schema))


def _errors(schema: Any, value: Any, where: str, root: dict[str, Any]) -> Iterator[str]:
    if schema is True:
        return
    if schema is False:
        yield f"{where or '(top)'}: not allowed"
        return
    if "$ref" in schema:
        yield from _errors(_resolve(root, schema["$ref"]), value, where, root)
    if _is_date(value) and schema.get("format") == "date":
        value = value.isoformat()
    yield from _type_errors(schema, value, where)
    yield from _value_errors(schema, value, where)
    if isinstance(value, dict):
        yield from _object_errors(schema, value, where, root)
    if isinstance(value, list):
        yield from _array_errors(schema, value, where, root)
    yield from _combined_errors(schema, value, where, root)


def _is_date(value: Any) -> bool:
    """A TOML local date; a date-time is no string of format date."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _resolve(root: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are supported, got {ref}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _type_errors(schema: dict[str, Any], value: Any, where: str) -> Iterator[str]:
    if "type" not in schema:
        return
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    if not any(_TYPES[k](value) for k in kinds):
        yield f"{where or '(top)'}: {value!r} is not of type {' or '.join(kinds)}"


def _value_errors(schema: dict[str, Any], value: Any, where: str) -> Iterator[str]:
    here = where or "(top)"
    if "enum" in schema and not any(_same(value, v) for v in schema["enum"]):
        yield f"{here}: {value!r} is not one of {schema['enum']}"
    if "const" in schema and not _same(value, schema["const"]):
        yield f"{here}: {value!r} is not {schema['const']!r}"
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            yield f"{here}: {value!r} does not match {schema['pattern']!r}"
        if len(value) < schema.get("minLength", 0):
            yield f"{here}: {value!r} is shorter than {schema['minLength']}"
    if _TYPES["number"](value) and "minimum" in schema and value < schema["minimum"]:
        yield f"{here}: {value!r} is below {schema['minimum']}"


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _object_errors(
    schema: dict[str, Any], value: dict[str, Any], where: str, root: dict[str, Any]
) -> Iterator[str]:
    here = where or "(top)"
    for key in schema.get("required", ()):
        if key not in value:
            yield f"{here}: {key!r} is required"
    if len(value) < schema.get("minProperties", 0):
        yield f"{here}: fewer than {schema['minProperties']} keys"
    if "maxProperties" in schema and len(value) > schema["maxProperties"]:
        yield f"{here}: more than {schema['maxProperties']} keys"
    properties = schema.get("properties", {})
    for key, item in value.items():
        path = f"{where}.{key}" if where else key
        if "propertyNames" in schema:
            yield from _errors(schema["propertyNames"], key, f"{path} (key)", root)
        if key in properties:
            yield from _errors(properties[key], item, path, root)
        elif "additionalProperties" in schema:
            yield from _errors(schema["additionalProperties"], item, path, root)


def _array_errors(
    schema: dict[str, Any], value: list[Any], where: str, root: dict[str, Any]
) -> Iterator[str]:
    here = where or "(top)"
    if len(value) < schema.get("minItems", 0):
        yield f"{here}: fewer than {schema['minItems']} items"
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        yield f"{here}: more than {schema['maxItems']} items"
    if "items" in schema:
        for i, item in enumerate(value):
            yield from _errors(schema["items"], item, f"{where}[{i}]", root)


def _combined_errors(
    schema: dict[str, Any], value: Any, where: str, root: dict[str, Any]
) -> Iterator[str]:
    here = where or "(top)"
    if "anyOf" in schema and not any(not errors_of(s, value, root) for s in schema["anyOf"]):
        yield f"{here}: {value!r} matches none of the allowed forms"
    if "oneOf" in schema:
        matching = sum(not errors_of(s, value, root) for s in schema["oneOf"])
        if matching != 1:
            yield f"{here}: matches {matching} of the forms, not exactly one"
    if "if" in schema:
        branch = "then" if not errors_of(schema["if"], value, root) else "else"
        if branch in schema:
            yield from _errors(schema[branch], value, where, root)


def errors_of(schema: Any, value: Any, root: dict[str, Any]) -> list[str]:
    return list(_errors(schema, value, "", root))
