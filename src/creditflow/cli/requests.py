"""Reading decision requests: JSON lines, one object of facts per line, checked line by line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from creditflow._limits import json_line_problem
from creditflow._repr import shown
from creditflow.cli.common import LineError
from creditflow.core.facts import Facts

__all__ = ["Request", "parse_request", "read_requests"]

KEYS = ("domain", "grade", "lists", "flags", "id")
"""The keys a line may have; ``lists``, ``flags`` and ``id`` are optional."""

_KEY_SET = frozenset(KEYS)
_SHOWN = 60  # characters of a wrong value quoted in an error
_CACHED = 4096  # distinct facts kept for reuse; real inputs repeat a few hundred signatures
_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}
_decode_json = json.JSONDecoder().decode

_FactsKey = tuple[object, object, tuple[object, ...], tuple[object, ...]]


class Request(NamedTuple):
    """The facts of one input line, its number (0 for options) and its ``id``, if it has one."""

    line: int
    facts: Facts
    has_id: bool = False
    id: object = None


def read_requests(lines: Iterable[bytes | str]) -> Iterator[Request]:
    """Requests from JSON lines; blank lines are skipped; the first bad line raises LineError.

    Lines are numbered from 1, blank ones included. Bytes are decoded as UTF-8 (a byte order
    mark on the first line is allowed).
    """
    cache: dict[_FactsKey, Facts] = {}
    for number, raw in enumerate(lines, 1):
        text = _decode(raw, number)
        if text and not text.isspace():
            yield parse_request(text, number, cache)


def parse_request(text: str, line: int, cache: dict[_FactsKey, Facts] | None = None) -> Request:
    """The request on one JSON line: an object with domain, grade and optional lists, flags, id.

    ``cache`` maps the raw facts of lines already read to their Facts, to build each once.
    """
    beyond = json_line_problem(text)
    if beyond is not None:
        raise LineError(line, beyond)
    try:
        data = _decode_json(text)
    except json.JSONDecodeError as error:
        raise LineError(line, f"invalid JSON: {error.msg} at column {error.colno}") from None
    if not isinstance(data, dict):
        raise LineError(line, f"expected a JSON object, got {_json_type(data)}")
    if not data.keys() <= _KEY_SET:
        unknown = sorted(data.keys() - _KEY_SET)
        raise LineError(line, f"unknown key {shown(unknown[0])}; known: {', '.join(KEYS)}")
    return Request(
        line, _facts(data, line, {} if cache is None else cache), "id" in data, data.get("id")
    )


def _facts(data: dict[str, Any], line: int, cache: dict[_FactsKey, Facts]) -> Facts:
    """The Facts of a line's object, from ``cache`` when the same raw facts were seen before."""
    lists, flags = data.get("lists", []), data.get("flags", [])
    if type(lists) is not list or type(flags) is not list:
        return _checked_facts(data, line)
    key: _FactsKey = (data.get("domain"), data.get("grade"), tuple(lists), tuple(flags))
    try:
        return cache[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable value (an object or array where a name is due)
        return _checked_facts(data, line)
    facts = _checked_facts(data, line)
    if len(cache) >= _CACHED:
        cache.clear()
    cache[key] = facts
    return facts


def _checked_facts(data: dict[str, Any], line: int) -> Facts:
    return Facts(
        domain=_name(data, "domain", line),
        grade=_name(data, "grade", line),
        lists=_names(data, "lists", line),
        flags=_names(data, "flags", line),
    )


def _decode(raw: bytes | str, line: int) -> str:
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff") if line == 1 else raw
    try:
        return raw.decode("utf-8-sig" if line == 1 else "utf-8")
    except UnicodeDecodeError as error:
        raise LineError(line, f"not valid UTF-8 (byte {error.start + 1})") from None


def _name(data: dict[str, Any], key: str, line: int) -> str:
    if key not in data:
        raise LineError(line, f"missing key {shown(key)}")
    value = data[key]
    if not isinstance(value, str) or not value:
        raise LineError(line, f"{shown(key)} must be a non-empty string, got {_show(value)}")
    return value


def _names(data: dict[str, Any], key: str, line: int) -> frozenset[str]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise LineError(line, f"{shown(key)} must be an array of strings, got {_show(value)}")
    for item in value:
        if not isinstance(item, str) or not item:
            raise LineError(line, f"{shown(key)} must hold non-empty strings, got {_show(item)}")
    return frozenset(value)


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > _SHOWN:
        text = text[: _SHOWN - 3] + "..."
    return f"{text} ({_json_type(value)})"


def _json_type(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)
