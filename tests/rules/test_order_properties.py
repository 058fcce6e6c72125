"""Decision-table order properties of every built-in pack, checked through the public engine."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import creditflow
from creditflow import Facts

PACKS = [v.key for v in creditflow.builtin_versions()]


def engine_for(key: str) -> creditflow.Engine:
    return creditflow.Engine(creditflow.load_policy(key))


ENGINES = {key: engine_for(key) for key in PACKS}


@st.composite
def comparable_facts(draw: st.DrawFn, engine: creditflow.Engine) -> tuple[Facts, Facts]:
    """Two facts that differ only in grade, the first strictly better."""
    policy = engine.policy
    domain = draw(st.sampled_from(sorted(policy.domains)))
    grades = policy.domains[domain].scale.names
    better, worse = sorted(
        draw(st.lists(st.integers(0, len(grades) - 1), min_size=2, max_size=2, unique=True))
    )
    lists = draw(st.frozensets(st.sampled_from(sorted(policy.lists))))
    flags = draw(st.frozensets(st.sampled_from(sorted(policy.flags))))
    return Facts(domain, grades[better], lists, flags), Facts(domain, grades[worse], lists, flags)


@pytest.mark.parametrize("key", PACKS)
@given(data=st.data())
def test_a_worse_grade_is_never_inspected_less(key: str, data: st.DataObject) -> None:
    engine = ENGINES[key]
    better, worse = data.draw(comparable_facts(engine))
    good, bad = engine.decide(better), engine.decide(worse)
    assert bad.sampling_ratio >= good.sampling_ratio
    assert bad.inspections_per_year[0] >= good.inspections_per_year[0]
    good_max = good.inspections_per_year[1]
    bad_max = bad.inspections_per_year[1]
    assert (math.inf if bad_max is None else bad_max) >= (
        math.inf if good_max is None else good_max
    )


@pytest.mark.parametrize("key", PACKS)
def test_every_rule_states_a_basis_and_every_signature_is_decided(key: str) -> None:
    engine = ENGINES[key]
    table = engine.table
    assert len(table.rows()) == table.report.signatures
    for decision in table.rows():
        assert decision.basis.strip()
        assert 0 <= decision.sampling_ratio <= 1
        assert decision.measures <= engine.policy.measures.keys()
