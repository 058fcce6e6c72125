"""docs/inspection-plans.md is enough to draw a plan again: an independent implementation of
the page, using only hashlib and fractions (and the pack's decisions), gives the same plan."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from fractions import Fraction

import pytest
from supervision_builders import DOMAINS, GRADES, REGIONS, enterprise, officers, person

import creditflow
from creditflow.supervision import Inspector, PopulationEntry, draw_plan

Row = tuple[str, str, int, tuple[str, ...]]  # period, subject id, visit, inspectors


def sha(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def rounded(exact: Fraction, rounding: str) -> int:
    if rounding == "ceil":
        return math.ceil(exact)
    if rounding == "floor":
        return math.floor(exact)
    return math.floor(exact + Fraction(1, 2))


def spec_plan(
    population: list[PopulationEntry],
    inspectors: list[Inspector],
    engine: creditflow.Engine,
    seed: str,
    year: int,
    quarters: bool,
) -> list[Row]:
    settings = engine.policy.inspection
    labels = [f"{year}-Q{q}" for q in range(1, 5)] if quarters else [str(year)]
    low_risk = settings.low_risk_ratio.value if settings.low_risk_ratio else None
    strata: dict[str, list[PopulationEntry]] = {}
    decisions = {}
    for entry in population:  # 1. strata, with low-risk exemptions
        decision = engine.decide(entry.facts)
        name = f"{entry.facts.domain}/{entry.facts.grade}/{decision.rule_id}"
        decisions[name] = decision
        last = entry.last_inspected
        exempt = low_risk is not None and decision.sampling_ratio <= low_risk
        if not (exempt and last is not None and last.year == year):
            strata.setdefault(name, []).append(entry)
    planned = []
    conflicted = {s for i in inspectors for s in i.conflicts}
    for name, members in strata.items():
        decision = decisions[name]
        count = rounded(decision.sampling_ratio * len(members), settings.rounding.value)  # 2.
        keyed = sorted((sha(f"{seed}|{year}|{name}|{e.subject_id}"), e) for e in members)  # 3.
        low, high = decision.inspections_per_year
        visits = 0 if high == 0 else max(low, 1)  # 4.
        for rank, (key, entry) in enumerate(keyed[:count]):
            for j in range(1, visits + 1):
                period = (rank + (j - 1) * len(labels) // visits) % len(labels)
                planned.append((period, entry.subject_id not in conflicted, key, j, entry))
    planned.sort(key=lambda p: p[:4])  # 6. plan order
    ids = sorted(inspectors, key=lambda i: i.inspector_id)
    loads = {i.inspector_id: 0 for i in ids}
    rows = []
    for period, _, _, visit, entry in planned:
        label, domain = labels[period], entry.facts.domain
        candidates = [
            i.inspector_id
            for i in ids
            if entry.region in i.regions
            and domain in i.domains
            and entry.subject_id not in i.conflicts
        ]
        low_load = min(loads[c] for c in candidates)
        tier = {
            c: max(0, loads[c] - low_load - settings.load_tolerance.value + 1) for c in candidates
        }
        r = int.from_bytes(sha(f"{seed}|{label}|{domain}|{entry.subject_id}|{visit}"), "big")
        chosen: list[str] = []
        for level in sorted(set(tier.values())):
            left = [c for c in candidates if tier[c] == level]
            while left and len(chosen) < settings.inspectors_per_inspection.value:
                r, at = divmod(r, len(left))
                chosen.append(left.pop(at))
        for c in chosen:
            loads[c] += 1
        rows.append((label, entry.subject_id, visit, tuple(chosen)))
    return rows


def population_of(rng: random.Random, size: int) -> list[PopulationEntry]:
    entries = []
    for number in rng.sample(range(100_000), size):
        domain, grade = rng.choice(DOMAINS), rng.choices(GRADES, (1, 4, 4, 2, 1))[0]
        lists = {"serious"} if rng.random() < 0.05 else set()
        last = dt.date(2026, 2, 1) if rng.random() < 0.3 else None
        if rng.random() < 0.8:
            entries.append(
                enterprise(
                    number,
                    domain,
                    grade,
                    region=rng.choice(REGIONS),
                    lists=lists,
                    last_inspected=last,
                )
            )
        else:
            entries.append(person(number % 300_000, domain, grade))
    return entries


@pytest.mark.parametrize(("seed", "quarters"), [("spec-1", True), ("spec-2", False), ("三", True)])
def test_the_page_draws_the_same_plan(engine: creditflow.Engine, seed: str, quarters: bool) -> None:
    rng = random.Random(seed)
    population = population_of(rng, 600)
    ids = [e.subject_id for e in population]
    conflicts = {n: rng.sample(ids, 20) for n in range(0, 12, 3)}
    inspectors = officers(12, conflicts=conflicts)
    plan = draw_plan(
        population, engine=engine, period=2026, seed=seed, inspectors=inspectors, quarters=quarters
    )
    expected = spec_plan(population, inspectors, engine, seed, 2026, quarters)
    assert [(i.period, i.subject_id, i.visit, i.inspectors) for i in plan.inspections] == expected
    assert len(expected) > 100
