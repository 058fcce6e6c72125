"""Deciding and grading at scale: every row of a partitioned table, written back as Parquet.

Each partition is worked on a worker by a pure function (deciding:
:func:`~creditflow.supervision.partitions.decide_partition`; grading:
:func:`~creditflow.licensing.batches.grade_partition`) and written as one Parquet file,
``part-00000.parquet`` and on, in the order of the partitions. The files are written into a
new folder beside the output, renamed into place once every partition is done: nothing
half-written. A bad row raises the error of the first bad row in partition order (file,
line, field), as one process reading the partitions in order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from creditflow._repr import shown
from creditflow._validation import ensure_date
from creditflow.errors import CreditflowError, InvalidInput
from creditflow.licensing.batches import GRADE_COLUMNS, GRADE_INPUT_COLUMNS, grade_partition
from creditflow.rules.engine import Engine
from creditflow.scale._engines import PackTicket, engine_of, ticket_of
from creditflow.scale._imports import need
from creditflow.scale.plans import Progress, _client
from creditflow.scale.sources import (
    FilePart,
    FramePart,
    Partitions,
    part_name,
    partitions_of,
    population_of,
    rows_of,
)
from creditflow.supervision.partitions import DECISION_COLUMNS, decide_partition

__all__ = ["TableResult", "decide_table", "grade_table", "write_parquet"]

# Works one partition on a worker: (part, its frame or None, the engine) -> columns.
_Work = Callable[[FilePart | FramePart, Any, Engine], Mapping[str, Sequence[object]]]


@attrs.frozen
class TableResult:
    """What was written: the rows and the Parquet files, in partition order."""

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
    :data:`~creditflow.supervision.partitions.DECISION_COLUMNS`. Each file holds what
    :meth:`Engine.decide_many <creditflow.Engine.decide_many>` gives its rows' facts."""
    return _table(population, engine, output, client, progress, _Decide(), DECISION_COLUMNS)


def grade_table(
    rows: object,
    *,
    engine: Engine,
    on: dt.date,
    output: str | os.PathLike[str],
    client: Any = None,
    progress: Progress | None = None,
) -> TableResult:
    """Grade every row of partitioned files (every column of
    :data:`~creditflow.licensing.batches.GRADE_INPUT_COLUMNS`) or a Dask DataFrame with those
    columns: the grade in force on ``on`` by the pack's evaluation rules (dynamic downgrade,
    at most one grade up a year, new subjects), as :func:`~creditflow.licensing.grade_on`
    gives it, written as Parquet into ``output`` with the columns
    :data:`~creditflow.licensing.batches.GRADE_COLUMNS`."""
    day = ensure_date(on, "on")
    return _table(rows, engine, output, client, progress, _Grade(day), GRADE_COLUMNS)


@attrs.frozen
class _Decide:
    def __call__(
        self, part: FilePart | FramePart, frame: Any, engine: Engine
    ) -> Mapping[str, Sequence[object]]:
        return decide_partition(population_of(part, frame), engine)


@attrs.frozen
class _Grade:
    on: dt.date

    def __call__(
        self, part: FilePart | FramePart, frame: Any, engine: Engine
    ) -> Mapping[str, Sequence[object]]:
        rows = rows_of(part, frame, GRADE_INPUT_COLUMNS)
        return grade_partition(rows, engine.policy, self.on, part_name(part))


