"""Shared fixtures: the national pack in force mid-2026 and its engine."""

from __future__ import annotations

import pytest

import creditflow


@pytest.fixture(scope="session")
def policy() -> creditflow.Policy:
    """The national pack in force on 2026-06-01."""
    import datetime as dt

    return creditflow.load_policy("national-transport", on=dt.date(2026, 6, 1))


@pytest.fixture(scope="session")
def engine(policy: creditflow.Policy) -> creditflow.Engine:
    return creditflow.Engine(policy)
