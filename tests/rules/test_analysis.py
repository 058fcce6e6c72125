"""Analysis of decision tables: gaps, overlaps, order violations, unused rules."""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

import attrs
import pytest

import creditflow
from _packs import national_data
from creditflow.errors import PolicyAnalysisError
from creditflow.policy.loader import policy_from_data
from creditflow.rules import compile_table
from creditflow.rules.analysis import find_direction_violations
from creditflow.rules.signature import signatures


def rule(
    rule_id: str, when: dict[str, Any], ratio: str, low: int = 1, **extra: Any
) -> dict[str, Any]:
    return {
        "id": rule_id,
        "when": when,
        "sampling_ratio": ratio,
        "inspections_per_year": {"min": low},
        "measures": [],
        "basis": "test",
        "source": "configurable",
        **extra,
    }


def grade_rules(**ratios: str) -> list[dict[str, Any]]:
    return [rule(f"grade-{g.lower()}", {"grade": g}, r) for g, r in ratios.items()]


def analyse(rules: list[dict[str, Any]], hit_policy: str = "first") -> creditflow.AnalysisReport:
    data = national_data()
    data["decisions"] = {"hit_policy": hit_policy, "rules": rules}
    return compile_table(policy_from_data(data, "test.toml")).report


MONOTONE = {"AA": "1%", "A": "2%", "B": "5%", "C": "10%", "D": "20%"}


def test_a_sound_table_is_ok() -> None:
    report = analyse(grade_rules(**MONOTONE))
    assert report.ok
    assert report.signatures == 400
    assert report.problems() == []


def test_a_missing_grade_is_a_gap_for_every_signature_with_it() -> None:
    ratios = dict(MONOTONE)
    del ratios["C"]
    report = analyse(grade_rules(**ratios))
    assert not report.ok
    assert len(report.gaps) == 5 * 8 * 2  # domains x list sets x flag sets
    assert {g.facts.grade for g in report.gaps} == {"C"}
    assert str(report.gaps[0]).startswith("gap: no rule decides highway_construction/C lists=[]")


def test_gaps_are_summarised_in_the_error() -> None:
    data = national_data()
    data["decisions"]["rules"] = grade_rules(AA="1%", A="2%")
    with pytest.raises(PolicyAnalysisError) as info:
        compile_table_or_raise(data)
    keys = [p.key for p in info.value.problems]
    assert keys.count("decisions.gaps") == 21
    assert info.value.problems[20].reason == "... and 220 more"
    assert len(info.value.report.gaps) == 240


def compile_table_or_raise(data: dict[str, Any]) -> None:
    policy = policy_from_data(data, "test.toml")
    creditflow.Engine(policy)


def test_unique_hit_policy_reports_overlaps() -> None:
    rules = [*grade_rules(**MONOTONE), rule("all-serious", {"list_serious": True}, "100%")]
    report = analyse(rules, hit_policy="unique")
    assert len(report.overlaps) == 25 * 4 * 2
    overlap = report.overlaps[0]
    assert overlap.rule_ids == ("grade-aa", "all-serious")
    assert "serious" in overlap.facts.lists


def test_first_hit_policy_resolves_the_same_overlaps_by_order() -> None:
    rules = [rule("all-serious", {"list_serious": True}, "100%"), *grade_rules(**MONOTONE)]
    report = analyse(rules, hit_policy="first")
    assert report.ok


def test_priority_ties_are_unresolved_and_priorities_resolve() -> None:
    serious = rule("all-serious", {"list_serious": True}, "100%", priority=10)
    tied = [*grade_rules(**MONOTONE), rule("all-serious", {"list_serious": True}, "100%")]
    assert len(analyse(tied, hit_policy="priority").overlaps) == 200
    assert analyse([*grade_rules(**MONOTONE), serious], hit_policy="priority").ok


def test_a_worse_grade_with_a_lower_ratio_is_an_order_violation() -> None:
    report = analyse(grade_rules(**{**MONOTONE, "D": "8%"}))
    assert len(report.violations) == 5 * 8 * 2
    violation = report.violations[0]
    assert (violation.better.grade, violation.worse.grade) == ("C", "D")
    assert violation.measure == "sampling_ratio"
    assert "grade D gets sampling_ratio=8% (rule grade-d) below grade C's 10%" in str(violation)
    assert violation.worse_value == Fraction(2, 25)  # exact in the API


def test_fewer_inspections_for_a_worse_grade_is_an_order_violation() -> None:
    rules = grade_rules(**MONOTONE)
    rules[3]["inspections_per_year"] = {"min": 2, "max": 3}  # C
    rules[4]["inspections_per_year"] = {"min": 2, "max": 2}  # D: fewer at most
    report = analyse(rules)
    assert {v.measure for v in report.violations} == {"inspections_max"}


def test_unbounded_then_bounded_is_an_order_violation() -> None:
    rules = grade_rules(**MONOTONE)
    rules[3]["inspections_per_year"] = {"min": 1}  # C: as needed
    rules[4]["inspections_per_year"] = {"min": 1, "max": 4}
    report = analyse(rules)
    assert {v.measure for v in report.violations} == {"inspections_max"}
    assert "below grade C's unbounded" in str(report.violations[0])