def _table(
    source: object,
    engine: Engine,
    output: str | os.PathLike[str],
    client: Any,
    progress: Progress | None,
    work: _Work,
    columns: Sequence[str],
) -> TableResult:
    need("pyarrow", "writing Parquet")
    distributed = need("distributed", "working on Dask")
    target = Path(output)
    if target.exists():
        raise InvalidInput(f"{target} exists: results are written into a new folder")
    parts = partitions_of(source)
    client = _client(client)
    ticket = ticket_of(engine.policy)
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        frames = _frames(client, parts)
        futures = [
            client.submit(
                _run, part, frame, ticket, work, columns[0], str(folder / _name(i)), pure=False
            )
            for i, (part, frame) in enumerate(zip(parts.parts, frames, strict=True))
        ]
        where = {future.key: index for index, future in enumerate(futures)}
        counts: list[int | None] = [None] * len(futures)
        for done, future in enumerate(distributed.as_completed(futures), start=1):
            counts[where[future.key]] = future.result()
            if progress is not None:
                progress(done, len(futures), sum(c for c in counts if c))
        for index, count in enumerate(counts):
            if count is None or count < 0:  # the first bad partition: its error, raised here
                work(parts.parts[index], _frame(parts, index), engine)
                raise InvalidInput(f"partition {index} could not be worked")
        folder.rename(target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    files = tuple(target / _name(i) for i in range(len(parts.parts)))
    return TableResult(sum(c for c in counts if c), files)


def _frames(client: Any, parts: Partitions) -> list[Any]:
    if parts.frame is None:
        return [None] * len(parts.parts)
    return list(client.compute(parts.inputs()))


def _frame(parts: Partitions, index: int) -> Any:
    return None if parts.frame is None else parts.frame.get_partition(index).compute()


def _name(index: int) -> str:
    return f"part-{index:05d}.parquet"


def _run(
    part: FilePart | FramePart, frame: Any, ticket: PackTicket, work: _Work, first: str, path: str
) -> int:
    """On a worker: work a partition and write it; its row count, or -1 for a bad row."""
    try:
        columns = work(part, frame, engine_of(ticket))
    except CreditflowError:
        return -1
    write_parquet(columns, path)
    return len(columns[first])


def write_parquet(columns: Mapping[str, Sequence[object]], path: str | os.PathLike[str]) -> Path:
    """Write columns of plain values (text, numbers, dates, None, lists of text), all of one
    length, as a Parquet file; written under a temporary name and renamed: never half a file."""
    pyarrow = need("pyarrow", "writing Parquet")
    parquet = need("pyarrow.parquet", "writing Parquet")
    if not isinstance(columns, Mapping) or not all(isinstance(k, str) for k in columns):
        raise InvalidInput(f"columns must map names to values, got {shown(columns)}")
    for name, values in columns.items():
        if isinstance(values, str | bytes) or not isinstance(values, Sequence):
            raise InvalidInput(f"column {shown(name)} must be a sequence, got {shown(values)}")
    if not isinstance(path, str | os.PathLike):
        raise InvalidInput(f"path must be a path, got {shown(path)}")
    target = Path(path)
    if not target.name:  # '' or '.': no file to name
        raise InvalidInput(f"path must name a file, got {shown(os.fspath(path))}")
    partial = target.with_name(f".{target.name}.partial")
    try:
        arrays = {name: _array(pyarrow, values) for name, values in columns.items()}
        parquet.write_table(pyarrow.table(arrays), os.fspath(partial))
        partial.replace(target)
    except (TypeError, ValueError, OSError) as error:  # pyarrow's errors subclass these
        with contextlib.suppress(OSError, ValueError):
            partial.unlink(missing_ok=True)
        raise InvalidInput(f"cannot write {target} as Parquet: {error}") from None
    return target


def _array(pyarrow: Any, values: Sequence[object]) -> Any:
    """A column as an Arrow array; a column of lists from its distinct list objects taken by
    index (the rows of one decision share their lists: converting each once is much faster).
    The column holds every list while their ids are compared."""
    if not values or not isinstance(values[0], list):
        return pyarrow.array(list(values))
    where: dict[int, int] = {}
    distinct: list[object] = []
    indices = []
    for value in values:
        index = where.get(id(value))
        if index is None:
            index = where[id(value)] = len(distinct)
            distinct.append(value)
        indices.append(index)
    return pyarrow.array(distinct).take(pyarrow.array(indices, type=pyarrow.int32()))
