"""``draw_plan`` on Dask: the same plan, byte for byte, as one process draws.

Each partition of the population is scanned on a worker (:func:`~creditflow.supervision.
partitions.scan_partition`); the client merges the scans (:func:`~creditflow.supervision.
partitions.merge_scans`), checks the pools and the cap, plans the visits and draws the
inspectors, itself or, asked to, each group of inspectors on a worker
(:func:`~creditflow.supervision.partitions.draw_group`). The plan is put together in plan
order, as :func:`creditflow.supervision.draw_plan` makes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from creditflow._gc import gc_paused
from creditflow._repr import shown
from creditflow._validation import ensure_iterable
from creditflow.errors import InvalidInput
from creditflow.rules.engine import Engine
from creditflow.scale._engines import PackTicket, engine_of, ticket_of
from creditflow.scale._imports import need
from creditflow.scale.sources import FilePart, FramePart, Partitions, partitions_of, population_of
from creditflow.supervision.draw import (
    Assigner,
    PlanSetup,
    assign_inspectors,
    chosen_of,
    finish_plan,
    setup_plan,
)
from creditflow.supervision.entries import Inspector
from creditflow.supervision.partitions import (
    GroupTask,
    PartitionScan,
    draw_group,
    group_tasks,
    inspector_groups,
    merge_groups,
    merge_scans,
    scan_partition,
)
from creditflow.supervision.plan import InspectionPlan
from creditflow.supervision.selection import select
from creditflow.supervision.strata import StratumDraw
from creditflow.supervision.verify import PlanVerification, verify_with

__all__ = ["Progress", "draw_plan", "verify_plan"]

Progress = Callable[[int, int, int], None]
"""Called as partitions are scanned: partitions done, partitions in all, rows read so far."""


def draw_plan(
    population: object,
    *,
    engine: Engine,
    period: int | str,
    seed: str | int,
    inspectors: Iterable[Inspector],
    quarters: bool = False,
    allow_over_cap: bool = False,
    client: Any = None,
    progress: Progress | None = None,
    inspectors_on_workers: bool = False,
) -> InspectionPlan:
    """Draw the plan of a partitioned population on a Dask cluster: the plan
    :func:`creditflow.supervision.draw_plan` draws from the same rows in one process, with
    the same digest, for any number and order of partitions.

    ``population`` is a directory of population files (CSV, JSON lines, Parquet; taken sorted
    by name), a list of such files, or a Dask DataFrame with the population columns. Workers
    read the files themselves: on a cluster, give paths every worker sees. ``client`` is a
    :class:`distributed.Client` (by default the current one). A bad row raises the error one
    process raises reading the partitions in order (file, line, field).

    The inspectors are drawn in this process, in plan order; with ``inspectors_on_workers``
    each group of inspectors that share no inspection is drawn on a worker and the results
    merged in plan order: the same plan (docs/scale.md says when that pays).
    """
    parts = partitions_of(population)
    setup = setup_plan(engine, period, seed, inspectors, quarters)
    client = _client(client)
    assign = _assigner(client) if inspectors_on_workers else assign_inspectors
    # The client builds millions of acyclic tuples from the scans: no cyclic collection
    # needs to walk them over and over (measured: a third of the client's time at 1M). The
    # one that follows the pause walks only the plan: the scans are freed by then.
    with gc_paused():
        return _draw(parts, engine, setup, client, progress, allow_over_cap, assign)


def _draw(
    parts: Partitions,
    engine: Engine,
    setup: PlanSetup,
    client: Any,
    progress: Progress | None,
    allow_over_cap: bool,
    assign: Assigner,
) -> InspectionPlan:
    ticket = ticket_of(engine.policy)
    keep_all: frozenset[str] = frozenset()
    while True:
        scans = _scan(client, parts, ticket, setup, keep_all, progress)
        _raise_first_error(parts, scans, engine, setup)
        selection = merge_scans(
            scans, engine=engine, seed=setup.seed, year=setup.year, keep_all=keep_all
        )
        del scans
        chosen = chosen_of(selection.draws, setup.settings)
        short = frozenset(name for name, picked in chosen.items() if picked is None)
        if not short or keep_all:
            break
        keep_all = short  # a second pass keeping every key of these strata, as one process
    picked = {name: kept or [] for name, kept in chosen.items()}
    return finish_plan(setup, engine, selection, picked, allow_over_cap, assign)


def verify_plan(
    plan: InspectionPlan,
    population: object,
    inspectors: Iterable[Inspector],
    *,
    engine: Engine | None = None,
    client: Any = None,
    progress: Progress | None = None,
) -> PlanVerification:
    """:func:`creditflow.supervision.verify_plan` with the plan drawn again on Dask from a
    partitioned population (a plan drawn in one process is verified the same way)."""
    ensure_iterable(inspectors, "inspectors")
    directory = list(inspectors)

    def again(engine: Engine, quarters: bool) -> InspectionPlan:
        return draw_plan(
            population,
            engine=engine,
            period=plan.year,
            seed=plan.seed,
            inspectors=directory,
            quarters=quarters,
            allow_over_cap=bool(plan.notes),
            client=client,
            progress=progress,
        )

    return verify_with(plan, engine, again)


def _client(client: Any) -> Any:
    distributed = need("distributed", "drawing a plan on Dask")
    if client is None:
        try:
            return distributed.default_client()
        except ValueError:
            raise InvalidInput(
                "no Dask client: pass client=distributed.Client(...) or start one first"
            ) from None
    if not isinstance(client, distributed.Client):
        raise InvalidInput(f"client must be a distributed.Client, got {shown(client)}")
    return client


def _scan(
    client: Any,
    parts: Partitions,
    ticket: PackTicket,
    setup: PlanSetup,
    keep_all: frozenset[str],
    progress: Progress | None,
) -> list[PartitionScan]:
    """Scan every partition on the cluster; the scans in partition order."""
    distributed = need("distributed", "drawing a plan on Dask")
    job = _Opaque((ticket, setup.seed, setup.year, setup.pools.conflicted_ids, keep_all))
    futures = [
        client.submit(_scan_part, part, data, job, pure=False)
        for part, data in zip(parts.parts, _inputs(client, parts), strict=True)
    ]
    order = {future.key: index for index, future in enumerate(futures)}
    scans: list[PartitionScan | None] = [None] * len(futures)
    rows = 0
    for done, future in enumerate(distributed.as_completed(futures), start=1):
        scan = future.result()
        future.release()  # the worker forgets the scan: its memory holds one at a time
        scans[order[future.key]] = scan
        rows += scan.size
        if progress is not None:
            progress(done, len(futures), rows)
    return [scan for scan in scans if scan is not None]


def _inputs(client: Any, parts: Partitions) -> list[Any]:
    if parts.frame is None:
        return [None] * len(parts.parts)
    return list(client.compute(parts.inputs()))


@attrs.frozen
class _Opaque:
    """A task's argument that Dask passes as it is, without looking inside for keys."""

    value: Any


