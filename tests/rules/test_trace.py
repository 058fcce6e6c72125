"""Engine.trace: every rule that matched, why, and why the winner won under the hit policy."""

from __future__ import annotations

from typing import Any

import pytest

import creditflow
from _packs import national_data
from creditflow import Facts
from creditflow.errors import InvalidFacts, UnknownName
from creditflow.policy.loader import policy_from_data
from creditflow.rules import compile_table, reference_table


def test_a_trace_lists_every_matching_rule_and_the_winner(engine: creditflow.Engine) -> None:
    trace = engine.trace(Facts("road_transport", "C", lists={"watch"}))
    assert trace.decision is engine.decide(Facts("road_transport", "C", lists={"watch"}))
    assert [(m.rule_id, m.position, m.won) for m in trace.matches] == [
        ("watch-list", 2, True),
        ("grade-c", 9, False),
    ]
    assert trace.matches[0].conditions == ("list_watch = true", "grade_rank <= 3 (is 3)")
    assert trace.matches[1].conditions == ("grade = 'C'",)
    assert trace.reason == (
        "the first matching rule in file order (hit policy first), before grade-c"
    )


def test_a_trace_as_text_and_data(engine: creditflow.Engine) -> None:
    trace = engine.trace(Facts("road_transport", "AA", lists={"serious", "red"}))
    assert trace.to_text() == (
        "road_transport/AA lists=['red', 'serious'] flags=[] under national-transport@2026.1 "
        "(hit policy first)\n"
        "  * serious-list (rule 1, priority 0)\n"
        "      list_serious = true\n"
        "    red-list (rule 5, priority 0)\n"
        "      list_red = true\n"
        "      grade_rank <= 1 (is 0)\n"
        "    grade-aa (rule 6, priority 0)\n"
        "      grade = 'AA'\n"
        "  decided by serious-list: the first matching rule in file order (hit policy first), "
        "before red-list, grade-aa"
    )
    data = trace.to_dict()
    assert data["winner"] == "serious-list" and data["hit_policy"] == "first"
    assert [m["rule_id"] for m in data["matches"]] == ["serious-list", "red-list", "grade-aa"]


def _engine(hit_policy: str, rules: list[dict[str, Any]]) -> creditflow.Engine:
    data = national_data()
    data["decisions"] = {"hit_policy": hit_policy, "rules": rules}
    return creditflow.Engine(policy_from_data(data, "test.toml"))


def _rule(rule_id: str, when: dict[str, Any], ratio: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": rule_id,
        "when": when,
        "sampling_ratio": ratio,
        "inspections_per_year": {"min": 1},
        "measures": [],
        "basis": "test",
        "source": "configurable",
        **extra,
    }


def test_under_priority_the_highest_priority_wins() -> None:
    engine = _engine(
        "priority",
        [
            _rule("everyone", {"$gte": {"grade_rank": 0}}, "5%", priority=1),
            _rule(
                "listed",
                {"$or": [{"list_serious": True}, {"list_watch": True}]},
                "100%",
                priority=9,
            ),
        ],
    )
    trace = engine.trace(Facts("road_transport", "B", lists={"watch"}))
    assert trace.decision.rule_id == "listed"
    assert [m.won for m in trace.matches] == [False, True]
    assert trace.matches[1].conditions == ("list_watch = true",)  # the $or branch that held
    assert trace.reason == (
        "the highest priority, 9, of the matching rules (hit policy priority); above everyone (1)"
    )


def test_under_unique_the_only_match_wins() -> None:
    rules = [
        _rule("not-d", {"$neq": {"grade": "D"}}, "5%"),
        _rule("d", {"grade": "D"}, "70%"),
    ]
    trace = _engine("unique", rules).trace(Facts("road_transport", "B"))
    assert trace.matches[0].conditions == ("grade != 'D' (is 'B')",)
    assert trace.reason == "the only rule that matches (hit policy unique)"


def test_the_table_keeps_the_matches_durable_rules_found(policy: creditflow.Policy) -> None:
    compiled, reference = compile_table(policy), reference_table(policy)
    assert compiled.matches == reference.matches
    assert len(compiled.matches) == 400
    assert compiled.matches[("road_transport", "B", frozenset(), frozenset())] == (7,)


@pytest.mark.parametrize("bad", [Facts("road_transport", "E"), "road_transport/B"])
def test_a_trace_of_bad_facts_raises_like_decide(engine: creditflow.Engine, bad: Any) -> None:
    with pytest.raises((UnknownName, InvalidFacts)):
        engine.trace(bad)
