"""impact(new, old, population): the analysis, the diff and what a switch of packs does."""

from __future__ import annotations

import json
from fractions import Fraction

import attrs
import pytest

import creditflow
from creditflow import Facts, SubjectKind
from creditflow.errors import InvalidInput
from creditflow.supervision import Inspector, PopulationEntry, draw_plan, impact

NATIONAL = "national-transport@2026.1"
LINDIAN = "lindian-transport@2026.1"


def entry(
    code: str, grade: str, lists: tuple[str, ...] = (), kind: str = "enterprise"
) -> PopulationEntry:
    return PopulationEntry(
        SubjectKind(kind), code, "名称", "230123", Facts("road_transport", grade, lists)
    )


POPULATION = [
    entry("91230123000000019R", "C"),
    entry("91230123000000027L", "C"),
    entry("91230123000000035F", "C"),
    entry("91230123000000043A", "C"),
    entry("912301230000000515", "B", ("serious",)),
    entry("230123198004110004", "D", kind="person"),
    entry("23012319800412000X", "D", kind="person"),
    entry("9123012300000006XW", "A", ("red",)),
]
INSPECTORS = [Inspector(f"ZF00{n}", "检查员", {"230123"}, {"road_transport"}) for n in range(1, 4)]


@pytest.fixture(scope="module")
def national() -> creditflow.Policy:
    return creditflow.load_policy(NATIONAL)


@pytest.fixture(scope="module")
def lindian() -> creditflow.Policy:
    return creditflow.load_policy(LINDIAN)


def test_the_same_pack_changes_nothing(national: creditflow.Policy) -> None:
    report = impact(national, national, POPULATION)
    assert report.changes == ()
    assert report.analysis.ok
    assert report.changed == 0
    assert report.old_plan == report.new_plan


def test_switching_to_the_lindian_table(
    national: creditflow.Policy, lindian: creditflow.Policy
) -> None:
    report = impact(lindian, national, POPULATION)
    assert (report.new_key, report.old_key) == (LINDIAN, NATIONAL)
    assert report.new_digest == lindian.digest
    assert report.changes == national.diff(lindian)
    assert report.population == 8 and report.changed == 6
    rows = {
        (g.grade, g.subjects, g.ratio_raised, g.ratio_lowered, g.changed) for g in report.groups
    }
    assert rows == {("A", 1, 0, 0, 0), ("B", 1, 0, 0, 0), ("C", 4, 4, 0, 4), ("D", 2, 2, 0, 2)}
    assert [g.grade for g in report.groups] == ["A", "B", "C", "D"]  # best grade first


@pytest.mark.parametrize("source", [NATIONAL, LINDIAN])
def test_the_plan_count_is_what_draw_plan_draws(
    national: creditflow.Policy, lindian: creditflow.Policy, source: str
) -> None:
    policy = creditflow.load_policy(source)
    report = impact(policy, national if policy == lindian else lindian, POPULATION)
    plan = draw_plan(
        POPULATION, engine=creditflow.Engine(policy), period=2026, seed="s", inspectors=INSPECTORS
    )
    assert report.new_plan is not None
    assert (report.new_plan.drawn, report.new_plan.inspections) == (
        plan.drawn,
        len(plan.inspections),
    )


def _with_rule(policy: creditflow.Policy, rule_id: str, **changes: object) -> creditflow.Policy:
    rules = tuple(
        attrs.evolve(r, **changes) if r.rule_id == rule_id else r for r in policy.decisions.rules
    )
    return attrs.evolve(policy, decisions=attrs.evolve(policy.decisions, rules=rules))


def test_inspections_and_measures_are_counted_apart(national: creditflow.Policy) -> None:
    new = _with_rule(national, "grade-c", inspections_per_year=(2, 2))
    new = _with_rule(new, "grade-d", measures=frozenset({"key_supervision"}))
    report = impact(new, national, POPULATION)
    by_grade = {g.grade: g for g in report.groups}
    assert (by_grade["C"].inspections_changed, by_grade["C"].measures_changed) == (4, 0)
    assert (by_grade["D"].inspections_changed, by_grade["D"].measures_changed) == (0, 2)
    assert by_grade["C"].ratio_raised == by_grade["C"].ratio_lowered == 0
    assert report.old_plan is not None and report.new_plan is not None
    assert report.new_plan.inspections == report.old_plan.inspections + 1  # one C firm, twice
    assert [c.path for c in report.changes] == [
        "decisions.rules.grade-c.inspections_per_year",
        "decisions.rules.grade-d.measures",
    ]


def test_a_lower_ratio_is_counted_as_lowered(national: creditflow.Policy) -> None:
    report = impact(
        _with_rule(national, "grade-d", sampling_ratio=Fraction(1, 2)), national, POPULATION
    )
    d = next(g for g in report.groups if g.grade == "D")
    assert (d.ratio_raised, d.ratio_lowered, d.changed) == (0, 2, 2)


def test_an_unsound_new_pack_is_reported_and_its_gaps_undecided(
    national: creditflow.Policy,
) -> None:
    rules = tuple(r for r in national.decisions.rules if r.rule_id != "grade-c")
    new = attrs.evolve(national, decisions=attrs.evolve(national.decisions, rules=rules))
    report = impact(new, national, POPULATION)
    assert not report.analysis.ok and report.analysis.gaps
    c = next(g for g in report.groups if g.grade == "C")
    assert (c.subjects, c.undecided_new, c.undecided_old, c.changed) == (4, 4, 0, 0)
    assert "undecided old/new" in report.to_text()


def test_without_a_population_only_the_analysis_and_the_diff(
    national: creditflow.Policy, lindian: creditflow.Policy
) -> None:
    report = impact(lindian, national)
    assert report.population is None and report.groups == () and report.new_plan is None
    assert "population" not in report.to_dict()
    assert report.to_text().startswith(f"{LINDIAN}: 400 signatures analysed: OK\n\n")


def test_the_report_as_text_and_json(
    national: creditflow.Policy, lindian: creditflow.Policy
) -> None:
    report = impact(lindian, national, iter(POPULATION))  # read once: an iterator will do
    text = report.to_text()
    assert text.endswith(
        "population: 8 subjects, 6 changed\n"
        "  domain          grade  subjects  ratio up  ratio down  inspections  measures\n"
        "  road_transport  A             1         0           0            0         0\n"
        "  road_transport  B             1         0           0            0         0\n"
        "  road_transport  C             4         4           0            0         0\n"
        "  road_transport  D             2         2           0            0         0\n"
        "the year's plan: 5 -> 7 subjects drawn (+2), 6 -> 8 inspections (+2)"
    )
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert data["population"]["plan"] == {
        "old": {"drawn": 5, "inspections": 6},
        "new": {"drawn": 7, "inspections": 8},
    }
    assert data["new"] == {"policy": LINDIAN, "digest": lindian.digest}


@pytest.mark.parametrize("bad", [None, "x", Facts("road_transport", "B")])
def test_a_population_item_that_is_no_entry_is_named(
    national: creditflow.Policy, bad: object
) -> None:
    with pytest.raises(InvalidInput, match="population item 1 must be a PopulationEntry"):
        impact(national, national, [POPULATION[0], bad])  # type: ignore[list-item]


def test_packs_must_be_policies(national: creditflow.Policy) -> None:
    with pytest.raises(InvalidInput):
        impact(NATIONAL, national)  # type: ignore[arg-type]
