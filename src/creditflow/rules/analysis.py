"""Analysis of a decision table: gaps, unresolved overlaps, grade-order and direction
violations, and unused rules."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Literal, Protocol

import attrs

from creditflow.core.facts import Facts
from creditflow.errors import PolicyProblem
from creditflow.policy.model import Direction, Policy
from creditflow.rules.decision import format_ratio

__all__ = [
    "AnalysisReport",
    "DirectionViolation",
    "Gap",
    "OrderViolation",
    "Overlap",
    "find_direction_violations",
    "find_order_violations",
    "smallest_facts_key",
]

Measure = Literal["sampling_ratio", "inspections_min", "inspections_max"]

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
    measure: Measure
    better_value: object
    worse_value: object
    rule_ids: tuple[str, str]

    def __str__(self) -> str:
        return (
            f"order: grade {self.worse.grade} gets {self.measure}={measure_text(self.worse_value)} "
            f"(rule {self.rule_ids[1]}) below grade {self.better.grade}'s "
            f"{measure_text(self.better_value)} (rule {self.rule_ids[0]}) in {describe(self.worse)}"
        )


@attrs.frozen
class DirectionViolation:
    """Adding an adverse list kind or flag to a signature lowers its supervision, or adding a
    favourable one raises it (see :data:`creditflow.policy.model.Direction`).

    ``without`` is the smallest signature where it happens and ``added`` the same signature
    with ``kind`` ``name`` added; ``rule_ids`` are the rules that decide them, in that order.
    ``pairs`` counts the pairs of signatures where adding ``name`` gives the same fault in
    ``measure`` between the same two rules (each such group is one violation).
    """

    without: Facts
    added: Facts
    kind: Literal["list", "flag"]
    name: str
    direction: Direction
    measure: Measure
    without_value: object
    added_value: object
    rule_ids: tuple[str, str]
    pairs: int = 1

    def __str__(self) -> str:
        moved = "lowers" if self.direction == "adverse" else "raises"
        alike = f"; {self.pairs} pairs of signatures alike" if self.pairs > 1 else ""
        return (
            f"direction: adding {self.direction} {self.kind} {self.name} {moved} "
            f"{self.measure} from {measure_text(self.without_value)} "
            f"(rule {self.rule_ids[0]}) to {measure_text(self.added_value)} "
            f"(rule {self.rule_ids[1]}) in {describe(self.without)}{alike}"
        )


def measure_text(value: object) -> str:
    """A measure's value for people: a ratio as a percent (``8%``), no maximum as unbounded."""
    if value is None:
        return "unbounded"
    if isinstance(value, Fraction):
        return format_ratio(value)
    return str(value)


def smallest_facts_key(policy: Policy, facts: Facts) -> tuple[object, ...]:
    """Order signatures smallest first: fewest lists and flags, pack order, best grade."""
    domains = list(policy.domains)
    rank = policy.domains[facts.domain].scale.rank(facts.grade)
    size = len(facts.lists) + len(facts.flags)
    return (size, domains.index(facts.domain), rank, sorted(facts.lists), sorted(facts.flags))


