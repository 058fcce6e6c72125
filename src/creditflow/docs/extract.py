"""Extract the handbook model from a policy: the only place the docs read a Policy."""

from __future__ import annotations

from typing import TypeVar

import attrs

from creditflow._validation import ensure_instance
from creditflow.core.grades import Grade
from creditflow.core.labels import Label
from creditflow.core.severity import Severity
from creditflow.docs.labels import TEXT, term
from creditflow.docs.model import (
    AssessmentItemEntry,
    CatalogueEntry,
    CatalogueKindEntry,
    Cited,
    CommitmentEntry,
    DeadlineEntry,
    DomainEntry,
    EventEntry,
    FlagEntry,
    GradeDecision,
    GradeEntry,
    Handbook,
    ListEntry,
    MachineEntry,
    PenaltySeverityEntry,
    PurposeEntry,
    PurposeRuleEntry,
    RepairEntry,
    RuleEntry,
    SettingEntry,
    SeverityEntry,
    TransitionEntry,
)
from creditflow.policy.model import (
    Basis,
    Domain,
    EvaluationSettings,
    Flag,
    InspectionSettings,
    ListKind,
    Measure,
    ObjectionSettings,
    Policy,
    Provision,
    Purpose,
    PurposeRule,
)
from creditflow.rules.decision import format_ratio
from creditflow.rules.table import compile_table
from creditflow.workflows.definitions import MACHINES
from creditflow.workflows.machine import Machine, Transition
from creditflow.workflows.render import address_rows
from creditflow.workflows.settings import case_kinds, resolve

__all__ = ["extract_handbook"]

T = TypeVar("T")


def extract_handbook(policy: Policy) -> Handbook:
    """The handbook model of ``policy`` (compiles its decision table, cached per version).

    Every figure is :class:`~creditflow.docs.model.Cited` by its own basis: a provision's, or
    for any other value of a table, the table's.
    """
    ensure_instance(policy, Policy, "policy")
    dates = (policy.effective_from, policy.effective_to)
    return Handbook(
        key=policy.key,
        title=policy.title,
        effective=_cite(dates, policy.basis),
        domains=tuple(_domain(policy, d) for d in policy.domains.values()),
        grade_decisions=_grade_decisions(policy),
        rules=tuple(_rule_entries(policy)),
        lists=tuple(_list(policy, k) for k in policy.lists.values()),
        flags=tuple(
            FlagEntry(f.name, f.label, _cite(str(f.direction.value), f.direction.basis))
            for f in policy.flags.values()
        ),
        severities=tuple(_severities(policy)),
        repair=_repair(policy),
        commitments=tuple(_commitments(policy)),
        machines=tuple(_machines(policy)),
        transition=_transition(policy),
        addresses=tuple(address_rows(policy)),
        objections=_settings(policy.objections),
        inspection=_settings(policy.inspection),
        evaluation=() if policy.evaluation is None else _settings(policy.evaluation),
        purposes=tuple(_purpose(policy, p) for p in policy.purposes.values()),
        catalogue=_catalogue(policy),
        assessment=_assessment(policy),
    )


def _assessment(policy: Policy) -> tuple[AssessmentItemEntry, ...]:
    if policy.assessment is None:
        return ()
    return tuple(
        AssessmentItemEntry(i.item_id, i.item, i.responsible, i.measure, _provision(i.points))
        for i in policy.assessment.items
    )


def _catalogue(policy: Policy) -> CatalogueEntry | None:
    c = policy.catalogue
    if c is None:
        return None
    kinds = tuple(
        CatalogueKindEntry(
            k.name,
            k.label,
            k.dual_publication,
            tuple(f.name for f in k.fields if f.required),
            tuple(f.name for f in k.fields if f.published),
        )
        for k in c.kinds.values()
    )
    rows: list[PenaltySeverityEntry] = []
    if c.severity is not None:
        label = {s: policy.severities[s].label for s in policy.severities}
        rows = [
            PenaltySeverityEntry(
                r.rule_id,
                r.categories,
                (_amount(r.min_amount), _amount(r.max_amount)),
                _cite(label[r.severity], r.basis),
                r.parties,
            )
            for r in c.severity.rows
        ]
        default = c.severity.default
        rows.append(PenaltySeverityEntry("default", (), (None, None),
                                         _cite(label[default.value], default.basis)))  # fmt: skip
    return CatalogueEntry(_provision(c.publication_deadline), kinds, tuple(rows))


