"""Hostile values: what a careless or malicious caller may pass to any public entry point."""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any

from hypothesis import strategies as st

DEPTH = 5_000  # far beyond creditflow's limit of 100 and Python's recursion limit of 1,000


def deep_list(depth: int = DEPTH) -> list[Any]:
    """``[[[...]]]``, built without recursion."""
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


def deep_dict(depth: int = DEPTH) -> dict[str, Any]:
    """``{"a": {"a": ...}}``, built without recursion."""
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


class OddMapping(Mapping[Any, Any]):
    """A read-only mapping that is not a dict, with keys of several types."""

    def __init__(self) -> None:
        self._data: dict[Any, Any] = {"a": 1, 2: "b", None: None}

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


class Colour(enum.IntEnum):
    """An int that is not a plain int."""

    RED = 1


class Text(str):
    """A str that is not a plain str."""


CONTROL = "\x00\x07\x1b[31m\r\n\t\u200b\u202e\ufeff\ud800"

SCALARS: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    1,
    2**63,
    2**64,
    -(2**64),
    10**400,
    Colour.RED,
    math.nan,
    math.inf,
    -math.inf,
    -0.0,
    1.5,
    1e308,
    complex(1, 1),
    Decimal("NaN"),
    Fraction(1, 3),
    "",
    " ",
    "a",
    "x" * 100_000,
    CONTROL,
    "road_transport",
    "91350100M000100Y43",
    "2026-06-01",
    "2026-02-30",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    Text("road_transport"),
    b"",
    b"\xff\xfe\x00",
    bytearray(b"road_transport"),
    dt.date.min,
    dt.date.max,
    dt.date(2026, 6, 1),
    dt.datetime(2026, 6, 1, 12, 0),
    dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC),
    dt.time(12, 0),
    dt.timedelta(days=-1),
    PurePosixPath("/nonexistent/x.toml"),
    object(),
    ...,
    type,
    print,
)


def _containers() -> tuple[Any, ...]:
    return (
        [],
        [None],
        ["road_transport", 1],
        (),
        ("a",),
        {},
        {1: 2},
        {(1, 2): "x"},
        {"a": math.nan},
        {"": None},
        set(),
        frozenset({1, "a"}),
        MappingProxyType({"a": 1}),
        OddMapping(),
        deep_list(),
        deep_dict(),
        [deep_list()],
        iter([1, 2]),
    )


def hostile() -> st.SearchStrategy[Any]:
    """Any hostile value: a scalar or container from the lists above, or a random one."""
    fixed = st.sampled_from(SCALARS) | st.builds(lambda i: _containers()[i], st.integers(0, 17))
    drawn = st.one_of(
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.binary(max_size=10),
        st.dates(),
        st.datetimes(),
        st.lists(st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=5)), max_size=3),
        st.dictionaries(
            st.text(max_size=5), st.one_of(st.none(), st.integers(), st.floats()), max_size=3
        ),
    )
    return st.one_of(fixed, fixed, drawn)


def _json_safe(value: Any, depth: int = 0) -> bool:
    if isinstance(value, str):
        return not any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, list | tuple | set | frozenset):
        return depth < 20 and all(_json_safe(v, depth + 1) for v in value)
    if isinstance(value, Mapping):
        return depth < 20 and all(_json_safe(v, depth + 1) for v in value.values())
    return True


def json_safe() -> st.SearchStrategy[Any]:
    """Hostile values that are not nested too deep for JSON and hold no lone surrogate."""
    return hostile().filter(_json_safe)
