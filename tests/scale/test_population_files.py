"""The partitioned synthetic population: deterministic, valid and unique ids at any size."""

from __future__ import annotations

import importlib.util
import io
from contextlib import redirect_stdout
from pathlib import Path
from types import ModuleType

import pytest

from creditflow.cli import main
from creditflow.core import is_valid_resident_id, is_valid_uscc
from creditflow.core.subjects import PLATE_PATTERN
from creditflow.demo.files import enterprise_id, person_id, plate, write_population_files
from creditflow.errors import InvalidInput
from creditflow.licensing.batches import GRADE_INPUT_COLUMNS
from creditflow.supervision import read_inspectors, read_partitions
from creditflow.supervision.readers import read_rows

BENCHMARKS = Path(__file__).parents[2] / "benchmarks"
FAR = (0, 1, 2_399_999, 2_400_000, 3_650_000, 9_999_999, 49_999_999)


def test_identifiers_are_valid_and_unique_far_past_ten_million() -> None:
    assert all(is_valid_uscc(enterprise_id(n)) for n in FAR)
    assert all(is_valid_resident_id(person_id(n)) for n in FAR)
    assert all(PLATE_PATTERN.fullmatch(plate(n)) for n in FAR)
    for make in (enterprise_id, person_id, plate):
        sample = [make(n) for n in range(0, 60_000_000, 7_919)]
        assert len(set(sample)) == len(sample)
    assert plate(2_400_000) != plate(0)


def _plan_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("plan_benchmark", BENCHMARKS / "plan.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_plan_benchmark_has_plates_and_ids_past_2_4_million() -> None:
    bench = _plan_benchmark()
    plates = [bench.plate(n) for n in FAR]
    ids = [bench.resident_id(n) for n in FAR]
    assert all(PLATE_PATTERN.fullmatch(p) for p in plates) and len(set(plates)) == len(FAR)
    assert all(is_valid_resident_id(i) for i in ids) and len(set(ids)) == len(FAR)
    assert bench.plate(2_399_999) == "黑Z99999"  # the first 2.4 M unchanged


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    one = write_population_files(tmp_path / "a", 2_500, seed=3, rows_per_file=1_000)
    two = write_population_files(tmp_path / "b", 2_500, seed=3, rows_per_file=1_000)
    assert [p.read_bytes() for p in one] == [p.read_bytes() for p in two]
    assert [p.name for p in one] == [
        "part-00000.csv", "part-00001.csv", "part-00002.csv", "inspectors.csv",
    ]  # fmt: skip
    other = write_population_files(tmp_path / "c", 2_500, seed=4, rows_per_file=1_000)
    assert one[0].read_bytes() != other[0].read_bytes()
    entries = list(read_partitions(tmp_path / "a" / "population"))
    assert len(entries) == 2_500 and len({e.subject_id for e in entries}) == 2_500
    assert len(list(read_inspectors(one[-1]))) == 1_000


def test_parquet_files_hold_the_rows_of_the_csv_files(tmp_path: Path) -> None:
    write_population_files(tmp_path / "csv", 1_500, rows_per_file=600)
    write_population_files(tmp_path / "pq", 1_500, rows_per_file=600, format="parquet")
    as_csv = list(read_partitions(tmp_path / "csv" / "population"))
    as_parquet = list(read_partitions(tmp_path / "pq" / "population"))
    assert [e[:6] for e in as_csv] == [e[:6] for e in as_parquet]


@pytest.mark.parametrize(("subjects", "rows"), [(0, 10), (10, 0), (True, 10), (100_000_001, 10)])
def test_bad_sizes_are_refused(tmp_path: Path, subjects: int, rows: int) -> None:
    with pytest.raises(InvalidInput):
        write_population_files(tmp_path, subjects, rows_per_file=rows)


def test_the_command_writes_the_files(tmp_path: Path) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["demo", "population", "--subjects", "1200", "--rows-per-file", "500",
                     "-o", str(tmp_path / "p"), "--seed", "9", "--grades"])  # fmt: skip
    assert code == 0
    assert "1,200 subjects in 3 files" in out.getvalue()
    assert "rows to grade in 3 files" in out.getvalue()
    graded = list(read_rows(tmp_path / "p" / "grades" / "part-00000.csv", GRADE_INPUT_COLUMNS))
    assert 400 < len(graded) < 500  # no vehicles
    assert {is_valid_uscc(r[0]) or is_valid_resident_id(r[0]) for _, r in graded} == {True}
    files = write_population_files(tmp_path / "q", 1_200, seed=9, rows_per_file=500)
    assert (tmp_path / "p" / "population" / "part-00002.csv").read_bytes() == files[2].read_bytes()
