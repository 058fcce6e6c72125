"""Shared fixtures: built-in pack data to derive test packs from."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from typing import Any

import pytest

import creditflow


def national_data() -> dict[str, Any]:
    """The parsed TOML of the built-in national pack (2026.1), a fresh copy each call."""
    text = (
        resources.files("creditflow.policy")
        .joinpath("packs", "national-transport-2026.toml")
        .read_text(encoding="utf-8")
    )
    return copy.deepcopy(tomllib.loads(text))


@pytest.fixture(scope="session")
def policy() -> creditflow.Policy:
    """The national pack in force on 2026-06-01."""
    import datetime as dt

    return creditflow.load_policy("national-transport", on=dt.date(2026, 6, 1))


@pytest.fixture(scope="session")
def engine(policy: creditflow.Policy) -> creditflow.Engine:
    return creditflow.Engine(policy)
