"""Properties of every plan, for populations, conflicts and seeds that Hypothesis draws."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from supervision_builders import DOMAINS, GRADES, REGIONS, enterprise, officers, person

import creditflow
from creditflow.supervision import (
    InspectionPlan,
    Inspector,
    PopulationEntry,
    draw_plan,
    round_count,
)
from creditflow.supervision.strata import visits_per_year

LISTS = ("serious", "watch", "red")
ENGINE = creditflow.Engine(creditflow.load_policy("national-transport@2026.1"))
INSPECTORS_PER_INSPECTION = 2
Case = tuple[
    list[PopulationEntry], list[Inspector], str, bool
]  # population, directory, seed, quarters


@st.composite
def populations(draw: st.DrawFn) -> list[PopulationEntry]:
    """Up to 80 entries with unique ids: enterprises and persons in two regions and domains."""
    numbers = draw(st.lists(st.integers(0, 5000), unique=True, max_size=80))
    entries = []
    for number in numbers:
        domain, grade = draw(st.sampled_from(DOMAINS)), draw(st.sampled_from(GRADES))
        lists = draw(st.sets(st.sampled_from(LISTS), max_size=2))
        if draw(st.booleans()):
            entry = enterprise(
                number, domain, grade, region=draw(st.sampled_from(REGIONS)), lists=lists
            )
        else:
            entry = person(number, domain, grade)
        entries.append(entry)
    return entries


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A population, 8 inspectors of whom a few declare conflicts, a seed, quarters or not."""
    population = draw(populations())
    ids = sorted({e.subject_id for e in population})
    conflicts = {
        n: draw(st.lists(st.sampled_from(ids), max_size=3)) if ids else [] for n in range(3)
    }
    letters = st.characters(categories=("L", "N", "P", "S"), exclude_characters="|")
    seed = draw(st.text(letters, min_size=1, max_size=12))
    return population, officers(8, conflicts=conflicts), seed, draw(st.booleans())


def plan_of(case: Case) -> InspectionPlan:
    population, inspectors, seed, quarters = case
    return draw_plan(
        population, engine=ENGINE, period=2026, seed=seed, inspectors=inspectors, quarters=quarters
    )


@settings(max_examples=100, deadline=None)
@given(cases())
def test_the_same_seed_and_inputs_give_the_identical_plan(case: Case) -> None:
    first, second = plan_of(case), plan_of(case)
    assert first == second
    assert first.digest == second.digest


@settings(max_examples=100, deadline=None)
@given(cases(), st.randoms(use_true_random=False))
def test_the_order_of_the_inputs_does_not_matter(case: Case, rng: random.Random) -> None:
    population, inspectors, seed, quarters = case
    shuffled = (
        rng.sample(population, len(population)),
        rng.sample(inspectors, len(inspectors)),
        seed,
        quarters,
    )
    assert plan_of(shuffled) == plan_of(case)


@settings(max_examples=100, deadline=None)
@given(cases())
def test_each_stratum_draws_its_ratio_as_the_pack_rounds(case: Case) -> None:
    plan = plan_of(case)
    sizes = Counter(_stratum(e) for e in case[0])
    assert {s.name: s.size + s.exempt for s in plan.strata} == sizes
    for s in plan.strata:
        assert s.drawn == round_count(s.sampling_ratio, s.size, plan.settings.rounding)
        visited = [i for i in plan.inspections if i.stratum == s.name]
        assert len(visited) == s.drawn * s.visits
        assert len({i.subject_id for i in visited}) == s.drawn


@settings(max_examples=100, deadline=None)
@given(cases())
def test_every_inspection_has_two_qualified_inspectors_none_with_a_conflict(case: Case) -> None:
    inspectors = case[1]
    by_id = {i.inspector_id: i for i in inspectors}
    for inspection in plan_of(case).inspections:
        assert len(set(inspection.inspectors)) == INSPECTORS_PER_INSPECTION
        for officer in map(by_id.__getitem__, inspection.inspectors):
            assert inspection.subject_id not in officer.conflicts
            assert inspection.region in officer.regions
            assert inspection.domain in officer.domains


@settings(max_examples=100, deadline=None)
@given(cases())
def test_every_must_inspect_subject_is_in_with_all_its_visits(case: Case) -> None:
    plan = plan_of(case)
    visits = Counter((i.subject_id, i.domain) for i in plan.inspections)
    for entry in case[0]:
        decision = ENGINE.decide(entry.facts)
        if decision.sampling_ratio == 1:
            assert visits[entry.subject_id, entry.facts.domain] == visits_per_year(decision)


@settings(max_examples=100, deadline=None)
@given(cases())
def test_no_inspector_is_drawn_while_a_candidate_left_out_has_fewer_by_the_tolerance(
    case: Case,
) -> None:
    plan, inspectors = plan_of(case), case[1]
    tolerance = max(plan.settings.load_tolerance, 1)
    loads = dict.fromkeys((i.inspector_id for i in inspectors), 0)
    for inspection in plan.inspections:
        candidates = {
            i.inspector_id
            for i in inspectors
            if inspection.region in i.regions
            and inspection.domain in i.domains
            and inspection.subject_id not in i.conflicts
        }
        left_out = candidates - set(inspection.inspectors)
        for drawn in inspection.inspectors:
            assert all(loads[drawn] - loads[other] < tolerance for other in left_out)
        for drawn in inspection.inspectors:
            loads[drawn] += 1
    assert loads == {i.inspector_id: i.load for i in plan.inspectors}
    free = [loads[i.inspector_id] for i in inspectors if not i.conflicts]  # all interchangeable
    assert max(free) - min(free) <= tolerance


def _stratum(entry: PopulationEntry) -> str:
    decision = ENGINE.decide(entry.facts)
    return f"{entry.facts.domain}/{entry.facts.grade}/{decision.rule_id}"
