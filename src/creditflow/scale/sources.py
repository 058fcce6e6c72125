"""Partitioned populations: files (CSV, JSON lines, Parquet) or a Dask DataFrame.

A partition is read on a worker, where :func:`population_of` makes its entries; the client
reads the same partitions in order when it must raise the error one process would.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from creditflow._repr import shown
from creditflow.errors import InvalidInput
from creditflow.supervision.entries import PopulationEntry
from creditflow.supervision.readers import (
    PopulationFiles,
    population_entries,
    read_partitions,
    read_population,
    read_rows,
    table_rows,
)

__all__ = [
    "FilePart",
    "FramePart",
    "Partitions",
    "frame_entries",
    "part_name",
    "partitions_of",
    "population_of",
    "rows_of",
]


@attrs.frozen
class FilePart:
    """A partition that is a file, read on a worker (it must see the same path)."""

    path: str
    size: int


@attrs.frozen
class FramePart:
    """A partition of a Dask DataFrame: its number; the frame arrives as a task's input."""

    name: str
    index: int


@attrs.frozen
class Partitions:
    """The partitions of a population, in order, and how to get each one's rows."""

    parts: tuple[FilePart | FramePart, ...]
    frame: Any = None  # the Dask DataFrame, for FramePart partitions

    def inputs(self) -> list[Any]:
        """What each partition's task takes: the part, or the frame's delayed partition."""
        if self.frame is None:
            return list(self.parts)
        return list(self.frame.to_delayed())

    def entries(self, upto: int) -> Iterable[PopulationEntry]:
        """The entries of partitions ``0 .. upto``, in order, read here (the client)."""
        if self.frame is None:
            paths = [Path(p.path) for p in self.parts[: upto + 1]]  # type: ignore[union-attr]
            return PopulationFiles(tuple(paths))
        return _frame_entries(self, upto)


def _frame_entries(partitions: Partitions, upto: int) -> Iterator[PopulationEntry]:
    for part in partitions.parts[: upto + 1]:
        assert isinstance(part, FramePart)
        frame = partitions.frame.get_partition(part.index).compute()
        yield from frame_entries(frame, part)


def partitions_of(population: object, name: str = "<dataframe>") -> Partitions:
    """The partitions of a directory or list of files, or of a Dask DataFrame (whose rows
    are named ``<name> partition <i>`` and their number in it from 1)."""
    if _is_dask_frame(population):
        count = population.npartitions  # type: ignore[attr-defined]
        return Partitions(tuple(FramePart(name, i) for i in range(count)), population)
    if not isinstance(population, str | os.PathLike) and (
        isinstance(population, bytes | bytearray) or not isinstance(population, Iterable)
    ):
        raise InvalidInput(
            "population must be a directory, a list of files or a Dask DataFrame, "
            f"got {shown(population)}"
        )
    files = read_partitions(population)
    return Partitions(tuple(FilePart(str(p), _size(p)) for p in files.paths))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read: {error.strerror}") from None


def _is_dask_frame(value: object) -> bool:
    module = type(value).__module__
    return module.startswith("dask") and hasattr(value, "npartitions")


def population_of(part: FilePart | FramePart, frame: Any = None) -> Iterable[PopulationEntry]:
    """The entries of a partition, on the worker that reads it."""
    if isinstance(part, FilePart):
        return read_population(part.path)
    return frame_entries(frame, part)


def frame_entries(frame: Any, part: FramePart) -> Iterator[PopulationEntry]:
    """The entries of a pandas DataFrame's rows, checked as a file's rows are; missing values
    (NaN, None, NA) are empty, dates are dates."""
    return population_entries(part_name(part), *_frame_rows(frame))


def part_name(part: FilePart | FramePart) -> str:
    """How errors name the partition: its path, or ``<name> partition <i>``."""
    return part.path if isinstance(part, FilePart) else f"{part.name} partition {part.index}"


def rows_of(
    part: FilePart | FramePart, frame: Any, columns: Sequence[str]
) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a partition with these columns: each row's line and values in order."""
    if isinstance(part, FilePart):
        return read_rows(part.path, columns)
    header, rows = _frame_rows(frame)
    return table_rows(part_name(part), header, columns, rows, lambda n, v: (n, list(v)))


def _frame_rows(frame: Any) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    columns = [str(c) for c in frame.columns]
    rows = (tuple(_plain(v) for v in row) for row in frame.itertuples(index=False, name=None))
    return columns, rows


def _plain(value: Any) -> Any:
    """A pandas cell as the readers take it: None for a missing value, a date for a
    timestamp, a tuple for an array."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    kind = type(value).__name__
    if kind in ("NAType", "NaTType"):
        return None
    if kind == "Timestamp":
        return value.date()
    if kind == "ndarray":
        return tuple(value.tolist())
    return value
