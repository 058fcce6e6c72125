"""The handbook model: what a policy version says, extracted once, frozen, ready to render.

Names keep their policy :class:`~creditflow.core.labels.Label` (both languages); periods stay
:class:`~creditflow.calendar.periods.Period` values, worded by the renderer in either language.
"""

from __future__ import annotations

import datetime as dt

import attrs

from creditflow.calendar.periods import Period
from creditflow.core.labels import Label

__all__ = [
    "CommitmentEntry",
    "DomainEntry",
    "GradeDecision",
    "GradeEntry",
    "Handbook",
    "ListEntry",
    "MachineEntry",
    "RepairEntry",
    "RuleEntry",
    "SeverityEntry",
    "TransitionEntry",
]


@attrs.frozen
class GradeEntry:
    """One grade of a scale and the lowest score that earns it (``"-"`` for the lowest)."""

    name: str
    label: Label
    min_score: str


@attrs.frozen
class DomainEntry:
    """A domain (业务领域) and its grade scale, best grade first."""

    name: str
    label: Label
    scale: Label
    grades: tuple[GradeEntry, ...]
    basis: str


@attrs.frozen
class GradeDecision:
    """What graded supervision gives a grade of a domain with no list and no flag."""

    domain: Label
    grade: GradeEntry
    ratio: str
    frequency: tuple[int, int | None]
    measures: tuple[Label, ...]
    rule_id: str
    basis: str


@attrs.frozen
class RuleEntry:
    """One rule of the decision table as authored, with its reason."""

    rule_id: str
    reason: Label | None
    ratio: str
    frequency: tuple[int, int | None]
    measures: tuple[Label, ...]
    basis: str


@attrs.frozen
class ListEntry:
    """A list kind (名单) with the periods of its procedure (None: no such step)."""

    name: str
    label: Label
    severity: Label | None
    statement_period: Period | None
    objection_window: Period | None
    publication_deadline: Period
    duration: Period
    early_removal_after: Period | None
    basis: str
    objection_answer: Period | None = None


@attrs.frozen
class SeverityEntry:
    """The publication window (公示期) of credit records of one severity."""

    label: Label
    published: bool
    publication_min: Period
    publication_max: Period
    repair_after: str
    basis: str


@attrs.frozen
class RepairEntry:
    """Credit repair (信用修复) deadlines, materials and the fraud ban."""

    acceptance_deadline: Period
    decision_deadline: Period
    extension: Period
    max_extensions: int
    materials: tuple[Label, ...]
    fraud_ban: Period
    fraud_publication: Period
    basis: str


@attrs.frozen
class TransitionEntry:
    """The transitional rule between versions (从旧兼从轻): its value, basis, and whether it is
    a reading of the law (a configurable choice) rather than a rule of the regulation."""

    rule: str
    basis: str
    reading: bool


@attrs.frozen
class CommitmentEntry:
    """A commitment kind (信用承诺) and what a breach entails."""

    name: str
    label: Label
    verification_period: Period
    breach_severity: Label
    breach_consequences: tuple[Label, ...]
    basis: str


@attrs.frozen
class MachineEntry:
    """A workflow: its Mermaid diagram, transition rows and deadline rows."""

    name: str
    mermaid: str
    events: tuple[tuple[str, ...], ...]
    deadlines: tuple[tuple[str, ...], ...]


@attrs.frozen
class Handbook:
    """Everything the handbook of one policy version shows."""

    key: str
    title: Label
    effective_from: dt.date
    effective_to: dt.date | None
    basis: str
    domains: tuple[DomainEntry, ...]
    grade_decisions: tuple[GradeDecision, ...]
    rules: tuple[RuleEntry, ...]
    lists: tuple[ListEntry, ...]
    severities: tuple[SeverityEntry, ...]
    repair: RepairEntry
    commitments: tuple[CommitmentEntry, ...]
    machines: tuple[MachineEntry, ...]
    transition: TransitionEntry | None = None
    addresses: tuple[tuple[str, ...], ...] = ()
    """Every rule at its address: path, workflow, part, name, events, code, basis (see
    :func:`creditflow.workflows.render.address_rows`)."""
