"""Extract the handbook model from a policy: the only place the docs read a Policy."""

from __future__ import annotations

from typing import TypeVar

from creditflow._validation import ensure_instance
from creditflow.core.grades import Grade
from creditflow.core.labels import Label
from creditflow.docs.labels import term
from creditflow.docs.model import (
    CommitmentEntry,
    DomainEntry,
    GradeDecision,
    GradeEntry,
    Handbook,
    ListEntry,
    MachineEntry,
    RepairEntry,
    RuleEntry,
    SeverityEntry,
    TransitionEntry,
)
from creditflow.policy.model import Domain, ListKind, Policy, Provision
from creditflow.rules.decision import format_ratio
from creditflow.rules.table import compile_table
from creditflow.workflows.definitions import MACHINES
from creditflow.workflows.render import address_rows, deadline_rows, event_rows, mermaid

__all__ = ["extract_handbook"]

T = TypeVar("T")


def extract_handbook(policy: Policy) -> Handbook:
    """The handbook model of ``policy`` (compiles its decision table, cached per version)."""
    ensure_instance(policy, Policy, "policy")
    return Handbook(
        key=policy.key,
        title=policy.title,
        effective_from=policy.effective_from,
        effective_to=policy.effective_to,
        basis=policy.basis.text,
        domains=tuple(_domain(d) for d in policy.domains.values()),
        grade_decisions=_grade_decisions(policy),
        rules=tuple(_rule_entries(policy)),
        lists=tuple(_list(policy, k) for k in policy.lists.values()),
        severities=tuple(_severities(policy)),
        repair=_repair(policy),
        commitments=tuple(_commitments(policy)),
        machines=tuple(_machines(policy)),
        transition=_transition(policy),
        addresses=tuple(address_rows(policy)),
    )


def _grade(grade: Grade) -> GradeEntry:
    score = "-" if grade.min_score is None else str(grade.min_score)
    return GradeEntry(grade.name, grade.label, score)


def _domain(domain: Domain) -> DomainEntry:
    grades = tuple(_grade(g) for g in domain.scale)
    return DomainEntry(domain.name, domain.label, domain.scale.label, grades, domain.basis.text)


def _measures(policy: Policy, names: frozenset[str]) -> tuple[Label, ...]:
    return tuple(policy.measures[n].label for n in sorted(names) if n in policy.measures)


def _grade_decisions(policy: Policy) -> tuple[GradeDecision, ...]:
    """The decision of every (domain, grade) for a subject on no list and with no flag."""
    plain = [d for d in compile_table(policy).rows() if not d.facts.lists and not d.facts.flags]
    rows = []
    for decision in plain:
        domain = policy.domains[decision.facts.domain]
        grade = next(g for g in domain.scale if g.name == decision.facts.grade)
        rows.append(
            GradeDecision(
                domain=domain.label,
                grade=_grade(grade),
                ratio=format_ratio(decision.sampling_ratio),
                frequency=decision.inspections_per_year,
                measures=_measures(policy, decision.measures),
                rule_id=decision.rule_id,
                basis=decision.basis,
            )
        )
    return tuple(rows)


def _rule_entries(policy: Policy) -> list[RuleEntry]:
    return [
        RuleEntry(
            rule_id=r.rule_id,
            reason=r.reason,
            ratio=format_ratio(r.sampling_ratio),
            frequency=r.inspections_per_year,
            measures=_measures(policy, r.measures),
            basis=r.basis.text,
        )
        for r in policy.decisions.rules
    ]


def _value(provision: Provision[T] | None) -> T | None:
    return None if provision is None else provision.value


def _list(policy: Policy, kind: ListKind) -> ListEntry:
    severity = None if kind.severity is None else policy.severities[kind.severity].label
    return ListEntry(
        name=kind.name,
        label=kind.label,
        severity=severity,
        statement_period=_value(kind.statement_period),
        objection_window=_value(kind.objection_window),
        publication_deadline=kind.publication_deadline.value,
        duration=kind.duration.value,
        early_removal_after=_value(kind.early_removal_after),
        basis=kind.basis.text,
        objection_answer=_value(kind.objection_answer),
    )


def _severities(policy: Policy) -> list[SeverityEntry]:
    return [
        SeverityEntry(
            label=rule.label,
            published=rule.published,
            publication_min=rule.publication_min.value,
            publication_max=rule.publication_max.value,
            repair_after=rule.repair_after,
            basis=rule.basis.text,
        )
        for _, rule in sorted(policy.severities.items(), key=lambda item: item[0].rank)
    ]


def _repair(policy: Policy) -> RepairEntry:
    r = policy.repair
    return RepairEntry(
        acceptance_deadline=r.acceptance_deadline.value,
        decision_deadline=r.decision_deadline.value,
        extension=r.extension.value,
        max_extensions=r.max_extensions.value,
        materials=tuple(term(n) for n in r.materials.value),
        fraud_ban=r.fraud_ban.value,
        fraud_publication=r.fraud_publication.value,
        basis=r.basis.text,
    )


def _transition(policy: Policy) -> TransitionEntry | None:
    t = policy.transition
    if t is None:
        return None
    return TransitionEntry(t.rule.value, t.rule.basis.text, t.rule.basis.configurable)


def _commitments(policy: Policy) -> list[CommitmentEntry]:
    return [
        CommitmentEntry(
            name=c.name,
            label=c.label,
            verification_period=c.verification_period.value,
            breach_severity=policy.severities[c.breach_severity].label,
            breach_consequences=tuple(term(n) for n in c.breach_consequences),
            basis=c.basis.text,
        )
        for c in policy.commitments.values()
    ]


def _machines(policy: Policy) -> list[MachineEntry]:
    return [
        MachineEntry(
            name=m.name,
            mermaid=mermaid(m),
            events=tuple(event_rows(m, policy)),
            deadlines=tuple(deadline_rows(m, policy)),
        )
        for m in MACHINES.values()
    ]
