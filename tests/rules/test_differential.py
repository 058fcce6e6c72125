"""durable_rules against the pure-Python reference evaluator, on generated decision tables."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _packs import national_data
from creditflow.policy.loader import policy_from_data
from creditflow.rules import compile_table, reference_table
from creditflow.rules.durable_host import RuleMatcher
from creditflow.rules.signature import message, signatures

BASE = national_data()
DOMAINS = sorted(BASE["domains"])
GRADES = ["AA", "A", "B", "C", "D"]
BOOLEAN_FIELDS = [f"list_{k}" for k in BASE["lists"]] + [f"flag_{f}" for f in BASE["flags"]]


def leaves() -> st.SearchStrategy[dict[str, Any]]:
    equal = st.one_of(
        st.sampled_from(DOMAINS).map(lambda d: {"domain": d}),
        st.sampled_from(GRADES).map(lambda g: {"grade": g}),
        st.integers(0, 4).map(lambda r: {"grade_rank": r}),
        st.tuples(st.sampled_from(BOOLEAN_FIELDS), st.booleans()).map(lambda t: {t[0]: t[1]}),
    )
    compare = st.tuples(st.sampled_from(["$lt", "$lte", "$gt", "$gte"]), st.integers(0, 4)).map(
        lambda t: {t[0]: {"grade_rank": t[1]}}
    )
    differ = equal.map(lambda c: {"$neq": c})
    return st.one_of(equal, compare, differ)


conditions = st.recursive(
    leaves(),
    lambda inner: st.tuples(
        st.sampled_from(["$and", "$or"]), st.lists(inner, min_size=1, max_size=3)
    ).map(lambda t: {t[0]: t[1]}),
    max_leaves=6,
)


def pack_with(rules: list[dict[str, Any]], hit_policy: str) -> dict[str, Any]:
    data = national_data()
    data["decisions"] = {
        "hit_policy": hit_policy,
        "rules": [
            {
                "id": f"r{i}",
                "when": when,
                "sampling_ratio": f"{i + 1}%",
                "inspections_per_year": {"min": 0},
                "measures": [],
                "priority": i % 3,
                "basis": "generated",
                "source": "configurable",
            }
            for i, when in enumerate(rules)
        ],
    }
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(conditions, min_size=1, max_size=6))
def test_durable_rules_and_the_reference_match_the_same_rules(rules: list[dict[str, Any]]) -> None:
    policy = policy_from_data(pack_with(rules, "first"), "generated.toml")
    from creditflow.policy.conditions import evaluate

    matcher = RuleMatcher("differential", [r.when for r in policy.decisions.rules])
    for facts in signatures(policy):
        fields = message(policy, facts)
        expected = {i for i, r in enumerate(policy.decisions.rules) if evaluate(r.when, fields)}
        assert matcher.matches(fields) == expected, (facts, fields)


@settings(max_examples=20, deadline=None)
@given(
    st.lists(conditions, min_size=1, max_size=5), st.sampled_from(["unique", "first", "priority"])
)
def test_compiled_and_reference_tables_agree(rules: list[dict[str, Any]], hit_policy: str) -> None:
    policy = policy_from_data(pack_with(rules, hit_policy), "generated.toml")
    engine_table, reference = compile_table(policy), reference_table(policy)
    assert engine_table.decisions.keys() == reference.decisions.keys()
    for key, decision in engine_table.decisions.items():
        assert decision == reference.decisions[key]
    assert engine_table.report == reference.report
