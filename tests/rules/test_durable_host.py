"""The durable_rules wrapper: no threads left behind, failures become EngineFailure."""

from __future__ import annotations

import threading

import pytest

from creditflow.errors import EngineFailure
from creditflow.rules.durable_host import RuleMatcher, _read_hits


def test_matchers_start_no_threads() -> None:
    before = threading.active_count()
    matchers = [RuleMatcher(f"threads_{i}", [{"grade": "A"}]) for i in range(20)]
    for matcher in matchers:
        assert matcher.matches({"grade": "A"}) == {0}
    assert threading.active_count() == before


def test_many_calls_reuse_one_sid_without_growing_state() -> None:
    matcher = RuleMatcher("many", [{"grade": "A"}, {"$lte": {"grade_rank": 1}}])
    for i in range(3000):  # more than durable_rules' 1024 live sids
        rank = i % 3
        expected = {0} if rank == 0 else set()
        expected |= {1} if rank <= 1 else set()
        grade = "A" if rank == 0 else "B"
        assert matcher.matches({"grade": grade, "grade_rank": rank}) == expected


def test_identical_messages_are_not_taken_for_duplicates() -> None:
    matcher = RuleMatcher("same", [{"grade": "A"}])
    assert [matcher.matches({"grade": "A"}) for _ in range(5)] == [{0}] * 5


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (None, "durable_rules returned None instead of a state"),
        (0, "durable_rules returned 0 instead of a state"),
        ({"hits": [0], "exception": "Traceback ..."}, "a rule action failed inside durable_rules"),
        ({"hits": [0]}, "durable_rules did not run the probe rule"),
        ({}, "durable_rules did not run the probe rule"),
    ],
)
def test_unreadable_engine_answers_are_engine_failures(state: object, message: str) -> None:
    with pytest.raises(EngineFailure, match=message):
        _read_hits(state, {"grade": "A"})
