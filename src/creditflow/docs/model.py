"""The handbook model: what a policy version says, extracted once, frozen, ready to render.

Names keep their policy :class:`~creditflow.core.labels.Label` (both languages); periods stay
:class:`~creditflow.calendar.periods.Period` values, worded by the renderer in either language.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Generic, TypeVar

import attrs

from creditflow.calendar.periods import Period
from creditflow.core.labels import Label
from creditflow.policy.model import Source

__all__ = [
    "Cited",
    "CommitmentEntry",
    "DeadlineEntry",
    "DomainEntry",
    "EventEntry",
    "FlagEntry",
    "GradeDecision",
    "GradeEntry",
    "Handbook",
    "ListEntry",
    "MachineEntry",
    "PurposeEntry",
    "PurposeRuleEntry",
    "RepairEntry",
    "RuleEntry",
    "SettingEntry",
    "SeverityEntry",
    "TransitionEntry",
]

T = TypeVar("T")


@attrs.frozen
class Cited(Generic[T]):
    """A figure with its own basis (依据) and how sure the pack is of it (its ``source``)."""

    value: T
    basis: str
    source: Source


@attrs.frozen
class GradeEntry:
    """One grade of a scale and the lowest score that earns it (``"-"`` for the lowest)."""

    name: str
    label: Label
    min_score: str


@attrs.frozen
class DomainEntry:
    """A domain (业务领域) and its grade scale, best grade first.

    ``scale`` is cited by the domain's basis (why this scale applies), ``grades`` (the
    cut-offs) by the scale's own.
    """

    name: str
    label: Label
    scale: Cited[Label]
    grades: Cited[tuple[GradeEntry, ...]]


@attrs.frozen
class GradeDecision:
    """What graded supervision gives a grade of a domain with no list and no flag; the
    figures are cited by the basis of the rule that decides them."""

    domain: Label
    grade: GradeEntry
    ratio: Cited[str]
    frequency: Cited[tuple[int, int | None]]
    measures: tuple[Label, ...]
    rule_id: str


@attrs.frozen
class RuleEntry:
    """One rule of the decision table as authored, with its reason; figures cited by its basis."""

    rule_id: str
    reason: Label | None
    ratio: Cited[str]
    frequency: Cited[tuple[int, int | None]]
    measures: tuple[Label, ...]


@attrs.frozen
class ListEntry:
    """A list kind (名单) with the periods of its procedure (None: no such step)."""

    name: str
    label: Label
    severity: Cited[Label] | None
    statement_period: Cited[Period] | None
    objection_window: Cited[Period] | None
    publication_deadline: Cited[Period]
    duration: Cited[Period]
    early_removal_after: Cited[Period] | None
    objection_answer: Cited[Period] | None = None
    restarts_on_restore: Cited[bool] | None = None
    record_restarts_on_restore: Cited[bool] | None = None
    direction: Cited[str] | None = None


@attrs.frozen
class FlagEntry:
    """A flag the decision rules may read (e.g. a breached commitment), with its direction."""

    name: str
    label: Label
    direction: Cited[str]


@attrs.frozen
class SeverityEntry:
    """The publication window (公示期) of credit records of one severity."""

    label: Label
    published: Cited[bool]
    publication_min: Cited[Period]
    publication_max: Cited[Period]
    repair_after: Cited[str]


@attrs.frozen
class RepairEntry:
    """Credit repair (信用修复) deadlines, materials and the fraud ban."""

    acceptance_deadline: Cited[Period]
    decision_deadline: Cited[Period]
    extension: Cited[Period]
    max_extensions: Cited[int]
    materials: Cited[tuple[Label, ...]]
    fraud_ban: Cited[Period]
    fraud_publication: Cited[Period]


@attrs.frozen
class SettingEntry:
    """One setting of a table shown as setting/value rows (objections, inspection,
    evaluation): its key in the pack and its cited value."""

    key: str
    value: Cited[Period | Fraction | int | str]


@attrs.frozen
class TransitionEntry:
    """The transitional rule between versions (从旧兼从轻), cited; a ``configurable`` source
    says it is a reading of the law (a configurable choice) rather than a rule of the
    regulation."""

    rule: Cited[str]

    @property
    def reading(self) -> bool:
        """True when the rule is a reading of the law, not a rule the regulation states."""
        return self.rule.source is Source.CONFIGURABLE


@attrs.frozen
class CommitmentEntry:
    """A commitment kind (信用承诺) and what a breach entails."""

    name: str
    label: Label
    verification_period: Cited[Period]
    breach_severity: Cited[Label]
    breach_consequences: Cited[tuple[Label, ...]]


@attrs.frozen
class PurposeRuleEntry:
    """A row of a credit-check purpose (信用核查): when ``trigger`` holds, ``measure`` applies
    as a restriction or an incentive; the measure and whether the matter proceeds normally
    are cited by the row's basis."""

    rule_id: str
    trigger: str
    trigger_label: Label
    effect: str
    measure: Cited[Label]
    normal: Cited[bool]


