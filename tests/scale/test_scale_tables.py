"""Deciding and grading on Dask: each partition's Parquet file equals the single process."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow.parquet as parquet
import pytest
from scale_builders import rows, write_csv, write_parts

import creditflow
from creditflow.errors import InvalidInput, InvalidRow
from creditflow.licensing.batches import GRADE_INPUT_COLUMNS, grade_row
from creditflow.scale import decide_table, grade_table, write_parquet
from creditflow.supervision import read_partitions

ON = dt.date(2026, 12, 31)


def read_back(files: tuple[Path, ...]) -> list[dict[str, Any]]:
    return [row for path in files for row in parquet.read_table(path).to_pylist()]


def test_decisions_written_back_are_decide_many_of_the_same_rows(
    tmp_path: Path, engine: creditflow.Engine, client: Any
) -> None:
    folder = write_parts(tmp_path / "parts", rows(10_000, seed=3), 3)
    result = decide_table(folder, engine=engine, output=tmp_path / "decided", client=client)
    assert result.rows == 10_000 and len(result.files) == 3
    written = read_back(result.files)
    entries = list(read_partitions(folder))
    decisions = engine.decide_many([e.facts for e in entries])
    assert [r["subject_id"] for r in written] == [e.subject_id for e in entries]
    for row, decision in zip(written, decisions, strict=True):
        low, high = decision.inspections_per_year
        assert (row["sampling_ratio"], row["inspections_min"], row["inspections_max"]) == (
            str(decision.sampling_ratio), low, high,
        )  # fmt: skip
        assert (row["rule_id"], row["policy_digest"]) == (decision.rule_id, engine.policy.digest)
        assert row["measures"] == sorted(decision.measures)


def test_a_bad_row_decides_nothing_and_names_the_row(
    tmp_path: Path, engine: creditflow.Engine, client: Any
) -> None:
    table = rows(3_000, seed=3)
    table[1201][4] = "railways"  # partition 1201 % 3 = 1, line 400 + 2
    folder = write_parts(tmp_path / "parts", table, 3, shuffle=None)
    with pytest.raises(InvalidRow) as caught:
        decide_table(folder, engine=engine, output=tmp_path / "decided", client=client)
    assert caught.value.source.endswith("part-01.csv")
    assert (caught.value.line, caught.value.field) == (402, "domain")
    assert not (tmp_path / "decided").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["parts"]  # no half-written folder
    with pytest.raises(InvalidInput, match="exists"):
        decide_table(folder, engine=engine, output=tmp_path / "parts", client=client)


GRADE_ROWS = [
    # subject, domain, score, evaluated_on, previous, listed_on, list_until, record_on, records
    ("91230123000000019R", "highway_construction", 97, "2026-03-01", 70, "", "", "", ""),
    ("91230123000000027L", "highway_construction", 88, "2026-03-01", "", "", "", "", ""),
    ("91230123000000035F", "highway_construction", 96, "2026-03-01", 96, "2026-06-01",
     "2029-06-01", "", ""),
    ("91230123000000043A", "road_transport", 91, "2026-03-01", "", "", "", "2026-10-01", ""),
    ("912301230000000515", "work_safety", "", "", "", "", "", "", 1),
    ("230123198004110004", "road_transport", "", "", "", "", "", "", ""),
]  # fmt: skip


def test_grades_follow_the_evaluation_rules_as_grade_on_does(
    tmp_path: Path, policy: creditflow.Policy, engine: creditflow.Engine, client: Any
) -> None:
    table = [[str(v) for v in row] for row in GRADE_ROWS * 500]
    for number, row in enumerate(table):  # the same facts under many subjects
        row[0] = GRADE_ROWS[number % len(GRADE_ROWS)][0]
    folder = tmp_path / "grades"
    folder.mkdir()
    for index in range(2):
        write_csv(folder / f"part-{index}.csv", GRADE_INPUT_COLUMNS, table[index::2])
    result = grade_table(folder, engine=engine, on=ON, output=tmp_path / "graded", client=client)
    written = read_back(result.files)
    assert result.rows == len(table)
    hows = {(r["subject_id"], r["grade"], r["how"]) for r in written}
    assert hows == {
        ("91230123000000019R", "B", "capped_upgrade"),  # 70 (C) to 97: one grade up a year
        ("91230123000000027L", "A", "evaluation"),
        ("91230123000000035F", "D", "serious_list"),
        ("91230123000000043A", "D", "serious_breach"),  # dynamic downgrade
        ("912301230000000515", "B", "default_record"),  # new, with a record
        ("230123198004110004", "A", "default"),  # new, no record
    }
    for row in written[:6]:
        values = next(r for r in GRADE_ROWS if r[0] == row["subject_id"])
        single = grade_row(policy, tuple(None if v == "" else v for v in values), ON)
        assert (row["grade"], row["how"], row["since"], row["until"]) == (
            single.grade, single.how, single.since, single.until,
        )  # fmt: skip


def test_a_bad_grade_row_is_named(tmp_path: Path, engine: creditflow.Engine, client: Any) -> None:
    table = [[str(v) for v in row] for row in GRADE_ROWS]
    table[3][3] = "2026-13-01"
    write_csv(tmp_path / "part-0.csv", GRADE_INPUT_COLUMNS, table)
    with pytest.raises(InvalidRow) as caught:
        grade_table([tmp_path / "part-0.csv"], engine=engine, on=ON,
                    output=tmp_path / "graded", client=client)  # fmt: skip
    assert (caught.value.line, caught.value.field) == (5, "evaluated_on")
    assert "evaluated_on" in str(caught.value)


def test_a_dask_dataframe_is_decided_as_its_files(
    tmp_path: Path, engine: creditflow.Engine, client: Any
) -> None:
    import dask.dataframe as dd

    folder = write_parts(tmp_path / "parts", rows(4_000, seed=8), 2, fmt="parquet")
    from_files = decide_table(folder, engine=engine, output=tmp_path / "a", client=client)
    frame = dd.read_parquet(str(folder))
    from_frame = decide_table(frame, engine=engine, output=tmp_path / "b", client=client)
    assert read_back(from_frame.files) == read_back(from_files.files)


@pytest.mark.parametrize("path", ["", ".", "/"])
def test_write_parquet_needs_a_path_that_names_a_file(path: str) -> None:
    with pytest.raises(InvalidInput, match="path must name a file"):
        write_parquet({"a": ["x", None]}, path)