def test_rules_that_never_decide_are_warnings_only() -> None:
    rules = [*grade_rules(**MONOTONE), rule("shadowed", {"grade": "A"}, "3%")]
    report = analyse(rules)
    assert report.ok
    assert report.unused_rules == ("shadowed",)
    assert "warning: rule shadowed never decides any signature" in report.to_text()


def test_check_policy_returns_schema_problems_as_a_report(tmp_path: Any) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("format = 1\n", encoding="utf-8")
    report = creditflow.check_policy(path)
    assert not report.ok
    assert report.policy_key is None
    assert {p.key for p in report.schema_problems} >= {"pack", "decisions", "repair"}
    assert report.to_dict()["ok"] is False


def test_check_policy_of_the_default_pack() -> None:
    report = creditflow.check_policy()
    assert report.ok, report.to_text()


# ---------------------------------------------------------------- directions of lists and flags


def test_a_serious_list_lowering_supervision_is_a_direction_violation() -> None:
    serious = rule("serious-list", {"list_serious": True}, "0%", low=0)
    report = analyse([serious, *grade_rules(**MONOTONE)])
    assert not report.ok
    assert report.violations == ()  # every grade gets 0 % on the list: the grade order holds
    first = report.direction_violations[0]
    assert (first.kind, first.name, first.direction) == ("list", "serious", "adverse")
    assert first.without == creditflow.Facts("highway_construction", "AA")
    assert first.added == creditflow.Facts("highway_construction", "AA", {"serious"})
    assert (first.measure, first.without_value, first.added_value) == (
        "sampling_ratio",
        Fraction(1, 100),
        Fraction(0),
    )
    assert first.rule_ids == ("grade-aa", "serious-list")
    assert first.pairs == 5 * 4 * 2  # domains x sets of the other lists x sets of flags
    assert {(v.measure, v.rule_ids[0]) for v in report.direction_violations} == {
        ("sampling_ratio", f"grade-{g.lower()}") for g in MONOTONE
    } | {("inspections_min", f"grade-{g.lower()}") for g in MONOTONE}
    assert "decisions.directions" in {p.key for p in report.problems()}


def test_a_favourable_list_raising_supervision_is_a_direction_violation() -> None:
    red = rule("red-list", {"list_red": True}, "5%", low=0, inspections_per_year={"min": 0})
    report = analyse([red, *grade_rules(**MONOTONE)])
    raised = {(v.measure, v.rule_ids[0]) for v in report.direction_violations}
    # 5 % is more than AA's 1 % and A's 2 %; no maximum is more than any maximum
    assert ("sampling_ratio", "grade-aa") in raised
    assert ("sampling_ratio", "grade-b") not in raised
    assert ("inspections_max", "grade-aa") not in raised  # grade rules have no maximum either
    assert all(v.direction == "favourable" for v in report.direction_violations)
    assert "raises sampling_ratio from 1% (rule grade-aa) to 5% (rule red-list)" in str(
        report.direction_violations[0]
    )


def test_an_as_needed_maximum_lowered_by_a_flag_is_a_direction_violation() -> None:
    rules = grade_rules(**MONOTONE)  # no maximum: "as needed"
    breach = rule(
        "breach",
        {"flag_commitment_breached": True},
        "50%",
        inspections_per_year={"min": 1, "max": 4},
    )
    report = analyse([breach, *rules])
    assert {v.measure for v in report.direction_violations} == {"inspections_max"}
    violation = report.direction_violations[0]
    assert (violation.kind, violation.name) == ("flag", "commitment_breached")
    assert "lowers inspections_max from unbounded (rule grade-aa) to 4 (rule breach)" in str(
        violation
    )


def test_adding_an_adverse_list_to_a_favourable_one_is_checked_too() -> None:
    """The red list may lower supervision, but adding the watch list to it must not."""
    both = rule("watch-and-red", {"$and": [{"list_watch": True}, {"list_red": True}]}, "0%", 0)
    red = rule("red-list", {"list_red": True}, "1%", low=0)
    report = analyse([both, red, *grade_rules(**MONOTONE)])
    lowered = [v for v in report.direction_violations if v.name == "watch"]
    assert {v.rule_ids for v in lowered} == {("red-list", "watch-and-red")}
    assert lowered[0].without == creditflow.Facts("highway_construction", "AA", {"red"})
    assert lowered[0].measure == "sampling_ratio"


def test_direction_analysis_of_51200_signatures_takes_milliseconds() -> None:
    """The analysis runs at every load: 5 domains x 5 grades x 3 lists x 8 flags."""
    data = national_data()
    for i in range(7):
        data["flags"][f"extra_{i}"] = {
            "label": {"zh": "示例", "en": "Example"},
            "direction": {"value": "adverse", "basis": "test", "source": "configurable"},
        }
    policy = policy_from_data(data, "eight-flags.toml")
    decided = {
        facts: _Row(Fraction(len(facts.lists) + len(facts.flags), 20), f"r{len(facts.flags)}")
        for facts in signatures(policy)
    }
    assert len(decided) == 51_200
    started = time.perf_counter()
    assert find_direction_violations(policy, decided) == []
    assert time.perf_counter() - started < 1.0  # about 0.1 s alone on the reference machine


@attrs.frozen
class _Row:
    sampling_ratio: Fraction
    rule_id: str
    inspections_per_year: tuple[int, int | None] = (1, None)
