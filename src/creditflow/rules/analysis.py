"""Analysis of a decision table: gaps, unresolved overlaps, order violations and unused rules."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Literal, Protocol

import attrs

from creditflow.core.facts import Facts
from creditflow.errors import PolicyProblem
from creditflow.policy.model import Policy
from creditflow.rules.decision import format_ratio

__all__ = ["AnalysisReport", "Gap", "OrderViolation", "Overlap", "find_order_violations"]

_SHOWN = 20  # problems of one kind listed one by one in an error; the rest are counted


def describe(facts: Facts) -> str:
    """``road_transport/B lists=[watch] flags=[]`` -- a signature in one line."""
    return f"{facts.domain}/{facts.grade} lists={sorted(facts.lists)} flags={sorted(facts.flags)}"


@attrs.frozen
class Gap:
    """A signature no rule decides."""

    facts: Facts

    def __str__(self) -> str:
        return f"gap: no rule decides {describe(self.facts)}"


@attrs.frozen
class Overlap:
    """A signature several rules decide, which the hit policy does not resolve."""

    facts: Facts
    rule_ids: tuple[str, ...]

    def __str__(self) -> str:
        return f"overlap: rules {', '.join(self.rule_ids)} all decide {describe(self.facts)}"


@attrs.frozen
class OrderViolation:
    """A worse grade gets a lower ratio or fewer inspections than a better one."""

    better: Facts
    worse: Facts
    measure: Literal["sampling_ratio", "inspections_min", "inspections_max"]
    better_value: object
    worse_value: object
    rule_ids: tuple[str, str]

    def __str__(self) -> str:
        return (
            f"order: grade {self.worse.grade} gets {self.measure}={measure_text(self.worse_value)} "
            f"(rule {self.rule_ids[1]}) below grade {self.better.grade}'s "
            f"{measure_text(self.better_value)} (rule {self.rule_ids[0]}) in {describe(self.worse)}"
        )


def measure_text(value: object) -> str:
    """A measure's value for people: a ratio as a percent (``8%``), no maximum as unbounded."""
    if value is None:
        return "unbounded"
    if isinstance(value, Fraction):
        return format_ratio(value)
    return str(value)


@attrs.frozen
class AnalysisReport:
    """What the analysis of one pack found. ``ok`` is True when the pack may be served.

    ``schema_problems`` holds validation problems when the pack could not even be read (the
    other fields are then empty). ``unused_rules`` never decide any signature: a warning,
    not an error (a later rule shadowed by earlier ones under the ``first`` policy, say).
    """

    source: str
    policy_key: str | None
    signatures: int
    schema_problems: tuple[PolicyProblem, ...] = ()
    gaps: tuple[Gap, ...] = ()
    overlaps: tuple[Overlap, ...] = ()
    violations: tuple[OrderViolation, ...] = ()
    unused_rules: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """No schema problem, gap, unresolved overlap or order violation."""
        return not (self.schema_problems or self.gaps or self.overlaps or self.violations)

    def problems(self, source: str | None = None) -> list[PolicyProblem]:
        """Every blocking problem as a :class:`PolicyProblem`; long lists are summarised."""
        where = source or self.source
        problems = list(self.schema_problems)
        for key, found in (
            ("decisions.gaps", self.gaps),
            ("decisions.overlaps", self.overlaps),
            ("decisions.order", self.violations),
        ):
            problems += [PolicyProblem(where, key, str(item)) for item in found[:_SHOWN]]
            if len(found) > _SHOWN:
                problems.append(PolicyProblem(where, key, f"... and {len(found) - _SHOWN} more"))
        return problems

    def to_text(self) -> str:
        """A report for people: a verdict line, then every problem and warning."""
        head = f"{self.policy_key or self.source}: {self.signatures} signatures analysed"
        lines = [f"{head}: {'OK' if self.ok else 'PROBLEMS'}"]
        lines += [f"  {p.key or '(top)'}: {p.reason}" for p in self.schema_problems]
        lines += [f"  {item}" for item in (*self.gaps, *self.overlaps, *self.violations)]
        lines += [f"  warning: rule {r} never decides any signature" for r in self.unused_rules]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "source": self.source,
            "policy": self.policy_key,
            "ok": self.ok,
            "signatures": self.signatures,
            "schema_problems": [{"key": p.key, "reason": p.reason} for p in self.schema_problems],
            "gaps": [str(g) for g in self.gaps],
            "overlaps": [str(o) for o in self.overlaps],
            "order_violations": [str(v) for v in self.violations],
            "unused_rules": list(self.unused_rules),
        }


class _Decided(Protocol):
    """What order analysis needs of a decided signature (a Decision)."""

    @property
    def sampling_ratio(self) -> Fraction: ...
    @property
    def inspections_per_year(self) -> tuple[int, int | None]: ...
    @property
    def rule_id(self) -> str: ...


def find_order_violations(
    policy: Policy, decided: Mapping[Facts, _Decided]
) -> list[OrderViolation]:
    """Compare each grade with the next worse decided grade of the same domain, lists, flags.

    Checking neighbours is enough: "never lower" is transitive along a scale.
    """
    violations: list[OrderViolation] = []
    for group in _groups(policy, decided):
        for better, worse in itertools.pairwise(group):
            violations += _compare(better, worse, decided[better], decided[worse])
    return violations


def _groups(policy: Policy, decided: Mapping[Facts, _Decided]) -> list[Sequence[Facts]]:
    groups: dict[tuple[str, frozenset[str], frozenset[str]], list[Facts]] = {}
    for facts in decided:
        groups.setdefault((facts.domain, facts.lists, facts.flags), []).append(facts)
    for (domain, _, _), members in groups.items():
        members.sort(key=lambda f: policy.domains[domain].scale.rank(f.grade))
    return list(groups.values())


def _compare(b: Facts, w: Facts, db: _Decided, dw: _Decided) -> list[OrderViolation]:
    ids = (db.rule_id, dw.rule_id)
    found = []
    if dw.sampling_ratio < db.sampling_ratio:
        found.append(
            OrderViolation(b, w, "sampling_ratio", db.sampling_ratio, dw.sampling_ratio, ids)
        )
    (bmin, bmax), (wmin, wmax) = db.inspections_per_year, dw.inspections_per_year
    if wmin < bmin:
        found.append(OrderViolation(b, w, "inspections_min", bmin, wmin, ids))
    if wmax is not None and (bmax is None or wmax < bmax):
        found.append(OrderViolation(b, w, "inspections_max", bmax, wmax, ids))
    return found