@attrs.frozen
class AnalysisReport:
    """What the analysis of one pack found. ``ok`` is True when the pack may be served.

    ``schema_problems`` holds validation problems when the pack could not even be read (the
    other fields are then empty). ``policy_problems`` holds what the one soundness check
    (:func:`creditflow.workflows.soundness.analyse_policy`) finds outside the table: periods
    that are not positive, blank bases, workflow events no role may fire, deadline settings
    the machines cannot resolve. ``violations`` are grade-order violations,
    ``direction_violations`` lists or flags that move supervision against their declared
    direction. ``unused_rules`` never decide any signature: a warning, not an error (a later
    rule shadowed by earlier ones under the ``first`` policy, say).
    """

    source: str
    policy_key: str | None
    signatures: int
    schema_problems: tuple[PolicyProblem, ...] = ()
    gaps: tuple[Gap, ...] = ()
    overlaps: tuple[Overlap, ...] = ()
    violations: tuple[OrderViolation, ...] = ()
    unused_rules: tuple[str, ...] = ()
    direction_violations: tuple[DirectionViolation, ...] = ()
    policy_problems: tuple[PolicyProblem, ...] = ()

    @property
    def ok(self) -> bool:
        """No schema or policy problem, gap, unresolved overlap, order or direction violation."""
        return not (
            self.schema_problems
            or self.policy_problems
            or self.gaps
            or self.overlaps
            or self.violations
            or self.direction_violations
        )

    def problems(self, source: str | None = None) -> list[PolicyProblem]:
        """Every blocking problem as a :class:`PolicyProblem`; long lists are summarised."""
        where = source or self.source
        problems = list(self.schema_problems)
        problems += [PolicyProblem(where, p.key, p.reason) for p in self.policy_problems]
        for key, found in (
            ("decisions.gaps", self.gaps),
            ("decisions.overlaps", self.overlaps),
            ("decisions.order", self.violations),
            ("decisions.directions", self.direction_violations),
        ):
            problems += [PolicyProblem(where, key, str(item)) for item in found[:_SHOWN]]
            if len(found) > _SHOWN:
                problems.append(PolicyProblem(where, key, f"... and {len(found) - _SHOWN} more"))
        return problems

    def to_text(self) -> str:
        """A report for people: a verdict line, then every problem and warning."""
        head = f"{self.policy_key or self.source}: {self.signatures} signatures analysed"
        lines = [f"{head}: {'OK' if self.ok else 'PROBLEMS'}"]
        lines += [
            f"  {p.key or '(top)'}: {p.reason}"
            for p in (*self.schema_problems, *self.policy_problems)
        ]
        found = (*self.gaps, *self.overlaps, *self.violations, *self.direction_violations)
        lines += [f"  {item}" for item in found]
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
            "policy_problems": [{"key": p.key, "reason": p.reason} for p in self.policy_problems],
            "gaps": [str(g) for g in self.gaps],
            "overlaps": [str(o) for o in self.overlaps],
            "order_violations": [str(v) for v in self.violations],
            "direction_violations": [str(v) for v in self.direction_violations],
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


_MEASURES: tuple[Measure, ...] = ("sampling_ratio", "inspections_min", "inspections_max")
_Item = tuple[Literal["list", "flag"], str, Direction]


def find_direction_violations(
    policy: Policy, decided: Mapping[Facts, _Decided]
) -> list[DirectionViolation]:
    """For every decided signature and every list kind or flag it lacks, compare it with the
    signature that adds that one: an ``adverse`` addition must not lower the sampling ratio,
    the minimum or the maximum of inspections (no maximum counts as the most), a
    ``favourable`` one must not raise them.

    Single additions are enough: a signature with more adverse lists and flags is reached from
    one with fewer by adding them one at a time, and "never lower" is transitive along that
    chain. Violations are grouped by the list or flag added, the measure and the two deciding
    rules, each group named by its smallest counterexample (see :func:`smallest_facts_key`).
    Each pair of rules is compared once, and pairs of signatures are gathered per domain,
    grade and addition as pairs of rule indices, so 51,200 signatures take milliseconds.
    """
    items: list[_Item] = [("list", n, k.direction.value) for n, k in sorted(policy.lists.items())]
    items += [("flag", n, f.direction.value) for n, f in sorted(policy.flags.items())]
    if not items:
        return []
    rows, rules = _rows(items, decided)
    found = []
    for (pos, measure, a, b), group in _groups_of_pairs(policy, items, rows, _Moved(rules)).items():
        kind, name, direction = items[pos]
        lists, flags = _names(items, group.mask)
        added = _names(items, group.mask | 1 << pos)
        violation = DirectionViolation(
            without=Facts(group.domain, group.grade, lists, flags),
            added=Facts(group.domain, group.grade, *added),
            kind=kind,
            name=name,
            direction=direction,
            measure=measure,
            without_value=_value(rules[a], measure),
            added_value=_value(rules[b], measure),
            rule_ids=(rules[a].rule_id, rules[b].rule_id),
            pairs=group.pairs,
        )
        found.append((group.order, pos, _MEASURES.index(measure), violation))
    return [v for *_, v in sorted(found, key=lambda f: f[:3])]


@attrs.define
class _Group:
    """The pairs of signatures with one fault: the smallest (by ``order``) and how many."""

    order: tuple[int, ...]
    domain: str
    grade: str
    mask: int
    pairs: int = 0


