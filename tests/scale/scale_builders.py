"""Builders for the scale tests: a population split into shuffled partitions, a cluster."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Sequence
from pathlib import Path

from creditflow.demo.files import inspector_rows, population_rows
from creditflow.scale import write_parquet
from creditflow.supervision import INSPECTOR_COLUMNS, POPULATION_COLUMNS

Row = list[str]


def rows(subjects: int, seed: int = 7) -> list[Row]:
    """The rows of a synthetic province (lists, flags, low-risk subjects inspected this year)."""
    return list(population_rows(0, subjects, seed))


def write_inspectors(path: Path, count: int, subjects: int, seed: int = 7) -> Path:
    """An inspector directory whose declared conflicts (回避) name subjects of the population."""
    write_csv(path, INSPECTOR_COLUMNS, list(inspector_rows(count, subjects, seed)))
    return path


def write_csv(path: Path, columns: Sequence[str], table: Sequence[Row]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(table)
    return path


def write_parts(
    folder: Path, table: Sequence[Row], parts: int, *, shuffle: int | None = 1, fmt: str = "csv"
) -> Path:
    """The rows shuffled (by the seed ``shuffle``) and dealt into ``parts`` files named in
    order: part-00.csv and on (or .jsonl, .parquet)."""
    folder.mkdir(parents=True, exist_ok=True)
    dealt = list(table)
    if shuffle is not None:
        random.Random(shuffle).shuffle(dealt)
    for index in range(parts):
        chunk = dealt[index::parts]
        path = folder / f"part-{index:02d}.{fmt}"
        if fmt == "csv":
            write_csv(path, POPULATION_COLUMNS, chunk)
        elif fmt == "jsonl":
            lines = (json.dumps(dict(zip(POPULATION_COLUMNS, r, strict=True))) for r in chunk)
            path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        else:
            columns = list(zip(*chunk, strict=True)) if chunk else [[]] * len(POPULATION_COLUMNS)
            write_parquet(dict(zip(POPULATION_COLUMNS, map(list, columns), strict=True)), path)
    return folder
