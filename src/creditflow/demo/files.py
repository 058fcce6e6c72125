"""A synthetic population as partitioned files (检查对象名录库), deterministic by seed, any size.

``creditflow demo population --subjects N -o DIR`` writes ``DIR/population/part-00000.csv``
(or ``.parquet``) and on, ``rows_per_file`` rows each, and ``DIR/inspectors.csv``. Each file
is made from its own random stream (``seed`` and its number), so the same seed gives the
same files, and any file can be made alone. The shape is a province's: 85 % enterprises,
10 % persons, 5 % vehicles, five domains, 100 counties, most grades A or B, a few subjects
on a list, a fifth inspected earlier in the year.

Identifiers are valid and unique up to 100,000,000 subjects: a unified social credit code
around the subject's number, a resident ID from its number (county, birth date, sequence:
2,000,000,000 of them), and a plate from its number (31 provinces, 24 letters, 100,000
numbers: 74,400,000 plates).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from creditflow._repr import shown
from creditflow.core.identifiers import (
    organisation_code_check_character,
    resident_id_check_character,
    uscc_check_character,
)
from creditflow.demo.population import DOMAINS
from creditflow.errors import InvalidInput
from creditflow.licensing.batches import GRADE_INPUT_COLUMNS
from creditflow.supervision.readers import INSPECTOR_COLUMNS, POPULATION_COLUMNS

__all__ = [
    "MAX_SUBJECTS",
    "REGIONS",
    "enterprise_id",
    "grade_rows",
    "inspector_rows",
    "person_id",
    "plate",
    "population_rows",
    "write_grade_files",
    "write_population_files",
]

FileFormat = Literal["csv", "parquet"]
MAX_SUBJECTS = 100_000_000
"""The most subjects the generator numbers with unique identifiers."""
REGIONS = tuple(f"23{i // 10:02d}{i % 10 + 21:02d}" for i in range(100))
"""100 county codes (the province's areas whose inspectors may inspect a subject)."""
GRADES, GRADE_WEIGHTS = ("AA", "A", "B", "C", "D"), (0.10, 0.40, 0.35, 0.10, 0.05)
LISTS = (("serious", 0.01), ("watch", 0.03), ("red", 0.05))
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O
_FIRST_BIRTH = dt.date(1950, 1, 1)
_BIRTH_DAYS = 20_000  # 1950 to 2004


def enterprise_id(number: int) -> str:
    """A valid unified social credit code, unique per ``number`` below :data:`MAX_SUBJECTS`."""
    body = f"{number:08d}"
    region = REGIONS[number % len(REGIONS)]
    first17 = f"91{region}{body}{organisation_code_check_character(body)}"
    return first17 + uscc_check_character(first17)


def person_id(number: int) -> str:
    """A valid resident ID, unique per ``number`` below 2,000,000,000: county, birth date and
    sequence number from it."""
    region, rest = REGIONS[number % len(REGIONS)], number // len(REGIONS)
    born = _FIRST_BIRTH + dt.timedelta(days=(rest // 1000) % _BIRTH_DAYS)
    first17 = f"{region}{born:%Y%m%d}{rest % 1000:03d}"
    return first17 + resident_id_check_character(first17)


def plate(number: int) -> str:
    """A licence plate, unique per ``number`` below 74,400,000."""
    letters = len(_PLATE_LETTERS)
    province, rest = divmod(number // 100_000, letters)
    if province >= len(_PROVINCES):
        raise InvalidInput(f"no plate is left for subject number {number}")
    return f"{_PROVINCES[province]}{_PLATE_LETTERS[rest]}{number % 100_000:05d}"


def population_rows(first: int, count: int, seed: int) -> Iterator[list[str]]:
    """The rows of subjects ``first`` to ``first + count - 1``, in the population columns,
    from the random stream of ``seed`` and ``first``."""
    rng = random.Random(f"creditflow-population|{seed}|{first}")
    for number in range(first, first + count):
        draw = rng.random()
        if draw < 0.85:
            kind, subject_id, name = "enterprise", enterprise_id(number), f"运输企业{number}"
        elif draw < 0.95:
            kind, subject_id, name = "person", person_id(number), f"张{number}"
        else:
            kind, subject_id, name = "vehicle", plate(number), f"车辆{number}"
        lists = ";".join(kind for kind, share in LISTS if rng.random() < share)
        flags = "commitment_breached" if rng.random() < 0.02 else ""
        last = f"2026-{rng.randint(1, 3):02d}-15" if rng.random() < 0.2 else ""
        grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
        region = REGIONS[rng.randrange(len(REGIONS))]
        domain = DOMAINS[rng.randrange(len(DOMAINS))]
        yield [subject_id, kind, name, region, domain, grade, lists, flags, last]


def grade_rows(first: int, count: int, seed: int) -> Iterator[list[str]]:
    """Rows to grade (:data:`~creditflow.licensing.batches.GRADE_INPUT_COLUMNS`) for the
    enterprises and persons among subjects ``first`` to ``first + count - 1`` (vehicles are
    not evaluated): this year's score and last year's, a few on the serious list, a few with
    a serious record, a few new subjects with or without records."""
    rng = random.Random(f"creditflow-grades|{seed}|{first}")
    for number in range(first, first + count):
        draw = rng.random()
        if draw >= 0.95:
            continue
        subject_id = enterprise_id(number) if draw < 0.85 else person_id(number)
        domain = DOMAINS[rng.randrange(len(DOMAINS))]
        new = rng.random() < 0.05
        score = "" if new else str(rng.randint(50, 100))
        previous = "" if new or rng.random() < 0.1 else str(rng.randint(50, 100))
        evaluated = "" if new else f"2026-03-{rng.randint(1, 28):02d}"
        since, until = ("2026-05-01", "2029-04-30") if rng.random() < 0.01 else ("", "")
        record = f"2026-{rng.randint(1, 11):02d}-10" if rng.random() < 0.02 else ""
        records = str(rng.randint(1, 3)) if new and rng.random() < 0.5 else ""
        yield [subject_id, domain, score, evaluated, previous, since, until, record, records]


def inspector_rows(count: int, subjects: int, seed: int) -> Iterator[list[str]]:
    """``count`` inspectors evenly over the counties, two domains each in turn (every domain
    of a county has two once ``count`` reaches 500), a few declared conflicts each."""
    rng = random.Random(f"creditflow-inspectors|{seed}")
    for number in range(count):
        conflicts = ";".join(
            enterprise_id(rng.randrange(subjects)) for _ in range(rng.randint(0, 2))
        )
        turn = number // len(REGIONS)
        domains = f"{DOMAINS[turn % 5]};{DOMAINS[(turn + 1) % 5]}"
        region = REGIONS[number % len(REGIONS)]
        yield [f"ZF{number:06d}", f"执法{number}", region, domains, conflicts]


def write_population_files(
    folder: str | os.PathLike[str],
    subjects: int,
    *,
    seed: int = 2026,
    rows_per_file: int = 100_000,
    format: FileFormat = "csv",
    inspectors: int | None = None,
) -> list[Path]:
    """Write the population in files of ``rows_per_file`` rows under ``folder/population``
    and the inspector directory as ``folder/inspectors.csv`` (``inspectors`` officers, by
    default one per 200 subjects and at least 1,000); the paths written, inspectors last."""
    for name, value, low in (("subjects", subjects, 1), ("rows_per_file", rows_per_file, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise InvalidInput(f"{name} must be an int >= {low}, got {shown(value)}")
    if subjects > MAX_SUBJECTS:
        raise InvalidInput(f"subjects={subjects} is more than {MAX_SUBJECTS:,}")
    if format not in ("csv", "parquet"):
        raise InvalidInput(f"format must be 'csv' or 'parquet', got {shown(format)}")
    officers = max(1_000, subjects // 200) if inspectors is None else inspectors
    root = Path(folder)
    parts = root / "population"
    parts.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, first in enumerate(range(0, subjects, rows_per_file)):
        rows = population_rows(first, min(rows_per_file, subjects - first), seed)
        path = parts / f"part-{index:05d}.{format}"
        _write(path, POPULATION_COLUMNS, rows, format)
        paths.append(path)
    path = root / "inspectors.csv"
    _write(path, INSPECTOR_COLUMNS, inspector_rows(officers, subjects, seed), "csv")
    return [*paths, path]


def write_grade_files(
    folder: str | os.PathLike[str],
    subjects: int,
    *,
    seed: int = 2026,
    rows_per_file: int = 100_000,
    format: FileFormat = "csv",
) -> list[Path]:
    """Write rows to grade for the subjects of :func:`write_population_files` (the same
    numbers and seed) under ``folder/grades``, a file per ``rows_per_file`` subjects."""
    parts = Path(folder) / "grades"
    parts.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, first in enumerate(range(0, subjects, rows_per_file)):
        rows = grade_rows(first, min(rows_per_file, subjects - first), seed)
        path = parts / f"part-{index:05d}.{format}"
        _write(path, GRADE_INPUT_COLUMNS, rows, format)
        paths.append(path)
    return paths


def _write(path: Path, columns: tuple[str, ...], rows: Iterator[list[str]], format: str) -> None:
    """Write a file whole under a temporary name, then rename it: never half a file."""
    partial = path.with_name(f".{path.name}.partial")
    if format == "parquet":
        from creditflow.scale.tables import write_parquet

        data = list(zip(*rows, strict=True))
        write_parquet({c: list(v) for c, v in zip(columns, data, strict=True)}, partial)
    else:
        with partial.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(rows)
    partial.replace(path)
