"""draw_plan by example: ratios and rounding, must-inspect subjects, frequency over a year,
low-risk exemptions, the overall cap, inspector pools and recusal, and every refusal."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction

import attrs
import pytest
from supervision_builders import enterprise, officers, person, stratum, uscc, with_inspection

import creditflow
from creditflow import Facts, SubjectKind
from creditflow.errors import InfeasiblePlan, InvalidInput, InvalidRow
from creditflow.supervision import (
    InspectionPlan,
    PopulationEntry,
    Stratum,
    draw_plan,
    round_count,
)
from creditflow.supervision import strata as strata_module
from creditflow.supervision.strata import visits_per_year

SEED = "20260105"


def draw(
    engine: creditflow.Engine, population: list[PopulationEntry], **kwargs: object
) -> InspectionPlan:
    options: dict[str, object] = {"period": 2026, "seed": SEED, "inspectors": officers(6)}
    options.update(kwargs)
    return draw_plan(population, engine=engine, **options)  # type: ignore[arg-type]


def by_name(plan: InspectionPlan) -> dict[str, Stratum]:
    return {s.name: s for s in plan.strata}


# ---------------------------------------------------------------- ratios and rounding


def test_each_stratum_draws_its_ratio_rounded_up(engine: creditflow.Engine) -> None:
    population = [
        *stratum(41, "B"),  # 5 % of 41 = 2.05 -> 3
        *stratum(10, "C", start=100),  # 25 % of 10 = 2.5 -> 3
        *stratum(3, "B", start=200, lists={"serious"}),  # 100 %, twice a year
    ]
    plan = draw(engine, population)
    strata = by_name(plan)
    assert strata["road_transport/B/grade-b"].drawn == 3
    assert strata["road_transport/C/grade-c"].drawn == 3
    serious = strata["road_transport/B/serious-list"]
    assert (serious.size, serious.drawn, serious.visits) == (3, 3, 2)
    assert plan.drawn == 9
    assert len(plan.inspections) == 3 + 3 + 3 * 2
    assert plan.population_size == 54


def test_round_count_is_exact_where_floats_are_not() -> None:
    assert 0.07 * 100 > 7  # 7.000000000000001: math.ceil would give 8
    assert round_count(Fraction(7, 100), 100, "ceil") == 7
    assert round_count(Fraction(1, 4), 10, "half_up") == 3
    assert round_count(Fraction(1, 4), 9, "half_up") == 2
    assert round_count(Fraction(1, 4), 10, "floor") == 2
    with pytest.raises(InvalidInput, match="rounding must be"):
        round_count(Fraction(1, 4), 10, "bankers")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rounding", "size", "drawn"),
    [("ceil", 10, 3), ("floor", 10, 2), ("half_up", 10, 3), ("half_up", 9, 2), ("floor", 3, 0)],
)
def test_the_pack_says_how_to_round(
    policy: creditflow.Policy, rounding: str, size: int, drawn: int
) -> None:
    engine = creditflow.Engine(with_inspection(policy, rounding=rounding))
    plan = draw(engine, stratum(size, "C"))
    assert by_name(plan)["road_transport/C/grade-c"].drawn == drawn


def test_strata_are_domain_grade_and_rule(engine: creditflow.Engine) -> None:
    population = [
        *stratum(4, "B"),
        *stratum(4, "B", start=10, flags={"commitment_breached"}),  # rule breach-good-grade
        *stratum(4, "B", start=20, domain="work_safety"),
    ]
    names = [s.name for s in draw(engine, population).strata]
    assert names == [
        "road_transport/B/breach-good-grade",
        "road_transport/B/grade-b",
        "work_safety/B/grade-b",
    ]


# ---------------------------------------------------------------- frequency over a year


def test_must_inspect_subjects_are_inspected_in_as_many_quarters_as_asked(
    engine: creditflow.Engine,
) -> None:
    population = stratum(6, "C", lists={"serious"})
    plan = draw(engine, population, quarters=True)
    assert plan.periods == ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
    quarters: dict[str, list[str]] = {}
    for inspection in plan.inspections:
        quarters.setdefault(inspection.subject_id, []).append(inspection.period)
    assert set(quarters) == {e.subject_id for e in population}
    for periods in quarters.values():
        assert len(periods) == 2
        first, second = sorted(int(p[-1]) for p in periods)
        assert second - first == 2  # spread evenly: Q1 and Q3, or Q2 and Q4


def test_subjects_inspected_once_a_year_take_turns_at_the_quarters(
    engine: creditflow.Engine,
) -> None:
    plan = draw(engine, stratum(40, "D"), quarters=True)  # 70 % of 40 = 28
    assert Counter(i.period for i in plan.inspections) == {
        "2026-Q1": 7,
        "2026-Q2": 7,
        "2026-Q3": 7,
        "2026-Q4": 7,
    }


def test_a_whole_year_is_one_period(engine: creditflow.Engine) -> None:
    plan = draw(engine, stratum(3, "C", lists={"serious"}), period="2026")
    assert plan.periods == ("2026",)
    assert [i.visit for i in plan.inspections if i.subject_id == uscc(0)] == [1, 2]


def test_visits_a_year_follow_the_minimum_and_never_exceed_the_maximum(
    engine: creditflow.Engine,
) -> None:
    visits = {
        grade: visits_per_year(engine.decide(Facts("road_transport", grade)))
        for grade in ("AA", "A", "B", "C", "D")
    }
    assert visits == {"AA": 1, "A": 1, "B": 1, "C": 1, "D": 1}
    serious = engine.decide(Facts("road_transport", "B", {"serious"}))
    assert visits_per_year(serious) == 2
    never = attrs.evolve(serious, inspections_per_year=(0, 0))
    with pytest.raises(InfeasiblePlan, match="sets sampling ratio 100% but at most 0 inspections"):
        visits_per_year(never)


def test_low_risk_subjects_inspected_this_year_are_not_drawn_again(
    engine: creditflow.Engine,
) -> None:
    this_year, last_year = dt.date(2026, 3, 1), dt.date(2025, 11, 1)
    population = [
        *stratum(30, "AA", last_inspected=this_year),  # 1 % <= low_risk_ratio 3 %: exempt
        *stratum(20, "AA", start=100, last_inspected=last_year),
        *stratum(10, "B", start=200, last_inspected=this_year),  # 5 %: not low risk
    ]
    plan = draw(engine, population)
    aa, b = by_name(plan)["road_transport/AA/grade-aa"], by_name(plan)["road_transport/B/grade-b"]
    assert (aa.size, aa.exempt, aa.drawn) == (20, 30, 1)
    assert (b.size, b.exempt) == (10, 0)
    exempt = {uscc(n) for n in range(30)}
    assert not exempt & {i.subject_id for i in plan.inspections}


def test_without_a_low_risk_ratio_nobody_is_exempt(policy: creditflow.Policy) -> None:
    engine = creditflow.Engine(with_inspection(policy, low_risk_ratio=None))
    plan = draw(engine, stratum(30, "AA", last_inspected=dt.date(2026, 3, 1)))
    assert by_name(plan)["road_transport/AA/grade-aa"].exempt == 0


# ---------------------------------------------------------------- the overall cap


def test_an_overall_cap_exceeded_is_refused_with_the_counts(policy: creditflow.Policy) -> None:
    engine = creditflow.Engine(with_inspection(policy, overall_cap=Fraction(1, 20)))
    population = [*stratum(90, "A"), *stratum(10, "D", start=100)]  # 3 + 7 = 10 of 100
    with pytest.raises(InfeasiblePlan) as caught:
        draw(engine, population)
    assert caught.value.reason == (
        "the pack's sampling ratios draw 10 of 100 subjects, more than the overall cap of 5% "
        "(5 subjects); allow_over_cap=True draws it and records the excess"
    )


def test_an_overall_cap_exceeded_can_be_accepted_and_is_recorded(
    policy: creditflow.Policy,
) -> None:
    engine = creditflow.Engine(with_inspection(policy, overall_cap=Fraction(1, 20)))
    population = [*stratum(90, "A"), *stratum(10, "D", start=100)]
    plan = draw(engine, population, allow_over_cap=True)
    assert plan.drawn == 10
    assert plan.notes == (
        "the pack's sampling ratios draw 10 of 100 subjects, more than the overall cap of 5% "
        "(5 subjects)",
    )
    assert draw(engine, stratum(100, "A")).notes == ()  # 3 of 100: within the cap


# ---------------------------------------------------------------- inspectors


def test_every_inspection_gets_two_qualified_inspectors_without_a_conflict(
    engine: creditflow.Engine,
) -> None:
    population = stratum(12, "C", lists={"serious"})
    conflicts = {0: [uscc(n) for n in range(6)], 1: [uscc(0)]}
    inspectors = officers(4, conflicts=conflicts)
    plan = draw(engine, population, inspectors=inspectors)
    for inspection in plan.inspections:
        assert len(set(inspection.inspectors)) == 2
        for officer in inspection.inspectors:
            assert inspection.subject_id not in inspectors[int(officer[2:])].conflicts


def test_loads_are_balanced_within_the_tolerance(engine: creditflow.Engine) -> None:
    plan = draw(engine, stratum(50, "C", lists={"serious"}), inspectors=officers(7))
    loads = [i.load for i in plan.inspectors]
    assert sum(loads) == 50 * 2 * 2
    assert max(loads) - min(loads) <= 1


def test_a_region_without_enough_inspectors_is_refused_naming_the_subject(
    engine: creditflow.Engine,
) -> None:
    population = [*stratum(3, "B"), enterprise(9, "road_transport", "B", region="230199")]
    with pytest.raises(InfeasiblePlan) as caught:
        draw(engine, population)
    assert caught.value.reason == (
        f"subject {uscc(9)}: no eligible pool in region 230199, domain road_transport: "
        "0 qualified inspector(s), 2 needed for each inspection"
    )


def test_the_pool_check_names_the_row_when_read_from_a_file(engine: creditflow.Engine) -> None:
    entry = enterprise(9, region="230199")._replace(source="population.csv", line=12)
    with pytest.raises(InfeasiblePlan, match="^infeasible plan: population.csv line 12: no eli"):
        draw(engine, [entry])


def test_recusal_that_leaves_too_few_inspectors_is_refused(engine: creditflow.Engine) -> None:
    inspectors = officers(3, conflicts={0: [uscc(1)], 2: [uscc(1)]})
    with pytest.raises(InfeasiblePlan, match=r"1 qualified inspector\(s\) without a conflict"):
        draw(engine, stratum(3, "B"), inspectors=inspectors)


def test_fewer_than_two_inspectors_per_inspection_is_refused(policy: creditflow.Policy) -> None:
    engine = creditflow.Engine(with_inspection(policy, inspectors_per_inspection=1))
    with pytest.raises(InfeasiblePlan, match="below the legal minimum of 2 officers"):
        draw(engine, stratum(3, "B"))


def test_recusal_comes_before_balance(engine: creditflow.Engine) -> None:
    population = stratum(20, "C", lists={"serious"})
    inspectors = officers(4, conflicts={3: [e.subject_id for e in population]})
    loads = [i.load for i in draw(engine, population, inspectors=inspectors).inspectors]
    assert loads[3] == 0  # must withdraw from every subject drawn
    assert max(loads[:3]) - min(loads[:3]) <= 1
    assert sum(loads) == 20 * 2 * 2


def test_inspectors_of_unknown_domains_or_twice_are_refused(engine: creditflow.Engine) -> None:
    bad = creditflow.supervision.Inspector("ZF9", "执法9", ["230123"], ["railway"])
    with pytest.raises(InvalidInput, match="inspector ZF9: unknown domain 'railway'; known: "):
        draw(engine, stratum(3, "B"), inspectors=[*officers(3), bad])
    twice = attrs.evolve(officers(1)[0], source="inspectors.csv", line=4)
    with pytest.raises(InvalidRow, match="inspectors.csv line 4, inspector_id: duplicate "):
        draw(engine, stratum(3, "B"), inspectors=[*officers(3), twice])


# ---------------------------------------------------------------- bad population entries


def test_a_duplicate_subject_in_a_domain_is_refused_naming_the_row(
    engine: creditflow.Engine,
) -> None:
    first = enterprise(1)._replace(source="population.csv", line=2)
    again = enterprise(1, grade="C")._replace(source="population.csv", line=7)
    with pytest.raises(InvalidRow) as caught:
        draw(engine, [first, enterprise(2), again])
    assert (caught.value.line, caught.value.field) == (7, "subject_id")
    assert str(caught.value) == (
        f"population.csv line 7, subject_id: duplicate subject id {uscc(1)}: it is already in "
        "domain road_transport"
    )


def test_one_subject_in_two_domains_is_two_entries(engine: creditflow.Engine) -> None:
    population = [enterprise(1, "road_transport", "D"), enterprise(1, "work_safety", "D")]
    plan = draw(engine, population)
    assert sorted(i.domain for i in plan.inspections) == ["road_transport", "work_safety"]


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        (
            enterprise(1)._replace(subject_id="91230123000000011X"),
            "subject_id",
            "invalid unified social credit code '912301********011X': check character at position"
            " 18",  # a code that fails its check and looks like a resident ID is masked
        ),
        (
            person(1)._replace(subject_id="230123198001020013"),
            "subject_id",
            "invalid resident ID '230123********0013': check character at position 18",
        ),
        (enterprise(1)._replace(kind=SubjectKind.VEHICLE), "subject_id", "is not a licence plate"),
        (enterprise(1)._replace(name="  "), "name", "name must not be blank"),
        (enterprise(1)._replace(kind="enterprise"), "kind", "kind must be a SubjectKind"),
        (enterprise(1)._replace(region="230 123"), "region", "must not contain whitespace"),
        (enterprise(1)._replace(facts=("road_transport", "B")), "facts", "must be a creditflow"),
        (enterprise(1)._replace(last_inspected="2026-01-01"), "last_inspected", "datetime.date"),
        (enterprise(1, grade="E"), "grade", "unknown grade 'E' in domain 'road_transport'"),
        (enterprise(1, domain="railway"), "domain", "unknown domain 'railway'"),
        (enterprise(1, lists={"grey"}), "lists", "unknown list kind 'grey'"),
    ],
)
def test_a_bad_entry_is_refused_naming_row_and_field(
    engine: creditflow.Engine, entry: PopulationEntry, field: str, message: str
) -> None:
    located = entry._replace(source="population.csv", line=5)
    with pytest.raises(InvalidRow) as caught:
        draw(engine, [enterprise(2), located])
    assert (caught.value.line, caught.value.field) == (5, field)
    assert message in caught.value.reason
    with pytest.raises(InvalidInput, match="^subject "):  # not read from a file: no row
        draw(engine, [enterprise(2), entry])


def test_the_population_must_hold_entries(engine: creditflow.Engine) -> None:
    with pytest.raises(InvalidInput, match="must hold PopulationEntry values"):
        draw(engine, [Facts("road_transport", "B")])  # type: ignore[list-item]


# ---------------------------------------------------------------- arguments


@pytest.mark.parametrize("seed", ["a|b", "", "tab\there", "x" * 201, None, 1.5])
def test_a_seed_must_be_printable_text_without_the_separator(
    engine: creditflow.Engine, seed: object
) -> None:
    with pytest.raises(InvalidInput, match="seed"):
        draw(engine, stratum(3, "B"), seed=seed)


def test_an_int_seed_is_its_decimal_text(engine: creditflow.Engine) -> None:
    assert draw(engine, stratum(30, "C"), seed=2026) == draw(engine, stratum(30, "C"), seed="2026")


@pytest.mark.parametrize("period", ["26", "2026-Q1", 1800, True, None])
def test_the_period_is_a_year(engine: creditflow.Engine, period: object) -> None:
    with pytest.raises(InvalidInput, match="period must be a year"):
        draw(engine, stratum(3, "B"), period=period)


def test_the_engine_must_be_an_engine(policy: creditflow.Policy) -> None:
    with pytest.raises(InvalidInput, match="engine must be a creditflow.Engine"):
        draw_plan([], engine=policy, period=2026, seed=SEED, inspectors=[])  # type: ignore[arg-type]


def test_an_empty_population_draws_an_empty_plan(engine: creditflow.Engine) -> None:
    plan = draw(engine, [])
    assert (plan.population_size, plan.strata, plan.inspections) == (0, (), ())


# ---------------------------------------------------------------- the running bound


def test_a_bound_that_kept_too_few_takes_a_second_pass_with_the_same_result(
    engine: creditflow.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    population = stratum(3000, "C")
    expected = draw(engine, population)
    monkeypatch.setattr(strata_module, "_bound", lambda _r, _s: b"\x01")  # keeps too few
    assert draw(engine, population) == expected
    with pytest.raises(InvalidInput, match="one-shot iterator cannot give: draw again"):
        draw(engine, iter(population))
