"""Every public entry point, fed hostile values, raises only creditflow's own errors (or works).

Each example keeps most parameters of an entry point valid and makes one or two hostile, so
that the bad value reaches as deep as a careless caller's would.
"""

from __future__ import annotations

import contextlib
import enum
import importlib
import inspect
from typing import Any

import pytest
from _entries import ENTRIES, NOT_ENTRY_POINTS, Entry
from _hostile import hostile
from _profile import FUZZ
from hypothesis import given
from hypothesis import strategies as st

from creditflow.errors import CreditflowError

PACKAGES = (
    "creditflow",
    "creditflow.book",
    "creditflow.calendar",
    "creditflow.core",
    "creditflow.demo",
    "creditflow.docs",
    "creditflow.licensing",
    "creditflow.disclosure",
    "creditflow.policy",
    "creditflow.rules",
    "creditflow.scale",
    "creditflow.supervision",
    "creditflow.workflows",
    "creditflow.cli",
    "creditflow.service",
)
"""The packages whose ``__all__`` the suite covers. ``creditflow.testing`` is a test kit: its
checks raise ``AssertionError`` by design and its strategies take the test author's objects."""


def _public_callables() -> set[str]:
    names = set()
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            value = getattr(module, name)
            if (inspect.isclass(value) or callable(value)) and not inspect.ismodule(value):
                names.add(name)
    return names


def test_every_public_callable_is_fuzzed_or_says_why_not() -> None:
    fuzzed = {entry.name.split(".")[0] for entry in ENTRIES}
    enums = {
        name
        for name in _public_callables()
        if inspect.isclass(value := getattr(importlib.import_module("creditflow"), name, None))
        and issubclass(value, enum.Enum)
    }
    missing = _public_callables() - fuzzed - NOT_ENTRY_POINTS.keys() - enums
    assert not missing, f"add these to tests/fuzz/_entries.py or NOT_ENTRY_POINTS: {missing}"


@st.composite
def arguments(draw: st.DrawFn, entry: Entry) -> dict[str, Any]:
    names = list(entry.good)
    bad = draw(st.sets(st.sampled_from(names), min_size=1, max_size=2)) if names else set()
    kwargs = {}
    for name in names:
        if name not in bad:
            kwargs[name] = entry.good[name]()
        else:
            kwargs[name] = draw(hostile(), label=name)
    return kwargs


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
@FUZZ
@given(data=st.data())
def test_only_creditflow_errors_come_out(entry: Entry, data: st.DataObject) -> None:
    kwargs = data.draw(arguments(entry))
    with contextlib.suppress(CreditflowError):
        entry.call(**kwargs)