def _amount(value: object) -> str | None:
    return None if value is None else str(value)


def _cite(value: T, basis: Basis) -> Cited[T]:
    return Cited(value, basis.text, basis.source)


def _provision(provision: Provision[T]) -> Cited[T]:
    return _cite(provision.value, provision.basis)


def _optional(provision: Provision[T] | None) -> Cited[T] | None:
    return None if provision is None else _provision(provision)


def _grade(grade: Grade) -> GradeEntry:
    score = "-" if grade.min_score is None else str(grade.min_score)
    return GradeEntry(grade.name, grade.label, score)


def _domain(policy: Policy, domain: Domain) -> DomainEntry:
    scale = policy.scales[domain.scale.name]
    grades = tuple(_grade(g) for g in domain.scale)
    return DomainEntry(
        domain.name,
        domain.label,
        _cite(domain.scale.label, domain.basis),
        _cite(grades, scale.basis),
    )


def _measures(policy: Policy, names: frozenset[str]) -> tuple[Label, ...]:
    return tuple(policy.measures[n].label for n in sorted(names) if n in policy.measures)


def _grade_decisions(policy: Policy) -> tuple[GradeDecision, ...]:
    """The decision of every (domain, grade) for a subject on no list and with no flag."""
    plain = [d for d in compile_table(policy).rows() if not d.facts.lists and not d.facts.flags]
    rules = {r.rule_id: r for r in policy.decisions.rules}
    rows = []
    for decision in plain:
        domain = policy.domains[decision.facts.domain]
        grade = next(g for g in domain.scale if g.name == decision.facts.grade)
        basis = rules[decision.rule_id].basis
        rows.append(
            GradeDecision(
                domain=domain.label,
                grade=_grade(grade),
                ratio=_cite(format_ratio(decision.sampling_ratio), basis),
                frequency=_cite(decision.inspections_per_year, basis),
                measures=_measures(policy, decision.measures),
                rule_id=decision.rule_id,
            )
        )
    return tuple(rows)


def _rule_entries(policy: Policy) -> list[RuleEntry]:
    return [
        RuleEntry(
            rule_id=r.rule_id,
            reason=r.reason,
            ratio=_cite(format_ratio(r.sampling_ratio), r.basis),
            frequency=_cite(r.inspections_per_year, r.basis),
            measures=_measures(policy, r.measures),
        )
        for r in policy.decisions.rules
    ]


def _list(policy: Policy, kind: ListKind) -> ListEntry:
    severity = (
        None if kind.severity is None else _cite(policy.severities[kind.severity].label, kind.basis)
    )
    return ListEntry(
        name=kind.name,
        label=kind.label,
        severity=severity,
        statement_period=_optional(kind.statement_period),
        objection_window=_optional(kind.objection_window),
        publication_deadline=_provision(kind.publication_deadline),
        duration=_provision(kind.duration),
        early_removal_after=_optional(kind.early_removal_after),
        objection_answer=_optional(kind.objection_answer),
        restarts_on_restore=_optional(kind.restarts_on_restore),
        record_restarts_on_restore=_optional(kind.record_restarts_on_restore),
        direction=_cite(str(kind.direction.value), kind.direction.basis),
    )


def _severities(policy: Policy) -> list[SeverityEntry]:
    return [
        SeverityEntry(
            label=rule.label,
            published=_cite(rule.published, rule.basis),
            publication_min=_provision(rule.publication_min),
            publication_max=_provision(rule.publication_max),
            repair_after=_cite(str(rule.repair_after), rule.basis),
        )
        for _, rule in sorted(policy.severities.items(), key=lambda item: item[0].rank)
    ]


def _repair(policy: Policy) -> RepairEntry:
    r = policy.repair
    return RepairEntry(
        acceptance_deadline=_provision(r.acceptance_deadline),
        decision_deadline=_provision(r.decision_deadline),
        extension=_provision(r.extension),
        max_extensions=_provision(r.max_extensions),
        materials=_cite(tuple(term(n) for n in r.materials.value), r.materials.basis),
        fraud_ban=_provision(r.fraud_ban),
        fraud_publication=_provision(r.fraud_publication),
    )


