"""Quarterly double-random inspection plans (双随机、一公开) drawn from the book's facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from creditflow.book.book import CreditBook
from creditflow.core.facts import Facts
from creditflow.demo.population import DOMAINS, REGIONS, Population
from creditflow.licensing import Evaluations, grade_on
from creditflow.policy.model import Policy
from creditflow.rules import Engine
from creditflow.supervision import (
    Inspection,
    InspectionPlan,
    Inspector,
    PopulationEntry,
    draw_plan,
    verify_plan,
)
from creditflow.supervision.strata import Stratum

__all__ = [
    "Directory",
    "DrawnPlan",
    "PlanSummary",
    "build_inspectors",
    "directory_on",
    "draw_quarter",
]

INSPECTORS_PER_REGION = 12


@attrs.frozen
class DrawnPlan:
    """The plan drawn at the start of a quarter, and whether drawing it again from the same
    directory and inspectors gave the same plan."""

    quarter: int
    drawn_on: dt.date
    plan: InspectionPlan
    verified: bool

    @property
    def label(self) -> str:
        """The quarter's period label, ``2026-Q1``."""
        return f"{self.plan.year}-Q{self.quarter}"

    def this_quarter(self) -> list[Inspection]:
        """The inspections of the plan that fall in its own quarter."""
        return [i for i in self.plan.inspections if i.period == self.label]

    def summary(self) -> PlanSummary:
        """What the report says of the plan, without its inspections."""
        return PlanSummary(self.quarter, self.label, self.plan.drawn, len(self.this_quarter()),
                           self.verified, self.plan.strata)  # fmt: skip


@attrs.frozen
class PlanSummary:
    """A quarter's plan as the report shows it: subjects drawn, inspections in the quarter,
    whether it verified, and its strata. The plan itself is written out when drawn."""

    quarter: int
    label: str
    drawn: int
    inspections: int
    verified: bool
    strata: tuple[Stratum, ...]


def build_inspectors() -> tuple[Inspector, ...]:
    """Law-enforcement officers of each county, each qualified in three of the five domains."""
    inspectors = []
    for region in REGIONS:
        for j in range(INSPECTORS_PER_REGION):
            domains = {DOMAINS[(j + k) % len(DOMAINS)] for k in range(3)}
            inspector_id = f"INS-{region}-{j:02d}"
            inspectors.append(
                Inspector(inspector_id, f"执法员{region[-2:]}{j:02d}", {region}, domains)
            )
    return tuple(inspectors)


@attrs.frozen
class Directory:
    """The subject directory (检查对象名录库) on a day, compact: each member's grade as a byte,
    the lists and flags of the few members that have any, and the last inspections.

    :meth:`entries` makes the :class:`PopulationEntry` rows one at a time, as often as asked
    (to draw the plan, then to draw it again), so that they are never all held at once.
    """

    population: Population
    grade_names: tuple[str, ...]
    grades: bytes
    marks: dict[int, tuple[frozenset[str], frozenset[str]]]
    last_inspected: dict[str, dt.date]

    def entries(self) -> Iterator[PopulationEntry]:
        """Each member's entry, with its grade, lists and flags of the day."""
        population, names, grades = self.population, self.grade_names, self.grades
        nothing: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
        shared: dict[tuple[str, str, frozenset[str], frozenset[str]], Facts] = {}
        for index in range(len(population)):
            member = population[index]
            key = (member.domain, names[grades[index]], *self.marks.get(index, nothing))
            facts = shared.get(key)
            if facts is None:
                facts = shared[key] = Facts(*key)
            seen = self.last_inspected.get(member.subject.id)
            yield PopulationEntry.of(member.subject, facts, member.region, seen)


def directory_on(
    book: CreditBook,
    policy: Policy,
    population: Population,
    evaluations: Evaluations,
    on: dt.date,
    last_inspected: dict[str, dt.date],
) -> Directory:
    """The subject directory on ``on``: each member's grade, lists and flags that day."""
    names: dict[str, int] = {}
    grades = bytearray(len(population))
    marks: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
    for index, member in enumerate(population):
        # open commitments, repairs and objections bear on nothing read here: left out
        status = book.status(member.subject.id, on=on, open_cases=False)
        grade = grade_on(policy, status, evaluations, domain=member.domain, on=on).grade
        grades[index] = names.setdefault(grade, len(names))
        lists = status.list_kinds & policy.lists.keys()
        flags = status.flags & policy.flags.keys()
        if lists or flags:
            marks[index] = (frozenset(lists), frozenset(flags))
    return Directory(population, tuple(names), bytes(grades), marks, dict(last_inspected))


def draw_quarter(
    engine: Engine,
    directory: Directory,
    inspectors: tuple[Inspector, ...],
    *,
    quarter: int,
    on: dt.date,
    seed: str,
) -> DrawnPlan:
    """Draw the year's plan by quarters on the quarter's first working day, and verify it."""
    plan = draw_plan(directory.entries(), engine=engine, period=on.year,
                     seed=f"{seed}-{on.year}Q{quarter}", inspectors=inspectors, quarters=True,
                     allow_over_cap=True)  # fmt: skip
    verified = bool(verify_plan(plan, directory.entries(), inspectors))
    return DrawnPlan(quarter, on, plan, verified)
