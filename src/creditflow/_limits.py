"""Limits on the nesting and size of what creditflow reads, and the cheap checks that hold them.

Python's ``json`` and ``tomllib`` parse nested arrays and tables by recursion, so text nested
thousands of levels deep ends in a ``RecursionError`` inside them. The text is therefore
scanned for its bracket depth (strings and comments left out) *before* it is parsed; the scan
is one regular expression and one pass over the brackets, both in C, and is skipped outright
when the text holds too few brackets to be too deep. The limits are documented in
docs/cli.md, docs/policy-format.md and docs/inspection-plans.md.
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any

__all__ = [
    "MAX_DEPTH",
    "MAX_LINE_CHARS",
    "MAX_PACK_BYTES",
    "TOO_DEEP",
    "json_line_problem",
    "json_too_deep",
    "toml_too_deep_line",
    "too_deep_key",
]

MAX_DEPTH = 100
"""Arrays and objects (tables) nested more deeply than this are refused; the outermost value
(a JSON line's object, a pack's top table) is level 1."""
MAX_PACK_BYTES = 4 * 1024 * 1024
"""A pack file larger than this (4 MiB) is refused unread; the built-in packs are ~30 KiB."""
MAX_LINE_CHARS = 1024 * 1024
"""A JSON line (a decision request, a population or inspector row) longer than this is refused."""

TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels (the limit)"
"""The reason given for text nested beyond :data:`MAX_DEPTH`."""

_SAME_KIND = bytes.maketrans(b"{}", b"[]")  # depth is all the scan needs; the parser checks kinds
_NOT_BRACKET_BYTES = bytes(b for b in range(256) if b not in b"[]{}")
_TOML_SKIPPED = re.compile(
    r'"""(?:\\.|[^\\])*?"""'  # multi-line basic string
    r"|'''.*?'''"  # multi-line literal string
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # basic string
    r"|'[^'\n]*'"  # literal string
    r"|#[^\n]*",  # comment
    re.DOTALL,
)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_line_problem(text: str) -> str | None:
    """Why one JSON line is beyond the limits (length without its line ending, then depth),
    or None."""
    if len(text) > MAX_LINE_CHARS and len(text.rstrip("\r\n")) > MAX_LINE_CHARS:
        return f"longer than the limit of {MAX_LINE_CHARS:,} characters"
    return TOO_DEEP if json_too_deep(text) else None


def json_too_deep(text: str) -> bool:
    """True if the JSON ``text`` nests arrays and objects more than :data:`MAX_DEPTH` deep."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    # Inside a JSON string every quote is escaped: without the escapes, every other piece
    # between quotes is a string.
    bare = "".join(text.replace("\\\\", "").replace('\\"', "").split('"')[::2])
    brackets = bare.encode("utf-8", "surrogatepass").translate(_SAME_KIND, _NOT_BRACKET_BYTES)
    for _ in range(MAX_DEPTH):
        shorter = brackets.replace(b"[]", b"")  # one level of innermost pairs a pass
        if len(shorter) == len(brackets):
            break
        brackets = shorter
    # empty: MAX_DEPTH levels at most; else unbalanced (rare: invalid JSON) or deep, counted
    return bool(brackets) and _deepest(bare) > MAX_DEPTH


def toml_too_deep_line(text: str) -> int | None:
    """The 1-based line where the TOML ``text`` first nests more than :data:`MAX_DEPTH` deep
    in brackets (the top table counting as level 1), or None."""
    if text.count("[") + text.count("{") < MAX_DEPTH:
        return None
    # strings and comments become their newlines, so that line numbers stay right
    bare = _TOML_SKIPPED.sub(lambda m: "\n" * m.group().count("\n"), text)
    if _deepest(bare) + 1 <= MAX_DEPTH:
        return None
    depth = 1
    for line, row in enumerate(bare.split("\n"), start=1):
        for char in _NOT_BRACKET.sub("", row):
            depth += _STEP[char]
            if depth > MAX_DEPTH:
                return line
    return None  # pragma: no cover - _deepest said otherwise


def too_deep_key(data: Any) -> str | None:
    """The key path of the first value of parsed ``data`` (dicts and lists) that lies more than
    :data:`MAX_DEPTH` levels deep (shortened to 80 characters), or None. Not recursive."""
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return path if len(path) <= 80 else path[:77] + "..."
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(item, dict | list):
                if isinstance(value, dict):
                    step = f"{path}.{key}" if path else str(key)
                else:
                    step = f"{path}[{key}]"
                stack.append((item, step[:100], depth + 1))
    return None


def _deepest(text: str) -> int:
    """The deepest bracket nesting of ``text`` (every bracket in it counts)."""
    brackets = _NOT_BRACKET.sub("", text)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)