def _settings(
    table: ObjectionSettings | InspectionSettings | EvaluationSettings,
) -> tuple[SettingEntry, ...]:
    """Every provision of a settings table (objections, inspection, evaluation), in order."""
    rows = []
    for field in attrs.fields(type(table)):
        value = getattr(table, field.name)
        if isinstance(value, Provision):
            rows.append(SettingEntry(field.name, _provision(value)))
    return tuple(rows)


def _purpose(policy: Policy, purpose: Purpose) -> PurposeEntry:
    return PurposeEntry(
        purpose.name,
        purpose.label,
        tuple(
            PurposeRuleEntry(
                rule_id=r.rule_id,
                trigger=r.trigger,
                trigger_label=_trigger_label(policy, r),
                effect=r.effect,
                measure=_cite(policy.measures[r.measure].label, r.basis),
                normal=_cite(r.normal, r.basis),
            )
            for r in purpose.rules
        ),
    )


def _trigger_label(policy: Policy, rule: PurposeRule) -> Label:
    """The label of what sets a purpose rule off: a measure, a list kind or a flag."""
    found: Measure | ListKind | Flag | None
    if rule.trigger == "measure":
        found = policy.measures.get(rule.name)
    elif rule.trigger == "list":
        found = policy.lists.get(rule.name)
    else:
        found = policy.flags.get(rule.name)
    return found.label if found is not None else Label(rule.name, rule.name)


def _transition(policy: Policy) -> TransitionEntry | None:
    t = policy.transition
    return None if t is None else TransitionEntry(_cite(str(t.rule.value), t.rule.basis))


def _commitments(policy: Policy) -> list[CommitmentEntry]:
    return [
        CommitmentEntry(
            name=c.name,
            label=c.label,
            verification_period=_provision(c.verification_period),
            breach_severity=_cite(policy.severities[c.breach_severity].label, c.basis),
            breach_consequences=_cite(tuple(term(n) for n in c.breach_consequences), c.basis),
        )
        for c in policy.commitments.values()
    ]


def _machines(policy: Policy) -> list[MachineEntry]:
    return [
        MachineEntry(
            name=m.name,
            states=m.states,
            finals=tuple(s for s in m.states if s in m.finals),
            events=tuple(_event(policy, m, t) for t in m.transitions),
            deadlines=tuple(_deadlines(policy, m)),
            kinds=tuple((k, _kind_label(policy, m, k)) for k in case_kinds(policy, m.kinds)),
        )
        for m in MACHINES.values()
    ]


def _event(policy: Policy, machine: Machine, t: Transition) -> EventEntry:
    roles = tuple(sorted(policy.permissions.roles(machine.name, t.event)))
    return EventEntry(t.event, t.sources, t.target, roles, t.guards, t.effects, t.required,
                      t.optional)  # fmt: skip


def _kind_label(policy: Policy, machine: Machine, kind: str) -> Label:
    """A case kind's label: the pack's for a list or commitment kind or a severity, the
    catalogue's for a repair or objection target."""
    if machine.kinds == "lists":
        return policy.lists[kind].label
    if machine.kinds == "commitments":
        return policy.commitments[kind].label
    if machine.kinds == "severities":
        return policy.severities[Severity(kind)].label
    if machine.kinds == "licence_categories":  # a pack's own categories: their names
        return TEXT.get(f"licence_category.{kind}", Label(kind, kind))
    return TEXT[f"target.{kind}"]


def _deadlines(policy: Policy, machine: Machine) -> list[DeadlineEntry]:
    """Each deadline with its length for every case kind, cited by that setting's basis."""
    entries = []
    for rule in machine.deadlines:
        lengths = tuple(
            (kind, _optional(resolve(policy, rule.setting, kind)))
            for kind in case_kinds(policy, machine.kinds)
        )
        entries.append(
            DeadlineEntry(
                rule.name, rule.kind, rule.rolls, rule.starts, rule.until, lengths,
                rule.setting_field, rule.reopened_by, rule.restarted_by, rule.restarted_if,
            )
        )  # fmt: skip
    return entries
