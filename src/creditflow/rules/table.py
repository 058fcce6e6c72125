"""The decision table of a policy version, computed once through durable_rules and then served.

Every signature (domain x grade x list kinds x flags) is asserted through durable_rules when the
table is compiled; the hit policy picks the deciding rule; the analysis looks for gaps,
unresolved overlaps, grade-order violations and direction violations (lists and flags).
Compiled tables are cached by policy digest, so a policy loaded twice costs one compilation
(and one durable_rules ruleset) per process.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from creditflow._validation import ensure_instance
from creditflow.core.facts import Facts
from creditflow.errors import PolicyError, PolicyProblem
from creditflow.policy.conditions import evaluate
from creditflow.policy.model import DecisionRule, HitPolicy, Policy
from creditflow.rules.analysis import (
    AnalysisReport,
    Gap,
    Overlap,
    find_direction_violations,
    find_order_violations,
)
from creditflow.rules.decision import Decision
from creditflow.rules.signature import MAX_SIGNATURES, message, signature_count, signatures

__all__ = ["DecisionTable", "compile_table", "reference_table"]

Key = tuple[str, str, frozenset[str], frozenset[str]]
HitFinder = Callable[[Mapping[str, Any]], frozenset[int]]


@attrs.frozen(eq=False)
class DecisionTable:
    """Every decided signature of one policy version, and the analysis of the table.

    ``matches`` holds, for every signature, the indexes (in file order) of the rules whose
    condition it satisfies, before the hit policy picked one: what :meth:`Engine.trace
    <creditflow.rules.Engine.trace>` shows. Equal tuples are shared, so it costs little.
    """

    policy: Policy
    decisions: Mapping[Key, Decision] = attrs.field(repr=False)
    report: AnalysisReport
    matches: Mapping[Key, tuple[int, ...]] = attrs.field(repr=False, factory=dict)

    def rows(self) -> list[Decision]:
        """The decisions in signature order (domain, grade best first, lists, flags)."""
        return [self.decisions[f.key] for f in signatures(self.policy) if f.key in self.decisions]


_cache: dict[tuple[str, str], DecisionTable] = {}
_cache_lock = threading.Lock()
_names = itertools.count()


def compile_table(policy: Policy) -> DecisionTable:
    """The table as durable_rules decides it, cached per policy digest."""
    ensure_instance(policy, Policy, "policy")
    with _cache_lock:
        key = (policy.digest, policy.origin)
        if key not in _cache:
            _cache[key] = _compile(policy, _durable_hits(policy))
        return _cache[key]


def reference_table(policy: Policy) -> DecisionTable:
    """The same table from the pure-Python evaluator (for differential tests); not cached."""
    ensure_instance(policy, Policy, "policy")
    conditions = [rule.when for rule in policy.decisions.rules]

    def hits(fields: Mapping[str, Any]) -> frozenset[int]:
        return frozenset(i for i, c in enumerate(conditions) if evaluate(c, fields))

    return _compile(policy, hits)


def _durable_hits(policy: Policy) -> HitFinder:
    from creditflow.rules.durable_host import RuleMatcher

    name = f"{policy.digest[:16]}_{next(_names)}"
    return RuleMatcher(name, [rule.when for rule in policy.decisions.rules]).matches


def _compile(policy: Policy, hits_of: HitFinder) -> DecisionTable:
    count = signature_count(policy)
    if count > MAX_SIGNATURES:
        reason = (
            f"the decision signature has {count} combinations (domains x grades x 2^lists x "
            f"2^flags), more than {MAX_SIGNATURES}; declare fewer flags or list kinds"
        )
        raise PolicyError(policy.origin, [PolicyProblem(policy.origin, "flags", reason)])
    rules = policy.decisions.rules
    decided: dict[Facts, Decision] = {}
    gaps: list[Gap] = []
    overlaps: list[Overlap] = []
    used: set[int] = set()
    decisions: dict[Key, Decision] = {}
    matches: dict[Key, tuple[int, ...]] = {}
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}  # one tuple per distinct set of hits
    for facts in signatures(policy):
        key = facts.key
        matched = sorted(hits_of(message(policy, facts)))
        found = tuple(matched)
        matches[key] = shared.setdefault(found, found)
        winner = _resolve(policy.decisions.hit_policy, rules, matched)
        if not matched:
            gaps.append(Gap(facts))
        elif winner is None:
            overlaps.append(Overlap(facts, tuple(rules[i].rule_id for i in matched)))
        else:
            used.add(winner)
            decided[facts] = decisions[key] = _decision(policy, facts, rules[winner])
    report = AnalysisReport(
        source=policy.origin,
        policy_key=policy.key,
        signatures=count,
        gaps=tuple(gaps),
        overlaps=tuple(overlaps),
        violations=tuple(find_order_violations(policy, decided)),
        unused_rules=tuple(r.rule_id for i, r in enumerate(rules) if i not in used),
        direction_violations=tuple(find_direction_violations(policy, decided)),
    )
    return DecisionTable(policy, decisions, report, matches)


def _resolve(
    hit_policy: HitPolicy, rules: tuple[DecisionRule, ...], matched: list[int]
) -> int | None:
    """The index of the deciding rule, or None for a gap or an unresolved overlap."""
    if not matched:
        return None
    if hit_policy is HitPolicy.FIRST:
        return matched[0]
    if hit_policy is HitPolicy.UNIQUE:
        return matched[0] if len(matched) == 1 else None
    top = max(rules[i].priority for i in matched)
    best = [i for i in matched if rules[i].priority == top]
    return best[0] if len(best) == 1 else None


def _decision(policy: Policy, facts: Facts, rule: DecisionRule) -> Decision:
    return Decision(
        facts=facts,
        sampling_ratio=rule.sampling_ratio,
        inspections_per_year=rule.inspections_per_year,
        measures=rule.measures,
        rule_id=rule.rule_id,
        policy_version=policy.key,
        basis=rule.basis.text,
        rule=rule,
        policy=policy,
    )
