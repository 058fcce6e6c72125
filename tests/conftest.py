"""Shared fixtures: the national pack in force mid-2026 and its engine."""

from __future__ import annotations

import os

import pytest

# Compiled tables are not read from or written to the user's cache: every test compiles through
# durable_rules, whatever an earlier run left. tests/rules/test_table_cache.py points the cache
# at directories of its own.
os.environ["CREDITFLOW_CACHE"] = "off"

import creditflow


@pytest.fixture(scope="session")
def policy() -> creditflow.Policy:
    """The national pack in force on 2026-06-01."""
    import datetime as dt

    return creditflow.load_policy("national-transport", on=dt.date(2026, 6, 1))


@pytest.fixture(scope="session")
def engine(policy: creditflow.Policy) -> creditflow.Engine:
    return creditflow.Engine(policy)
