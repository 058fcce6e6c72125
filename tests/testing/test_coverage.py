"""``pytest --creditflow-coverage`` and creditflow.testing.coverage: what a session exercised."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

import creditflow
from creditflow import Facts
from creditflow.rules.engine import Engine
from creditflow.testing.coverage import record_coverage

pytest_plugins = ["pytester"]

# Installed, creditflow's pytest11 entry point loads the plugin; from a source tree, -p does.
INSTALLED = any(e.name == "creditflow" for e in entry_points(group="pytest11"))
PLUGIN = [] if INSTALLED else ["-p", "creditflow.testing.plugin"]
PACK = "national-transport@2026.1"

TESTS = f"""
import creditflow

def test_grade_b():
    engine = creditflow.Engine(creditflow.load_policy("{PACK}"))
    assert engine.decide(creditflow.Facts("road_transport", "B")).rule_id == "grade-b"

def test_serious_many():
    engine = creditflow.Engine(creditflow.load_policy("{PACK}"))
    facts = [creditflow.Facts("work_safety", g, {{"serious"}}) for g in ("AA", "D")]
    assert [d.rule_id for d in engine.decide_many(facts)] == ["serious-list"] * 2
"""


def test_the_session_reports_rules_hit_and_never_hit(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_pack=TESTS)
    result = pytester.runpytest(*PLUGIN, "--creditflow-coverage", "--creditflow-policy", PACK)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*- creditflow coverage -*",
            f"{PACK} (digest *): 3 decisions, 2 of 10 rules hit, 3 of 400 signatures decided",
            "  hit        serious-list (2)",
            "  hit        grade-b (1)",
            "  never hit  watch-list",
            "  never hit  grade-d",
            "  never decided  highway_construction/AA lists=[] flags=[]",
            "  never decided  ... and 377 more signatures",
        ]
    )


def test_the_named_pack_is_reported_even_when_nothing_decided(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    result = pytester.runpytest(*PLUGIN, "--creditflow-coverage", "--creditflow-policy", PACK)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"{PACK} (digest *): 0 decisions, 0 of 10 rules hit, *"])


def test_a_pack_that_cannot_load_is_named_not_a_crash(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    result = pytester.runpytest(*PLUGIN, "--creditflow-coverage", "--creditflow-policy", "nope@1")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["--creditflow-policy nope@1: *nope*"])
    assert result.ret == 0


def test_without_the_option_nothing_is_reported_or_observed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_pack=TESTS)
    result = pytester.runpytest(*PLUGIN)
    result.assert_outcomes(passed=2)
    assert "creditflow coverage" not in result.stdout.str()
    assert Engine.decide.__name__ == "decide"


def test_the_option_is_in_the_help(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest(*PLUGIN, "--help")
    result.stdout.fnmatch_lines(["*--creditflow-coverage*"])


def test_recording_counts_decisions_and_traces_by_pack(engine: creditflow.Engine) -> None:
    with record_coverage() as coverage:
        engine.decide(Facts("road_transport", "C"))
        engine.trace(Facts("road_transport", "C", {"watch"}))
        engine.decide_many([Facts("road_transport", "C")] * 3)
    engine.decide(Facts("road_transport", "D"))  # after the block: not counted
    report = coverage.report(engine.policy)
    assert coverage.policies == (engine.policy,)
    assert report.decisions == 5
    assert report.rules_hit == (("watch-list", 1), ("grade-c", 4))
    assert "grade-d" in report.rules_never_hit
    assert len(report.signatures_never_decided) == 398
    assert not report.complete
    assert report.to_dict()["rules_hit"] == {"watch-list": 1, "grade-c": 4}


def test_deciding_is_the_plain_method_outside_a_recording(engine: creditflow.Engine) -> None:
    plain = Engine.decide
    with record_coverage(), record_coverage():
        assert Engine.decide is not plain
    assert Engine.decide is plain


def test_a_pack_never_decided_has_no_rule_hit(policy: creditflow.Policy) -> None:
    with record_coverage() as coverage:
        pass
    report = coverage.report(policy)
    assert report.decisions == 0 and not report.rules_hit
    assert len(report.signatures_never_decided) == report.signatures == 400


def test_a_decide_many_that_is_refused_counts_no_decision() -> None:
    """Found by review: the items before the bad one were counted, though never returned."""
    import creditflow
    from creditflow.testing import record_coverage

    policy = creditflow.load_policy("national-transport@2026.1")
    engine = creditflow.Engine(policy)
    with record_coverage() as coverage:
        with pytest.raises(creditflow.errors.UnknownName) as refused:
            engine.decide_many(
                [creditflow.Facts("road_transport", "B"), creditflow.Facts("road_transport", "E")]
            )
        report = coverage.report(policy)
    assert refused.value.index == 1
    assert report.decisions == 0 and "grade-b" not in dict(report.rules_hit)
