"""Deciding at scale: every row of a partitioned population decided, written back as Parquet.

Each partition is decided on a worker (:func:`~creditflow.supervision.partitions.
decide_partition`) and written as one Parquet file, ``part-00000.parquet`` and on, in the
order of the partitions. The files are written into a new folder beside the output and
renamed into place once every partition is done: nothing half-written. A bad row raises the
error of the first bad row in partition order.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from creditflow.errors import InvalidInput
from creditflow.rules.engine import Engine
from creditflow.scale._engines import PackTicket, engine_of, ticket_of
from creditflow.scale._imports import need
from creditflow.scale.plans import Progress, _client
from creditflow.scale.sources import FilePart, FramePart, partitions_of, population_of
from creditflow.supervision.partitions import DECISION_COLUMNS, decide_partition

__all__ = ["TableResult", "decide_table", "write_parquet"]


@attrs.frozen
class TableResult:
    """What :func:`decide_table` wrote: the rows and the Parquet files, in partition order."""

    rows: int
    files: tuple[Path, ...]


def decide_table(
    population: object,
    *,
    engine: Engine,
    output: str | os.PathLike[str],
    client: Any = None,
    progress: Progress | None = None,
) -> TableResult:
    """Decide every row of a partitioned population (files or a Dask DataFrame, as for
    :func:`~creditflow.scale.draw_plan`) and write the decisions as Parquet into ``output``
    (a new folder; an existing one is refused): one file per partition, with the columns
    :data:`~creditflow.supervision.partitions.DECISION_COLUMNS`."""
    need("pyarrow", "writing Parquet")
    distributed = need("distributed", "deciding on Dask")
    target = Path(output)
    if target.exists():
        raise InvalidInput(f"{target} exists: decisions are written into a new folder")
    parts = partitions_of(population)
    client = _client(client)
    ticket = ticket_of(engine.policy)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        inputs = parts.inputs() if parts.frame is not None else [None] * len(parts.parts)
        data = client.compute(inputs) if parts.frame is not None else inputs
        futures = [
            client.submit(_decide_part, part, frame, ticket, str(work / _name(i)), pure=False)
            for i, (part, frame) in enumerate(zip(parts.parts, data, strict=True))
        ]
        counts: list[int | None] = [None] * len(futures)
        where = {future.key: i for i, future in enumerate(futures)}
        for done, future in enumerate(distributed.as_completed(futures), start=1):
            counts[where[future.key]] = future.result()
            if progress is not None:
                progress(done, len(futures), sum(c for c in counts if c is not None and c > 0))
        for index, count in enumerate(counts):
            if count is None or count < 0:  # the first bad partition: raise its error here
                decide_partition(_only(parts, index), engine)
                raise InvalidInput(f"partition {index} could not be decided")
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    files = tuple(target / _name(i) for i in range(len(parts.parts)))
    return TableResult(sum(c for c in counts if c), files)


def _name(index: int) -> str:
    return f"part-{index:05d}.parquet"


def _only(parts: Any, index: int) -> Any:
    """The entries of partition ``index`` alone."""
    part = parts.parts[index]
    if isinstance(part, FilePart):
        return population_of(part)
    frame = parts.frame.get_partition(index).compute()
    return population_of(part, frame)


def _decide_part(part: FilePart | FramePart, frame: Any, ticket: PackTicket, path: str) -> int:
    """On a worker: decide a partition and write it; its row count, or -1 for a bad row."""
    from creditflow.errors import CreditflowError

    try:
        columns = decide_partition(population_of(part, frame), engine_of(ticket))
    except CreditflowError:
        return -1
    write_parquet(columns, path)
    return len(columns[DECISION_COLUMNS[0]])


def write_parquet(columns: Mapping[str, Sequence[object]], path: str | os.PathLike[str]) -> Path:
    """Write columns of plain values (text, numbers, None, lists of text) as a Parquet file."""
    pyarrow = need("pyarrow", "writing Parquet")
    parquet = need("pyarrow.parquet", "writing Parquet")
    table = pyarrow.table({name: list(values) for name, values in columns.items()})
    parquet.write_table(table, os.fspath(path))
    return Path(path)
