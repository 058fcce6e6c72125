"""The decision engine: deciding, errors for bad facts, explanations."""

from __future__ import annotations

from fractions import Fraction

import pytest

import creditflow
from creditflow import Facts
from creditflow.errors import InvalidFacts, InvalidInput, UnknownName


def test_grades_get_the_pack_ratios(engine: creditflow.Engine) -> None:
    expected = {"AA": "1/100", "A": "3/100", "B": "1/20", "C": "1/4", "D": "7/10"}
    for domain in engine.policy.domains:
        for grade, ratio in expected.items():
            decision = engine.decide(Facts(domain, grade))
            assert decision.sampling_ratio == Fraction(ratio)
            assert decision.rule_id == f"grade-{grade.lower()}"
            assert decision.policy_version == "national-transport@2026.1"
            assert decision.basis.startswith("国发〔2019〕5号")


def test_the_serious_list_overrides_the_grade(engine: creditflow.Engine) -> None:
    decision = engine.decide(Facts("road_transport", "AA", lists={"serious", "red"}))
    assert decision.rule_id == "serious-list"
    assert decision.sampling_ratio == 1
    assert decision.inspections_per_year == (2, None)
    assert {"key_supervision", "no_commit_and_approve", "weighed_in_bidding"} <= decision.measures


def test_a_breached_commitment_withdraws_commit_and_approve(engine: creditflow.Engine) -> None:
    clean = engine.decide(Facts("highway_construction", "A"))
    breached = engine.decide(Facts("highway_construction", "A", flags={"commitment_breached"}))
    assert "commit_and_approve" in clean.measures
    assert "commit_and_approve" not in breached.measures
    assert "no_commit_and_approve" in breached.measures


def test_decide_many_keeps_order_and_accepts_any_iterable(engine: creditflow.Engine) -> None:
    facts = [Facts("road_transport", g) for g in ("D", "AA", "B")]
    by_list = engine.decide_many(facts)
    by_generator = engine.decide_many(f for f in facts)
    assert [d.facts.grade for d in by_list] == ["D", "AA", "B"]
    assert by_list == by_generator == [engine.decide(f) for f in facts]
    assert engine.decide_many([]) == []


def test_equal_facts_get_the_same_decision(engine: creditflow.Engine) -> None:
    a = engine.decide(Facts("road_transport", "B", lists=["watch"]))
    b = engine.decide(Facts("road_transport", "B", lists=frozenset({"watch"})))
    assert a is b


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (Facts("railways", "A"), "unknown domain 'railways' in national-transport@2026.1; known: "),
        (
            Facts("road_transport", "E"),
            "unknown grade 'E' in domain 'road_transport' (scale 'road_transport'); "
            "known: AA, A, B, C, D",
        ),
        (Facts("road_transport", "A", lists={"grey"}), "unknown list kind 'grey'"),
        (Facts("road_transport", "A", flags={"nice"}), "unknown flag 'nice'"),
    ],
)
def test_unknown_names_are_typed_errors(
    engine: creditflow.Engine, facts: Facts, message: str
) -> None:
    with pytest.raises(UnknownName) as info:
        engine.decide(facts)
    assert str(info.value).startswith(message)
    assert isinstance(info.value, LookupError)
    with pytest.raises(UnknownName):
        engine.decide_many([Facts("road_transport", "A"), facts])


@pytest.mark.parametrize("bad", [None, "road_transport/A", {"domain": "road_transport"}])
def test_non_facts_are_refused(engine: creditflow.Engine, bad: object) -> None:
    with pytest.raises(InvalidFacts, match="decide needs a creditflow.Facts"):
        engine.decide(bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidFacts, match="decide needs a creditflow.Facts"):
        engine.decide_many([Facts("road_transport", "A"), bad])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"domain": 3, "grade": "A"}, "Facts.domain must be a non-empty str, got 3 that is an int"),
        ({"domain": "x", "grade": ""}, "Facts.grade must be a non-empty str"),
        ({"domain": "x", "grade": "A", "lists": "serious"}, "write frozenset({'serious'})"),
        ({"domain": "x", "grade": "A", "flags": [1]}, "Facts.flags must hold non-empty str"),
        ({"domain": "x", "grade": "A", "lists": 5}, "Facts.lists must be a set of names"),
    ],
)
def test_malformed_facts_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidFacts) as info:
        Facts(**kwargs)  # type: ignore[arg-type]
    assert message in str(info.value)


def test_engine_needs_a_policy() -> None:
    with pytest.raises(InvalidInput, match="Engine needs a Policy"):
        creditflow.Engine("national-transport")  # type: ignore[arg-type]


def test_explain_in_both_languages(engine: creditflow.Engine) -> None:
    decision = engine.decide(Facts("road_transport", "D", lists={"watch"}))
    zh, en = decision.explain("zh"), decision.explain("en")
    assert decision.explain() == zh
    assert zh.startswith("道路运输领域信用等级为D（信用差）的主体，已列入重点关注名单")
    assert "抽查比例为70%，每年检查不少于1次" in zh
    assert "规则 grade-d，national-transport@2026.1" in zh
    assert en.startswith("A subject graded D (Poor) in Road transport, on the Watch list")
    assert "Sampling ratio 70%, inspected at least 1 time a year, as needed" in en
    with pytest.raises(InvalidInput, match="lang must be 'zh' or 'en'"):
        decision.explain("fr")  # type: ignore[arg-type]


def test_to_dict_is_json_ready(engine: creditflow.Engine) -> None:
    import json

    data = engine.decide(Facts("waterway_transport", "B")).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["sampling_ratio"] == "1/20"
    assert data["sampling_percent"] == "5%"
    assert data["inspections_per_year"] == {"min": 1, "max": 1}


def test_decide_many_names_the_index_of_a_bad_item(engine: creditflow.Engine) -> None:
    facts = [
        Facts("road_transport", "A"),
        Facts("road_transport", "B"),
        Facts("road_transport", "Z"),
    ]
    with pytest.raises(UnknownName) as info:
        engine.decide_many(facts)
    assert str(info.value).startswith("decide_many item 2: unknown grade 'Z'")
    assert info.value.index == 2
    assert info.value.known == ("AA", "A", "B", "C", "D")


def test_decide_many_names_the_index_of_an_item_that_is_not_facts(
    engine: creditflow.Engine,
) -> None:
    with pytest.raises(InvalidFacts, match=r"^decide_many item 1: decide needs a creditflow.Facts"):
        engine.decide_many([Facts("road_transport", "A"), "road_transport/A"])  # type: ignore[list-item]
