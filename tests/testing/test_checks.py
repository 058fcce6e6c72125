"""The policy checks catch each seeded defect and name the smallest counterexample."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import pytest

import creditflow
from creditflow.calendar import Period
from creditflow.policy.model import Basis, DecisionRule, Source
from creditflow.testing import assert_monotone, assert_policy_sound

POLICY = creditflow.load_policy("national-transport", on=dt.date(2026, 6, 1))


def with_rules(*rules: DecisionRule) -> creditflow.Policy:
    return attrs.evolve(POLICY, decisions=attrs.evolve(POLICY.decisions, rules=rules))


def grade_rule(grade: str, ratio: str, low: int = 1, basis: str = "test") -> DecisionRule:
    return DecisionRule(
        rule_id=f"grade-{grade.lower()}",
        when={"grade": grade},
        sampling_ratio=Fraction(ratio),
        inspections_per_year=(low, None),
        measures=frozenset(),
        basis=Basis(basis, Source.CONFIGURABLE),
    )


GRADES = ["AA", "A", "B", "C", "D"]
SOUND = [
    grade_rule(g, r) for g, r in zip(GRADES, ["1/100", "1/50", "1/20", "1/10", "1/5"], strict=True)
]


def test_every_builtin_pack_is_sound_and_monotone() -> None:
    for version in creditflow.builtin_versions():
        policy = creditflow.load_policy(version.key)
        assert_policy_sound(policy)
        for measure in ("sampling_ratio", "inspections_min", "inspections_max"):
            assert_monotone(policy, measure)


def test_a_sound_table_passes() -> None:
    assert_policy_sound(with_rules(*SOUND))


def test_a_gap_is_caught_with_the_smallest_counterexample() -> None:
    policy = with_rules(*[r for r in SOUND if r.rule_id != "grade-d"])
    with pytest.raises(AssertionError) as caught:
        assert_policy_sound(policy)
    message = str(caught.value)
    assert "80 gap(s)" in message  # 5 domains x 16 list and flag sets
    expected = (
        "Facts(domain='highway_construction', grade='D', lists=frozenset(), flags=frozenset())"
    )
    assert expected in message


def test_an_unresolved_overlap_is_caught() -> None:
    twice = attrs.evolve(SOUND[2], rule_id="grade-b-again")
    policy = with_rules(*SOUND, twice)
    policy = attrs.evolve(
        policy,
        decisions=attrs.evolve(policy.decisions, hit_policy=creditflow.policy.HitPolicy.UNIQUE),
    )
    with pytest.raises(AssertionError) as caught:
        assert_policy_sound(policy)
    message = str(caught.value)
    assert "unresolved overlap(s): rules grade-b, grade-b-again" in message
    assert (
        "Facts(domain='highway_construction', grade='B', lists=frozenset(), flags=frozenset())"
        in message
    )


def test_a_monotonicity_break_is_caught_in_its_measure_only() -> None:
    rules = list(SOUND)
    rules[4] = grade_rule("D", "1/20", low=1)  # D below C's 1/10
    policy = with_rules(*rules)
    assert_monotone(policy, "inspections_min")
    with pytest.raises(AssertionError) as caught:
        assert_monotone(policy, "sampling_ratio")
    message = str(caught.value)
    assert "not monotone in sampling_ratio" in message
    assert (
        "Facts(domain='highway_construction', grade='D', lists=frozenset(), flags=frozenset())"
        " gets sampling_ratio=5%" in message
    )
    assert "grade='C'" in message
    with pytest.raises(AssertionError, match="grade order violation"):
        assert_policy_sound(policy)


def test_fewer_inspections_for_a_worse_grade_is_caught() -> None:
    rules = list(SOUND)
    rules[0] = grade_rule("AA", "1/100", low=3)
    with pytest.raises(AssertionError, match=r"inspections_min=1 \(rule grade-a\), less than 3"):
        assert_monotone(with_rules(*rules), "inspections_min")


def test_a_missing_basis_is_caught() -> None:
    rules = list(SOUND)
    rules[1] = grade_rule("A", "1/50", basis="  ")
    with pytest.raises(AssertionError, match="decision rule 'grade-a' has no basis"):
        assert_policy_sound(with_rules(*rules))


def test_a_zero_period_is_caught() -> None:
    repair = attrs.evolve(
        POLICY.repair,
        decision_deadline=attrs.evolve(POLICY.repair.decision_deadline, value=Period.workdays(0)),
    )
    with pytest.raises(
        AssertionError, match="repair.decision_deadline: must be positive, got 0 workdays"
    ):
        assert_policy_sound(attrs.evolve(POLICY, repair=repair))


def test_an_unknown_measure_is_refused() -> None:
    with pytest.raises(ValueError, match="Cannot check measure='ratio'"):
        assert_monotone(POLICY, "ratio")  # type: ignore[arg-type]


def test_an_adverse_list_that_lowers_supervision_is_caught() -> None:
    """The issue's pack: the serious list gets 0 % under `first`, grade D 70 % off it."""
    zero = DecisionRule(
        rule_id="serious-list",
        when={"list_serious": True},
        sampling_ratio=Fraction(0),
        inspections_per_year=(0, 0),
        measures=frozenset(),
        basis=Basis("test", Source.CONFIGURABLE),
    )
    with pytest.raises(AssertionError) as caught:
        assert_policy_sound(with_rules(zero, *SOUND))
    message = str(caught.value)
    assert (
        "decisions.directions: direction: adding adverse list serious lowers sampling_ratio "
        "from 1% (rule grade-aa) to 0% (rule serious-list) in highway_construction/AA "
        "lists=[] flags=[]" in message
    )
    assert (
        "smallest counterexample Facts(domain='highway_construction', grade='AA', "
        "lists=frozenset(), flags=frozenset()) gets sampling_ratio=1% (rule grade-aa), and "
        "Facts(domain='highway_construction', grade='AA', lists=frozenset({'serious'}), "
        "flags=frozenset()) with adverse list 'serious' added gets 0% (rule serious-list)"
    ) in message


def test_a_policy_the_book_could_not_run_is_caught() -> None:
    events = {**POLICY.permissions.events, "objection": {"file": frozenset({"subject"})}}
    permissions = attrs.evolve(POLICY.permissions, events=events)
    with pytest.raises(AssertionError) as caught:
        assert_policy_sound(attrs.evolve(POLICY, permissions=permissions))
    assert "permissions.objection.forward: no role may fire it" in str(caught.value)
