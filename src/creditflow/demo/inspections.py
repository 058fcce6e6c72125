"""Quarterly double-random inspection plans (双随机、一公开) drawn from the book's facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from creditflow.book.book import CreditBook
from creditflow.core.facts import Facts
from creditflow.demo.population import DOMAINS, REGIONS, Member
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

__all__ = ["DrawnPlan", "build_inspectors", "draw_quarter"]

INSPECTORS_PER_REGION = 12


@attrs.frozen
class DrawnPlan:
    """The plan drawn at the start of a quarter, the entries and inspectors it was drawn from,
    and whether drawing it again from them gave the same plan."""

    quarter: int
    drawn_on: dt.date
    plan: InspectionPlan
    entries: tuple[PopulationEntry, ...]
    verified: bool

    @property
    def label(self) -> str:
        """The quarter's period label, ``2026-Q1``."""
        return f"{self.plan.year}-Q{self.quarter}"

    def this_quarter(self) -> list[Inspection]:
        """The inspections of the plan that fall in its own quarter."""
        return [i for i in self.plan.inspections if i.period == self.label]


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


def entries_on(
    book: CreditBook,
    policy: Policy,
    members: Sequence[Member],
    evaluations: Evaluations,
    on: dt.date,
    last_inspected: dict[str, dt.date],
) -> tuple[PopulationEntry, ...]:
    """The subject directory on ``on``: each member with its grade, lists and flags that day."""
    entries = []
    for member in members:
        status = book.status(member.subject.id, on=on)
        grade = grade_on(policy, status, evaluations, domain=member.domain, on=on)
        lists = status.list_kinds & policy.lists.keys()
        facts = Facts(member.domain, grade.grade, lists, status.flags & policy.flags.keys())
        seen = last_inspected.get(member.subject.id)
        entries.append(PopulationEntry.of(member.subject, facts, member.region, seen))
    return tuple(entries)


def draw_quarter(
    engine: Engine,
    entries: tuple[PopulationEntry, ...],
    inspectors: tuple[Inspector, ...],
    *,
    quarter: int,
    on: dt.date,
    seed: str,
) -> DrawnPlan:
    """Draw the year's plan by quarters on the quarter's first working day, and verify it."""
    plan = draw_plan(entries, engine=engine, period=on.year, seed=f"{seed}-{on.year}Q{quarter}",
                     inspectors=inspectors, quarters=True, allow_over_cap=True)  # fmt: skip
    verified = bool(verify_plan(plan, entries, inspectors))
    return DrawnPlan(quarter, on, plan, entries, verified)
