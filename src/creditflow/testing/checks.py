"""Policy checks as test helpers: soundness and monotonicity, failing on the smallest case.

Both checks enumerate the whole signature space of the pack (every domain x grade x list
kinds x flags), so a failure names the smallest counterexample -- fewest lists and flags,
first domain, best grade -- written as the :class:`~creditflow.Facts` to paste into a test.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, get_args

from creditflow.calendar.periods import Period
from creditflow.core.facts import Facts
from creditflow.policy.model import Policy, Provision
from creditflow.rules.analysis import OrderViolation, find_order_violations, measure_text
from creditflow.rules.table import compile_table

__all__ = ["OrderMeasure", "assert_monotone", "assert_policy_sound", "smallest_facts_key"]

OrderMeasure = Literal["sampling_ratio", "inspections_min", "inspections_max"]
"""What :func:`assert_monotone` compares between a grade and the next worse one."""


def smallest_facts_key(policy: Policy, facts: Facts) -> tuple[object, ...]:
    """Order signatures smallest first: fewest lists and flags, pack order, best grade."""
    domains = list(policy.domains)
    rank = policy.domains[facts.domain].scale.rank(facts.grade)
    size = len(facts.lists) + len(facts.flags)
    return (size, domains.index(facts.domain), rank, sorted(facts.lists), sorted(facts.flags))


def assert_policy_sound(policy: Policy) -> None:
    """Fail unless ``policy`` is sound: every signature decided by exactly one rule after the
    hit policy (no gap, no unresolved overlap), a worse grade never inspected less (grade
    order), every deadline and duration positive, and every decision rule with a basis (依据).

    The :class:`AssertionError` lists each kind of problem with its smallest counterexample.
    """
    report = compile_table(policy).report
    problems: list[str] = []
    if report.gaps:
        gap = min(report.gaps, key=lambda g: smallest_facts_key(policy, g.facts))
        problems.append(
            f"{len(report.gaps)} gap(s): no rule decides, smallest counterexample {gap.facts!r}"
        )
    if report.overlaps:
        overlap = min(report.overlaps, key=lambda o: smallest_facts_key(policy, o.facts))
        problems.append(
            f"{len(report.overlaps)} unresolved overlap(s): rules {', '.join(overlap.rule_ids)} "
            f"all decide, smallest counterexample {overlap.facts!r}"
        )
    if report.violations:
        problems.append(_order_problem(policy, report.violations))
    problems += [f"{path} must be positive, got {period}" for path, period in _periods(policy)]
    problems += [
        f"decision rule {rule.rule_id!r} has no basis: state the regulation it applies"
        for rule in policy.decisions.rules
        if not rule.basis.text.strip()
    ]
    if problems:
        raise AssertionError(
            f"policy {policy.key} is not sound:\n" + "\n".join(f"  - {p}" for p in problems)
        )


def assert_monotone(policy: Policy, measure: OrderMeasure) -> None:
    """Fail unless a worse grade never gets less of ``measure`` than a better grade with the
    same domain, lists and flags. ``measure`` is ``"sampling_ratio"``, ``"inspections_min"``
    or ``"inspections_max"`` (where no maximum counts as the most).

    The :class:`AssertionError` names the smallest counterexample: the worse grade's facts,
    and the better grade's facts it is compared with, with both values and rules.
    """
    known = get_args(OrderMeasure)
    if measure not in known:
        raise ValueError(f"Cannot check measure={measure!r}: it must be one of {', '.join(known)}")
    table = compile_table(policy)
    decided = {Facts(*key): decision for key, decision in table.decisions.items()}
    found = [v for v in find_order_violations(policy, decided) if v.measure == measure]
    if found:
        raise AssertionError(
            f"policy {policy.key} is not monotone in {measure}: " + _order_problem(policy, found)
        )


def _order_problem(policy: Policy, violations: Sequence[OrderViolation]) -> str:
    worst = min(violations, key=lambda v: smallest_facts_key(policy, v.worse))
    return (
        f"{len(violations)} grade order violation(s); smallest counterexample "
        f"{worst.worse!r} gets {worst.measure}={measure_text(worst.worse_value)} (rule "
        f"{worst.rule_ids[1]}), less than {measure_text(worst.better_value)} for the better "
        f"{worst.better!r} (rule {worst.rule_ids[0]})"
    )


def _periods(policy: Policy) -> Iterable[tuple[str, Period]]:
    """Every period that must be positive and is not, with its key path in the pack."""
    named: list[tuple[str, Provision[Period] | None]] = []
    for name, kind in policy.lists.items():
        named += [
            (f"lists.{name}.statement_period", kind.statement_period),
            (f"lists.{name}.objection_window", kind.objection_window),
            (f"lists.{name}.publication_deadline", kind.publication_deadline),
            (f"lists.{name}.duration", kind.duration),
            (f"lists.{name}.early_removal_after", kind.early_removal_after),
        ]
    for severity, rule in policy.severities.items():
        named.append((f"severities.{severity.value}.publication_max", rule.publication_max))
    repair = policy.repair
    named += [
        ("repair.acceptance_deadline", repair.acceptance_deadline),
        ("repair.decision_deadline", repair.decision_deadline),
        ("repair.extension", repair.extension),
        ("repair.fraud_ban", repair.fraud_ban),
        ("repair.fraud_publication", repair.fraud_publication),
        ("objections.forward_deadline", policy.objections.forward_deadline),
        ("objections.check_deadline", policy.objections.check_deadline),
    ]
    named += [
        (f"commitments.{name}.verification_period", kind.verification_period)
        for name, kind in policy.commitments.items()
    ]
    return [(path, p.value) for path, p in named if p is not None and p.value.amount <= 0]
