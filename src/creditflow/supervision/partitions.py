"""A plan drawn over partitions: the pure functions a distributed engine runs, and the merges.

Nothing here imports a distributed engine; :mod:`creditflow.scale` wires these functions to
Dask, and another engine (Spark's ``mapInPandas``, Ray tasks) could wire the same ones.

1. :func:`scan_partition`, on each partition of the population: the pass of
   :func:`~creditflow.supervision.draw_plan` over that part alone. Per stratum it keeps the
   keys below the running bound of its own size, with the bound itself, so the merge knows
   every key of the partition below it was kept.
2. :func:`merge_scans`, once: per stratum, the sizes added up and the keys kept below the
   smallest of the partitions' bounds. Those are *all* the population's keys below that
   bound, so the smallest ``count`` of them are the ones one process draws, or there are
   fewer than ``count`` and the stratum needs a second pass keeping every key, as in one
   process. The regions keep their first entry and the conflicted entries their order, in
   partition order.
3. :func:`inspector_groups` and :func:`group_tasks`: inspections whose candidates lie in
   disjoint groups of inspectors (connected components of the graph joining an inspector to
   the regions and domains they serve) never share a load, so :func:`draw_group` draws each
   group on its own, in plan order, and :func:`merge_groups` puts the results back in plan
   order: the draw one process makes.

Errors: a partition that meets a bad row stops and says so (:attr:`PartitionScan.failed`);
duplicates across partitions show as equal :func:`id_hashes`. Either way the caller reads the
partitions in one process, in order, up to the last one concerned, which raises the error one
process raises (file, line, field) before anything is drawn.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Iterator, Sequence

import attrs

from creditflow.core.facts import Facts
from creditflow.errors import CreditflowError, InvalidInput, UnknownName
from creditflow.rules.decision import Decision
from creditflow.rules.engine import Engine
from creditflow.supervision.assignment import Draw
from creditflow.supervision.draw import PlanSetup
from creditflow.supervision.entries import PopulationEntry, check_entry, check_token, row_error
from creditflow.supervision.pools import Pools
from creditflow.supervision.selection import Selection, new_draw, select
from creditflow.supervision.strata import Kept, StratumDraw

__all__ = [
    "DECISION_COLUMNS",
    "GroupTask",
    "PartitionScan",
    "StratumPart",
    "decide_partition",
    "draw_group",
    "group_tasks",
    "id_hashes",
    "inspector_groups",
    "merge_groups",
    "merge_scans",
    "scan_partition",
]


@attrs.frozen
class StratumPart:
    """One stratum as one partition saw it: the facts of an entry in it (to decide it again),
    its size and exempt count, the running bound reached, and every key below that bound."""

    facts: Facts
    size: int
    exempt: int
    bound: bytes
    kept: list[Kept]


@attrs.frozen
class PartitionScan:
    """What :func:`scan_partition` found in one partition: small, and picklable.

    ``ids`` holds 8-byte hashes (:func:`id_hashes`) of every ``domain|subject_id`` read, to
    find duplicates across partitions; ``failed`` says the partition holds a bad row,
    ``reason`` what the first one was (the error itself is raised again, in order, by the
    caller).
    """

    size: int = 0
    strata: dict[str, StratumPart] = attrs.field(factory=dict)
    regions: dict[str, dict[str, PopulationEntry]] = attrs.field(factory=dict)
    conflicted: list[PopulationEntry] = attrs.field(factory=list)
    ids: bytes = b""
    failed: bool = False
    reason: str | None = None


def scan_partition(
    population: Iterable[PopulationEntry],
    *,
    engine: Engine,
    seed: str,
    year: int,
    conflicted_ids: frozenset[str],
    keep_all: frozenset[str] = frozenset(),
) -> PartitionScan:
    """The pass of the draw over one partition (a population file or entries).

    ``keep_all`` names strata whose every key is kept (the second pass after a shortfall).
    A bad row does not raise: the scan says it ``failed``.
    """
    try:
        selection = select(population, engine, seed, year, conflicted_ids, keep_all)
    except CreditflowError as error:
        return PartitionScan(failed=True, reason=str(error))
    strata = {
        d.name: StratumPart(d.decision.facts, d.size, d.exempt, d.bound, d.kept)
        for d in selection.draws
    }
    return PartitionScan(
        selection.size,
        strata,
        selection.regions,
        selection.conflicted,
        id_hashes(selection.ids),
    )


def id_hashes(ids: dict[str, set[str]]) -> bytes:
    """The 8-byte BLAKE2b hashes of ``domain|subject_id`` for the ids read in each domain,
    as unsigned 64-bit integers in native order (:class:`array.array` ``"Q"``)."""
    out = array("Q")
    for domain, seen in ids.items():
        prefix = hashlib.blake2b(f"{domain}|".encode(), digest_size=8)
        for subject_id in seen:
            state = prefix.copy()
            state.update(subject_id.encode())
            out.append(int.from_bytes(state.digest(), "big"))
    return out.tobytes()


def merge_scans(
    scans: Sequence[PartitionScan],
    *,
    engine: Engine,
    seed: str,
    year: int,
    keep_all: frozenset[str] = frozenset(),
) -> Selection:
    """The selection of the whole population from its partitions' scans, in partition order.

    Each stratum keeps the keys below the smallest bound of its partitions: every key of the
    population below it. Its :meth:`~creditflow.supervision.strata.StratumDraw.selected` is
    then exact, or None where too few keys lie below it, as in one process.
    """
    draws: dict[str, StratumDraw] = {}
    parts: dict[str, list[StratumPart]] = {}
    regions: dict[str, dict[str, PopulationEntry]] = {}
    conflicted: list[PopulationEntry] = []
    for scan in scans:
        for name, part in scan.strata.items():
            if name not in draws:
                decision = engine.decide(part.facts)
                draws[name] = new_draw(engine, decision, seed, year, keep_all)
            parts.setdefault(name, []).append(part)
        for domain, firsts in scan.regions.items():
            known = regions.setdefault(domain, {})
            for region, entry in firsts.items():
                known.setdefault(region, entry)
        conflicted += scan.conflicted
    for name, draw in draws.items():
        found = parts[name]
        bound = min(part.bound for part in found)
        draw.size = sum(part.size for part in found)
        draw.exempt = sum(part.exempt for part in found)
        draw.bound = bound
        draw.kept = [kept for part in found for kept in part.kept if kept[0] < bound]
    size = sum(scan.size for scan in scans)
    return Selection(size, list(draws.values()), regions, conflicted)


# ---------------------------------------------------------------- inspectors, by group


GroupTask = tuple[str, str, str, int, Sequence[int]]
"""One inspection to draw inspectors for: period label, domain, subject id, visit, and the
indexes of its candidates (qualified, no conflict) in id order."""


def inspector_groups(pools: Pools) -> list[int]:
    """The group of each inspector (by index): inspectors serving a common region and domain
    are in one group, and so, step by step, is everyone connected to them."""
    parent = list(range(len(pools.inspectors)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for cell in pools.cells.values():
        first = root(cell[0])
        for other in cell[1:]:
            parent[root(other)] = first
    return [root(index) for index in range(len(parent))]


def group_tasks(
    planned: Sequence[tuple[int, int, bytes, int, Kept, int]],
    draws: Sequence[StratumDraw],
    setup: PlanSetup,
    groups: Sequence[int],
) -> tuple[list[int], dict[int, list[GroupTask]]]:
    """The group of each inspection planned (in plan order), and each group's tasks in plan
    order. Every inspection has candidates: the pools were checked first."""
    eligible, labels = setup.pools.eligible, setup.labels
    domains = [d.decision.facts.domain for d in draws]
    order: list[int] = []
    tasks: dict[int, list[GroupTask]] = {}
    for index, _, _, visit, (_, subject_id, _, _, region), number in planned:
        domain = domains[number]
        candidates = eligible(region, domain, subject_id)
        group = groups[candidates[0]]
        order.append(group)
        tasks.setdefault(group, []).append((labels[index], domain, subject_id, visit, candidates))
    return order, tasks


def draw_group(
    tasks: Sequence[GroupTask], inspectors: int, seed: str, tolerance: int, count: int
) -> tuple[list[list[int]], dict[int, int]]:
    """Draw the inspectors of one group's inspections in plan order, as one process would:
    the indexes drawn for each task, and the loads of the inspectors drawn at all."""
    draw = Draw(range(inspectors), seed, tolerance)  # type: ignore[arg-type]  # only its length
    take = draw.take
    chosen = [take(candidates, count, period, domain, subject_id, visit)
              for period, domain, subject_id, visit, candidates in tasks]  # fmt: skip
    loads = {index: load for index, load in enumerate(draw.loads) if load}
    return chosen, loads


def merge_groups(
    order: Sequence[int],
    results: dict[int, tuple[list[list[int]], dict[int, int]]],
    inspectors: int,
) -> tuple[Iterator[list[int]], list[int]]:
    """The picks of every inspection in plan order, and every inspector's load, from the
    results of :func:`draw_group` by group."""
    loads = [0] * inspectors
    for _, group_loads in results.values():
        for index, load in group_loads.items():
            loads[index] += load
    runs = {group: iter(chosen) for group, (chosen, _) in results.items()}
    return (next(runs[group]) for group in order), loads


# ---------------------------------------------------------------- decisions


DECISION_COLUMNS = (
    "subject_id",
    "kind",
    "region",
    "domain",
    "grade",
    "lists",
    "flags",
    "sampling_ratio",
    "inspections_min",
    "inspections_max",
    "measures",
    "rule_id",
    "policy_version",
    "policy_digest",
)
"""The columns of :func:`decide_partition`: the row's subject and facts, then its decision
(the ratio exact as text such as ``"1/20"``; ``inspections_max`` None for "as needed";
lists, flags and measures as sorted arrays)."""

_FIELDS = {"domain": "domain", "grade": "grade", "list kind": "lists", "flag": "flags"}


def decide_partition(
    population: Iterable[PopulationEntry], engine: Engine
) -> dict[str, list[object]]:
    """The decision of every entry of a partition, as columns (:data:`DECISION_COLUMNS`).

    Each decision is :meth:`Engine.decide_many <creditflow.Engine.decide_many>`'s for the
    entry's facts; every row is checked as a plan checks it, and the first bad one raises
    naming its file, line and field.
    """
    columns: dict[str, list[object]] = {name: [] for name in DECISION_COLUMNS}
    known: dict[Facts, tuple[object, ...]] = {}
    regions: set[str] = set()
    add = [columns[name].append for name in DECISION_COLUMNS]
    for entry in population:
        check_entry(entry)
        if entry.region not in regions:
            try:
                regions.add(check_token(entry.region, "region"))
            except InvalidInput as error:
                raise row_error(entry, str(error), "region") from None
        values = known.get(entry.facts) or known.setdefault(entry.facts, _decided(engine, entry))
        head = (entry.subject_id, entry.kind.value, entry.region)
        for append, value in zip(add, head + values, strict=True):
            append(value)
    return columns


def _decided(engine: Engine, entry: PopulationEntry) -> tuple[object, ...]:
    try:
        decision: Decision = engine.decide(entry.facts)
    except UnknownName as error:
        raise row_error(entry, str(error), _FIELDS.get(error.kind)) from None
    facts = decision.facts
    low, high = decision.inspections_per_year
    return (
        facts.domain,
        facts.grade,
        sorted(facts.lists),
        sorted(facts.flags),
        str(decision.sampling_ratio),
        low,
        high,
        sorted(decision.measures),
        decision.rule_id,
        decision.policy_version,
        decision.policy_digest,
    )