def _groups_of_pairs(
    policy: Policy,
    items: list[_Item],
    rows: dict[tuple[str, str], list[int]],
    moved: _Moved,
) -> dict[tuple[int, Measure, int, int], _Group]:
    """Every fault, keyed by (item added, measure, rule without, rule with)."""
    masks = sorted(range(1 << len(items)), key=lambda m: (m.bit_count(), *_names(items, m)))
    place = {mask: i for i, mask in enumerate(masks)}  # smallest signature first
    domains = list(policy.domains)
    groups: dict[tuple[int, Measure, int, int], _Group] = {}
    for pos, (_, _, direction) in enumerate(items):
        low = [m for m in range(1 << len(items)) if not m >> pos & 1]
        pick_low, pick_high = _picker(low), _picker([m | 1 << pos for m in low])
        for (domain, grade), row in rows.items():
            pairs = zip(pick_low(row), pick_high(row), strict=True)
            bad = {p for p in set(pairs) if moved(*p, direction)}
            if not bad:
                continue
            cell = (domains.index(domain), policy.domains[domain].scale.rank(grade))
            for (a, b), (count, m) in _pairs(low, row, 1 << pos, bad, place).items():
                order = (m.bit_count(), *cell, place[m])
                for measure in moved(a, b, direction):
                    group = groups.setdefault((pos, measure, a, b), _Group(order, domain, grade, m))
                    if order < group.order:
                        group.order, group.domain, group.grade, group.mask = order, domain, grade, m
                    group.pairs += count
    return groups


class _Moved:
    """Which measures move against a direction between two rules, each pair computed once."""

    def __init__(self, rules: list[_Decided]) -> None:
        self._rules = rules
        self._known: dict[tuple[int, int, Direction], tuple[Measure, ...]] = {}

    def __call__(self, a: int, b: int, direction: Direction) -> tuple[Measure, ...]:
        if a == b or a < 0 or b < 0:
            return ()
        key = (a, b, direction)
        if key not in self._known:
            self._known[key] = _moved(self._rules[a], self._rules[b], direction)
        return self._known[key]


def _pairs(
    low: list[int], row: list[int], bit: int, bad: set[tuple[int, int]], place: dict[int, int]
) -> dict[tuple[int, int], tuple[int, int]]:
    """For each bad pair of rules, how many masks give it and the smallest of them."""
    found: dict[tuple[int, int], tuple[int, int]] = {}
    for m in low:
        pair = (row[m], row[m | bit])
        if pair in bad:
            count, best = found.get(pair, (0, m))
            found[pair] = (count + 1, m if place[m] < place[best] else best)
    return found


def _rows(
    items: list[_Item], decided: Mapping[Facts, _Decided]
) -> tuple[dict[tuple[str, str], list[int]], list[_Decided]]:
    """Per domain and grade, the index of the deciding rule for each set of lists and flags
    (a bit mask over ``items``; -1 where nothing decides), and the rules by index."""
    bits = {(kind, name): 1 << i for i, (kind, name, _) in enumerate(items)}
    rules: list[_Decided] = []
    index: dict[str, int] = {}
    masks: dict[tuple[frozenset[str], frozenset[str]], int] = {}
    rows: dict[tuple[str, str], list[int]] = {}
    for facts, decision in decided.items():
        sets = (facts.lists, facts.flags)
        mask = masks.get(sets)
        if mask is None:
            mask = masks[sets] = sum(bits["list", n] for n in sets[0]) + sum(
                bits["flag", n] for n in sets[1]
            )
        at = index.get(decision.rule_id)
        if at is None:
            at = index[decision.rule_id] = len(rules)
            rules.append(decision)
        cell = (facts.domain, facts.grade)
        row = rows.get(cell)
        if row is None:
            row = rows[cell] = [-1] * (1 << len(items))
        row[mask] = at
    return rows, rules


def _picker(positions: list[int]) -> Callable[[list[int]], tuple[int, ...]]:
    """A function of a row that gathers it at ``positions`` (in C: this is the hot loop)."""
    if len(positions) == 1:
        return lambda row: (row[positions[0]],)
    return operator.itemgetter(*positions)


def _names(items: list[_Item], mask: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    chosen = [(kind, name) for i, (kind, name, _) in enumerate(items) if mask >> i & 1]
    lists = tuple(sorted(name for kind, name in chosen if kind == "list"))
    return lists, tuple(sorted(name for kind, name in chosen if kind == "flag"))


def _value(decided: _Decided, measure: Measure) -> Fraction | int | None:
    if measure == "sampling_ratio":
        return decided.sampling_ratio
    low, high = decided.inspections_per_year
    return low if measure == "inspections_min" else high


def _moved(before: _Decided, after: _Decided, direction: Direction) -> tuple[Measure, ...]:
    """The measures that move against ``direction`` from ``before`` to ``after``."""
    if direction == "favourable":
        before, after = after, before
    return tuple(m for m in _MEASURES if _less(_value(after, m), _value(before, m)))


def _less(a: Fraction | int | None, b: Fraction | int | None) -> bool:
    """``a < b``, where None (no maximum) is more than any number."""
    if a is None:
        return False
    return b is None or a < b
