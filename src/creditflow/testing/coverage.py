"""Coverage of a policy pack by a test session: which rules decided, which never did.

Like ``opa test --coverage``, for decision tables: while :func:`record_coverage` is open,
every decision any :class:`~creditflow.Engine` makes is counted by pack and signature;
:meth:`Coverage.report` then lists the rules that decided (with how many decisions each),
the rules that never did, and the signatures never decided. The pytest plugin does this for a
whole session with ``--creditflow-coverage``.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Iterator, Sequence

import attrs

from creditflow._validation import ensure_instance
from creditflow.core.facts import Facts
from creditflow.policy.model import Policy
from creditflow.rules.analysis import describe
from creditflow.rules.decision import Decision
from creditflow.rules.observe import observe
from creditflow.rules.signature import signatures
from creditflow.rules.table import Key, compile_table

__all__ = ["Coverage", "CoverageReport", "record_coverage"]

_LISTED = 20  # signatures never decided listed one by one in the text; the rest are counted


@attrs.frozen
class CoverageReport:
    """What a test session exercised of one pack.

    ``rules_hit`` maps each rule that decided at least once to its number of decisions, in
    file order; ``rules_never_hit`` are the pack's other rules, in file order;
    ``signatures_never_decided`` are the decidable signatures no decision was made for, in
    signature order (domain, grade best first, lists, flags), out of ``signatures``.
    """

    policy_key: str
    digest: str
    decisions: int
    signatures: int
    rules_hit: tuple[tuple[str, int], ...]
    rules_never_hit: tuple[str, ...]
    signatures_never_decided: tuple[Facts, ...]

    @property
    def complete(self) -> bool:
        """Every rule decided at least once and every signature was decided."""
        return not (self.rules_never_hit or self.signatures_never_decided)

    def to_text(self) -> str:
        """The report for people, as the pytest plugin prints it."""
        rules = len(self.rules_hit) + len(self.rules_never_hit)
        decided = self.signatures - len(self.signatures_never_decided)
        lines = [
            f"{self.policy_key} (digest {self.digest[:12]}): {self.decisions} decisions, "
            f"{len(self.rules_hit)} of {rules} rules hit, "
            f"{decided} of {self.signatures} signatures decided"
        ]
        lines += [f"  hit        {rule} ({count})" for rule, count in self.rules_hit]
        lines += [f"  never hit  {rule}" for rule in self.rules_never_hit]
        never = self.signatures_never_decided
        lines += [f"  never decided  {describe(facts)}" for facts in never[:_LISTED]]
        if len(never) > _LISTED:
            lines.append(f"  never decided  ... and {len(never) - _LISTED} more signatures")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data, with every signature never decided."""
        return {
            "policy": self.policy_key,
            "digest": self.digest,
            "decisions": self.decisions,
            "signatures": self.signatures,
            "rules_hit": dict(self.rules_hit),
            "rules_never_hit": list(self.rules_never_hit),
            "signatures_never_decided": [
                {
                    "domain": f.domain,
                    "grade": f.grade,
                    "lists": sorted(f.lists),
                    "flags": sorted(f.flags),
                }
                for f in self.signatures_never_decided
            ],
        }


class Coverage:
    """The decisions counted while :func:`record_coverage` is open, by pack and signature."""

    def __init__(self) -> None:
        self._seen: dict[Policy, Counter[Key]] = {}
        self._lock = threading.Lock()

    def _count(self, policy: Policy, decisions: Sequence[Decision]) -> None:
        with self._lock:
            counter = self._seen.get(policy)
            if counter is None:
                counter = self._seen[policy] = Counter()
            counter.update([d.facts.key for d in decisions])

    @property
    def policies(self) -> tuple[Policy, ...]:
        """The packs some engine decided for, in the order they were first seen."""
        with self._lock:
            return tuple(self._seen)

    def report(self, policy: Policy) -> CoverageReport:
        """The coverage of ``policy`` (a pack never decided for has no rule hit)."""
        ensure_instance(policy, Policy, "policy")
        with self._lock:
            counts = Counter(self._seen.get(policy, Counter()))
        table = compile_table(policy)
        per_rule: Counter[str] = Counter()
        for key, count in counts.items():
            per_rule[table.decisions[key].rule_id] += count
        rules = [r.rule_id for r in policy.decisions.rules]
        return CoverageReport(
            policy_key=policy.key,
            digest=policy.digest,
            decisions=sum(counts.values()),
            signatures=len(table.decisions),
            rules_hit=tuple((r, per_rule[r]) for r in rules if per_rule[r]),
            rules_never_hit=tuple(r for r in rules if not per_rule[r]),
            signatures_never_decided=tuple(
                f for f in signatures(policy) if f.key in table.decisions and f.key not in counts
            ),
        )


@contextlib.contextmanager
def record_coverage() -> Iterator[Coverage]:
    """Count every decision made inside the ``with`` block, by any engine::

        with record_coverage() as coverage:
            run_the_tests()
        print(coverage.report(policy).to_text())

    Outside such a block deciding costs nothing more than without coverage.
    """
    coverage = Coverage()
    with observe(coverage._count):
        yield coverage
