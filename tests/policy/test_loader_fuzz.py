"""Any damage to a pack gives a Policy or a PolicyError, never another exception."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from _packs import national_data
from creditflow.errors import PolicyError
from creditflow.policy.loader import policy_from_data

BASE = national_data()

junk = st.one_of(
    st.none().map(lambda _: "DELETE"),
    st.integers(-5, 5),
    st.booleans(),
    st.text(max_size=5),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1)),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(["3 months", "5 workdays", "5%", "1/0", "AA", "serious", "$and"]),
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in nested dicts and lists."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths(value, (*prefix, i))
    return found


ALL_PATHS = paths(BASE)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), junk), min_size=1, max_size=3))
def test_damage_gives_a_policy_or_a_policy_error(
    damage: list[tuple[tuple[Any, ...], object]],
) -> None:
    data = national_data()
    for path, value in damage:
        try:
            data = _apply(data, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or replaced the container
    try:
        policy_from_data(data, "fuzz.toml")
    except PolicyError as error:
        assert error.problems
        assert all(p.source == "fuzz.toml" and p.reason for p in error.problems)


def _apply(data: dict[str, Any], path: tuple[Any, ...], value: object) -> dict[str, Any]:
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    if value == "DELETE":
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data