@attrs.frozen
class PurposeEntry:
    """A purpose of a credit check (licensing, procurement, bidding...) and its rows."""

    name: str
    label: Label
    rules: tuple[PurposeRuleEntry, ...]


@attrs.frozen
class DeadlineEntry:
    """A deadline of a workflow (see :class:`~creditflow.workflows.machine.DeadlineRule`): its
    name, kind (``due`` or ``wait``; ``rolls`` False for a length that does not move off a
    holiday), the event that starts it and those that end it, the events that make it run
    again (anew where ``restarted_by`` names a true data field or ``restarted_if`` a true
    setting), its length for each case kind, cited (None: no such step for that kind), and the
    data field that may name another setting for the length."""

    name: str
    kind: str
    rolls: bool
    starts: str
    until: tuple[str, ...]
    lengths: tuple[tuple[str, Cited[Period] | None], ...]
    setting_field: str | None = None
    reopened_by: tuple[str, ...] = ()
    restarted_by: str | None = None
    restarted_if: str | None = None


@attrs.frozen
class EventEntry:
    """A transition as the handbook shows it: the event, the states it fires from (none: it
    opens the case), the state it leads to (None: the same), the roles that may fire it under
    the policy, its guards and effects, and the data it needs and may take."""

    event: str
    sources: tuple[str, ...]
    target: str | None
    roles: tuple[str, ...]
    guards: tuple[str, ...]
    effects: tuple[str, ...]
    required: tuple[str, ...]
    optional: tuple[str, ...]


@attrs.frozen
class MachineEntry:
    """A workflow: its states (``finals`` among them), its transitions and deadlines, and the
    label of each case kind (a list kind, a commitment kind, a severity...)."""

    name: str
    states: tuple[str, ...]
    finals: tuple[str, ...]
    events: tuple[EventEntry, ...]
    deadlines: tuple[DeadlineEntry, ...]
    kinds: tuple[tuple[str, Label], ...] = ()


@attrs.frozen
class CatalogueKindEntry:
    """A record kind of the catalogue: whether it is published under 双公示, its required and
    its published fields."""

    name: str
    label: Label
    dual_publication: bool
    required: tuple[str, ...]
    published: tuple[str, ...]


@attrs.frozen
class PenaltySeverityEntry:
    """A row of the catalogue's penalty severity rules (``default`` for the fallback): the
    categories, the kinds of party (empty: any) and the amount range (both bounds included)
    it covers and the severity it gives, cited."""

    rule_id: str
    categories: tuple[str, ...]
    amounts: tuple[str | None, str | None]
    severity: Cited[Label]
    parties: tuple[str, ...] = ()


@attrs.frozen
class CatalogueEntry:
    """The credit information catalogue: the 双公示 deadline, the kinds, penalty severities."""

    publication_deadline: Cited[Period]
    kinds: tuple[CatalogueKindEntry, ...]
    severities: tuple[PenaltySeverityEntry, ...]


@attrs.frozen
class AssessmentItemEntry:
    """An indicator of the assessment table: what it asks, who answers for it, how it is
    measured, and its points, cited."""

    item_id: str
    item: Label
    responsible: Label
    measure: str
    points: Cited[int]


@attrs.frozen
class Handbook:
    """Everything the handbook of one policy version shows."""

    key: str
    title: Label
    effective: Cited[tuple[dt.date, dt.date | None]]
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
    """Every rule at its address: path, workflow, part, name, events, code, basis, source (see
    :func:`creditflow.workflows.render.address_rows`)."""
    objections: tuple[SettingEntry, ...] = ()
    inspection: tuple[SettingEntry, ...] = ()
    evaluation: tuple[SettingEntry, ...] = ()
    purposes: tuple[PurposeEntry, ...] = ()
    flags: tuple[FlagEntry, ...] = ()
    catalogue: CatalogueEntry | None = None
    assessment: tuple[AssessmentItemEntry, ...] = ()