def _scan_part(part: FilePart | FramePart, frame: Any, job: _Opaque) -> PartitionScan:
    """On a worker: the scan of one partition."""
    ticket, seed, year, conflicted, keep_all = job.value
    return scan_partition(
        population_of(part, frame),
        engine=engine_of(ticket),
        seed=seed,
        year=year,
        conflicted_ids=conflicted,
        keep_all=keep_all,
    )


def _raise_first_error(
    parts: Partitions, scans: Sequence[PartitionScan], engine: Engine, setup: PlanSetup
) -> None:
    """If a partition holds a bad row or two partitions seem to hold one subject in a domain,
    read the partitions in order in this process up to the last one concerned: that raises
    the error one process raises, where it raises it."""
    failed = [index for index, scan in enumerate(scans) if scan.failed]
    last = max([*failed[:1], *_duplicate_partitions(scans)], default=None)
    if last is None:
        return
    population = parts.entries(last)
    select(population, engine, setup.seed, setup.year, setup.pools.conflicted_ids)
    if failed:  # the scan failed where one process does not: never seen, kept as a safeguard
        raise InvalidInput(f"partition {failed[0]}: {scans[failed[0]].reason}")


def _duplicate_partitions(scans: Sequence[PartitionScan]) -> list[int]:
    """The partitions that hold a hash of ``domain|subject_id`` also met in another one (so
    far none in real data: the sort finds no two equal, and that is the end of it)."""
    numpy = need("numpy", "drawing a plan on Dask")
    hashes = [numpy.frombuffer(scan.ids, dtype=numpy.uint64) for scan in scans]
    if not hashes:
        return []
    values = numpy.sort(numpy.concatenate(hashes))
    repeated = values[1:][values[1:] == values[:-1]]
    if not len(repeated):
        return []
    return [index for index, h in enumerate(hashes) if numpy.isin(h, repeated).any()]


# ---------------------------------------------------------------- inspectors by group


def _assigner(client: Any) -> Assigner:
    def assign(
        planned: list[Any], draws: list[StratumDraw], setup: PlanSetup
    ) -> tuple[Iterable[list[int]], list[int]]:
        groups = inspector_groups(setup.pools)
        order, tasks = group_tasks(planned, draws, setup, groups)
        count = len(setup.pools.inspectors)
        settings = setup.settings
        batches = _batches(tasks, 2 * max(1, len(client.scheduler_info()["workers"])))
        futures = [
            client.submit(
                _draw_groups,
                _Opaque(batch),
                count,
                setup.seed,
                settings.load_tolerance,
                settings.inspectors_per_inspection,
                pure=False,
            )
            for batch in batches
        ]
        results: dict[int, tuple[list[list[int]], dict[int, int]]] = {}
        for future in futures:
            results.update(future.result().value)
        return merge_groups(order, results, count)

    return assign


def _batches(
    tasks: dict[int, list[GroupTask]], wanted: int
) -> list[list[tuple[int, list[GroupTask]]]]:
    """The groups in about ``wanted`` batches of similar numbers of inspections (largest
    group first, each to the lightest batch)."""
    batches: list[list[tuple[int, list[GroupTask]]]] = [[] for _ in range(min(wanted, len(tasks)))]
    sizes = [0] * len(batches)
    for group, items in sorted(tasks.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        lightest = sizes.index(min(sizes))
        batches[lightest].append((group, items))
        sizes[lightest] += len(items)
    return batches


def _draw_groups(batch: _Opaque, count: int, seed: str, tolerance: int, per: int) -> _Opaque:
    """On a worker: draw the inspectors of each group of the batch."""
    return _Opaque(
        {group: draw_group(items, count, seed, tolerance, per) for group, items in batch.value}
    )
