"""The draw is uniform: chi-square tests over many seeds, deterministic.

The seeds are fixed (``u0`` ... ``u1999``), so each statistic is one fixed number: the tests
cannot flake. The significance level is fixed at 0.001; the critical values are those of the
chi-square distribution for the degrees of freedom (tables, e.g. NIST/SEMATECH e-Handbook
1.3.6.7.4).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable

from supervision_builders import officers, stratum

import creditflow
from creditflow.supervision import draw_plan

SEEDS = [f"u{n}" for n in range(2000)]
CRITICAL_0_001 = {9: 27.877, 19: 43.820}  # chi-square upper critical values, alpha = 0.001


def chi_square(counts: Iterable[int], expected: float) -> float:
    return sum((count - expected) ** 2 / expected for count in counts)


def test_each_subject_of_a_stratum_is_drawn_equally_often(engine: creditflow.Engine) -> None:
    population = stratum(20, "C")  # 25 % of 20: 5 drawn per seed
    counts: Counter[str] = Counter({e.subject_id: 0 for e in population})
    for seed in SEEDS:
        plan = draw_plan(population, engine=engine, period=2026, seed=seed, inspectors=officers(2))
        counts.update(i.subject_id for i in plan.inspections)
    assert sum(counts.values()) == 5 * len(SEEDS)
    statistic = chi_square(counts.values(), expected=5 * len(SEEDS) / 20)
    assert statistic < CRITICAL_0_001[19], statistic


def test_each_pair_of_inspectors_is_drawn_equally_often(engine: creditflow.Engine) -> None:
    population = stratum(1, "D", lists={"serious"})[:1]  # one subject, visits twice
    pairs: Counter[frozenset[str]] = Counter(
        {frozenset(p): 0 for p in itertools.combinations([f"ZF00{n}" for n in range(5)], 2)}
    )
    for seed in SEEDS:
        plan = draw_plan(population, engine=engine, period=2026, seed=seed, inspectors=officers(5))
        pairs[frozenset(plan.inspections[0].inspectors)] += 1  # the first visit: all loads 0
    statistic = chi_square(pairs.values(), expected=len(SEEDS) / 10)
    assert statistic < CRITICAL_0_001[9], statistic


def test_the_statistic_rejects_a_biased_draw() -> None:
    """Five subjects of twenty favoured by 30 %, as a draw led by input order might be."""
    assert chi_square([650] * 5 + [450] * 15, expected=500) > CRITICAL_0_001[19]
