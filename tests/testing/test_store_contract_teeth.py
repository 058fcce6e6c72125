"""The store contract has teeth: run against stores broken on purpose, it fails the tests of
what they break, and passes the rest."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

BROKEN_STORES = '''
import datetime as dt

import pytest

from creditflow.book import MemoryStore
from creditflow.testing.store_contract import StoreContract


class ReusesKeys(MemoryStore):
    """Forgets to refuse an idempotency key already stored."""

    def _check_keys_unused(self, batch):
        pass


class IgnoresOpenOr(MemoryStore):
    """Keeps every closed row whatever ``open_or`` names."""

    def cases(self, *, open_or=None, **filters):
        return super().cases(**filters)


class HalfWrites(MemoryStore):
    """Writes the rows after checking the versions but before it reads the clock, so a
    failure there leaves them written."""

    def _check_keys_unused(self, batch):
        super()._check_keys_unused(batch)
        self._cases.update((record[0], record) for record in batch.cases)


class TestReusesKeys(StoreContract):
    @pytest.fixture
    def opener(self):
        return ReusesKeys


class TestIgnoresOpenOr(StoreContract):
    @pytest.fixture
    def opener(self):
        return IgnoresOpenOr


class TestHalfWrites(StoreContract):
    @pytest.fixture
    def opener(self):
        return HalfWrites
'''


@pytest.fixture
def outcomes(pytester: pytest.Pytester) -> dict[str, str]:
    """``test id -> outcome`` of the contract (but the tests that tamper) on the broken stores."""
    pytester.makepyfile(test_broken=BROKEN_STORES)
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "-rA", "-q", "-k", "not verify and not anchor"
    )
    found = {}
    for line in result.outlines:
        word, _, name = line.partition(" ")
        if word in ("PASSED", "FAILED", "ERROR"):
            found[name.split(" - ")[0]] = word
    assert found, result.outlines
    return found


def test_each_broken_store_fails_what_it_breaks_and_only_that(outcomes: dict[str, str]) -> None:
    failed = {name for name, outcome in outcomes.items() if outcome != "PASSED"}
    expected = {
        "TestReusesKeys::test_a_stored_idempotency_key_conflicts_and_writes_nothing",
        "TestReusesKeys::test_a_key_conflict_describes_the_change_already_made",
        "TestIgnoresOpenOr::test_open_or_keeps_open_rows_and_only_the_closed_rows_it_names",
        "TestHalfWrites::test_an_append_that_fails_inside_its_transaction_writes_nothing",
    }
    assert {name.split("::", 1)[1] for name in failed} == expected
    assert len(outcomes) - len(failed) > 100  # the rest of the contract ran, and passed
