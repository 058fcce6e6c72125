"""The decision table of a policy version, computed once through durable_rules and then served.

Every signature (domain x grade x list kinds x flags) is asserted through durable_rules when the
table is compiled; the hit policy picks the deciding rule; the analysis looks for gaps,
unresolved overlaps, grade-order violations and direction violations (lists and flags).
Compiled tables are cached in memory by policy digest (the last :data:`TABLE_CACHE_SIZE`
used), and what durable_rules matched is cached on disk (:mod:`creditflow.rules.table_cache`),
so a pack is posted through durable_rules once per version of creditflow and durable_rules,
not once per process.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
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
from creditflow.rules.table_cache import load_matches, store_matches

__all__ = ["TABLE_CACHE_SIZE", "DecisionTable", "compile_table", "reference_table"]

TABLE_CACHE_SIZE = 32
"""Compiled tables kept in memory per process, least recently used dropped first."""

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


_cache: OrderedDict[tuple[str, str], DecisionTable] = OrderedDict()
_cache_lock = threading.Lock()
_names = itertools.count()


def compile_table(policy: Policy) -> DecisionTable:
    """The table as durable_rules decides it, cached per policy digest (in memory and on disk)."""
    ensure_instance(policy, Policy, "policy")
    with _cache_lock:
        key = (policy.digest, policy.origin)
        table = _cache.get(key)
        if table is None:
            table = _cache[key] = _durable_table(policy)
            if len(_cache) > TABLE_CACHE_SIZE:
                _cache.popitem(last=False)
        else:
            _cache.move_to_end(key)
        return table


def reference_table(policy: Policy) -> DecisionTable:
    """The same table from the pure-Python evaluator (for differential tests); not cached."""
    ensure_instance(policy, Policy, "policy")
    conditions = [rule.when for rule in policy.decisions.rules]

    def hits(fields: Mapping[str, Any]) -> frozenset[int]:
        return frozenset(i for i, c in enumerate(conditions) if evaluate(c, fields))

    space = _space(policy)
    return _compile(policy, space, _matches(policy, space, hits))


def _durable_table(policy: Policy) -> DecisionTable:
    """The table from what durable_rules matched: read from the disk cache, else posted."""
    space = _space(policy)
    matches = load_matches(policy, space)
    if matches is None:
        from creditflow.rules.durable_host import RuleMatcher

        name = f"{policy.digest[:16]}_{next(_names)}"
        matcher = RuleMatcher(name, [rule.when for rule in policy.decisions.rules])
        matches = _matches(policy, space, matcher.matches)
        store_matches(policy, matches)
    return _compile(policy, space, matches)


def _matches(policy: Policy, space: Sequence[Facts], hits_of: HitFinder) -> list[frozenset[int]]:
    """The rules each signature matches, in signature order."""
    return [hits_of(message(policy, facts)) for facts in space]


def _space(policy: Policy) -> list[Facts]:
    """Every signature, in order, once the pack is known not to have too many."""
    _check_size(policy)
    return list(signatures(policy))


def _check_size(policy: Policy) -> None:
    count = signature_count(policy)
    if count > MAX_SIGNATURES:
        reason = (
            f"the decision signature has {count} combinations (domains x grades x 2^lists x "
            f"2^flags), more than {MAX_SIGNATURES}; declare fewer flags or list kinds"
        )
        raise PolicyError(policy.origin, [PolicyProblem(policy.origin, "flags", reason)])


def _compile(
    policy: Policy, space: Sequence[Facts], hits: Sequence[frozenset[int]]
) -> DecisionTable:
    """The table and its analysis from the rules each signature matched."""
    count = signature_count(policy)
    rules = policy.decisions.rules
    decided: dict[Facts, Decision] = {}
    gaps: list[Gap] = []
    overlaps: list[Overlap] = []
    used: set[int] = set()
    decisions: dict[Key, Decision] = {}
    matches: dict[Key, tuple[int, ...]] = {}
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}  # one tuple per distinct set of hits
    for facts, found_hits in zip(space, hits, strict=True):
        key = facts.key
        matched = sorted(found_hits)
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
