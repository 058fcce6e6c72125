"""Policy checks as test helpers: soundness and monotonicity, failing on the smallest case.

Both checks enumerate the whole signature space of the pack (every domain x grade x list
kinds x flags), so a failure names the smallest counterexample -- fewest lists and flags,
first domain, best grade -- written as the :class:`~creditflow.Facts` to paste into a test.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

from creditflow.core.facts import Facts
from creditflow.policy.model import Policy
from creditflow.rules.analysis import (
    AnalysisReport,
    DirectionViolation,
    OrderViolation,
    find_order_violations,
    measure_text,
    smallest_facts_key,
)
from creditflow.rules.table import compile_table
from creditflow.workflows.soundness import analyse_policy

__all__ = ["OrderMeasure", "assert_monotone", "assert_policy_sound", "smallest_facts_key"]

OrderMeasure = Literal["sampling_ratio", "inspections_min", "inspections_max"]
"""What :func:`assert_monotone` compares between a grade and the next worse one."""


def assert_policy_sound(policy: Policy) -> None:
    """Fail unless ``policy`` passes the one soundness check that ``load_policy``,
    ``creditflow check`` and the book run (:func:`creditflow.workflows.soundness.analyse_policy`):
    every signature decided by one rule after the hit policy (no gap, no unresolved overlap),
    a worse grade never inspected less (grade order), an adverse list or flag never lowering
    and a favourable one never raising supervision (directions), every period positive, every
    basis (依据) stated, every workflow event permitted to a role and every deadline setting
    the workflows name resolved.

    The :class:`AssertionError` lists the same problems, in the same words, as the
    :class:`~creditflow.errors.PolicyError` those entry points raise (one ``  - `` line each),
    then the smallest counterexample of each kind of table problem as the
    :class:`~creditflow.Facts` to paste into a test.
    """
    report = analyse_policy(policy)
    if report.ok:
        return
    lines = [f"policy {policy.key} is not sound:"]
    lines += [f"  - {problem}" for problem in report.problems()]
    hints = _smallest(policy, report)
    if hints:
        lines.append("smallest counterexamples:")
        lines += [f"  {hint}" for hint in hints]
    raise AssertionError("\n".join(lines))


def _smallest(policy: Policy, report: AnalysisReport) -> list[str]:
    """One line per kind of table problem, naming its smallest counterexample."""
    hints: list[str] = []
    if report.gaps:
        gap = min(report.gaps, key=lambda g: smallest_facts_key(policy, g.facts))
        hints.append(
            f"{len(report.gaps)} gap(s): no rule decides, smallest counterexample {gap.facts!r}"
        )
    if report.overlaps:
        overlap = min(report.overlaps, key=lambda o: smallest_facts_key(policy, o.facts))
        hints.append(
            f"{len(report.overlaps)} unresolved overlap(s): rules {', '.join(overlap.rule_ids)} "
            f"all decide, smallest counterexample {overlap.facts!r}"
        )
    if report.violations:
        hints.append(_order_problem(policy, report.violations))
    if report.direction_violations:
        hints.append(_direction_problem(report.direction_violations))
    return hints


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


def _direction_problem(violations: Sequence[DirectionViolation]) -> str:
    first = violations[0]  # the report lists them smallest counterexample first
    return (
        f"{len(violations)} direction violation(s); smallest counterexample {first.without!r} "
        f"gets {first.measure}={measure_text(first.without_value)} (rule {first.rule_ids[0]}), and "
        f"{first.added!r} with {first.direction} {first.kind} {first.name!r} added gets "
        f"{measure_text(first.added_value)} (rule {first.rule_ids[1]})"
    )
