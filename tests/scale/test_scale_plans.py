"""Plans drawn on a Dask cluster are the plans one process draws: same digest, same errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scale_builders import rows, write_csv, write_inspectors, write_parts

import creditflow
from creditflow.errors import InfeasiblePlan, InvalidRow
from creditflow.scale import draw_plan as draw_on_dask
from creditflow.scale import verify_plan as verify_on_dask
from creditflow.supervision import (
    POPULATION_COLUMNS,
    InspectionPlan,
    draw_plan,
    read_inspectors,
    read_partitions,
    read_population,
    verify_plan,
)

SEED = "20260105"


def one_process(
    population: Any, inspectors: Path, engine: creditflow.Engine, **kw: Any
) -> InspectionPlan:
    return draw_plan(population, engine=engine, period=2026, seed=SEED,
                     inspectors=read_inspectors(inspectors), **kw)  # fmt: skip


def on_dask(
    population: Any, inspectors: Path, engine: creditflow.Engine, client: Any, **kw: Any
) -> InspectionPlan:
    return draw_on_dask(population, engine=engine, period=2026, seed=SEED,
                        inspectors=read_inspectors(inspectors), client=client, **kw)  # fmt: skip


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[list[str]]]:
    """20,000 subjects in one CSV file, and 1,000 inspectors with declared conflicts."""
    folder = tmp_path_factory.mktemp("province")
    table = rows(20_000)
    population = write_csv(folder / "population.csv", POPULATION_COLUMNS, table)
    return population, write_inspectors(folder / "inspectors.csv", 1_000, 20_000), table


@pytest.mark.parametrize(
    ("parts", "quarters", "on_workers"), [(1, True, False), (3, False, True), (16, True, True)]
)
def test_any_partitioning_in_any_order_draws_the_plan_of_one_process(
    province: tuple[Path, Path, list[list[str]]],
    tmp_path: Path,
    engine: creditflow.Engine,
    client: Any,
    parts: int,
    quarters: bool,
    on_workers: bool,
) -> None:
    population, inspectors, table = province
    expected = one_process(read_population(population), inspectors, engine, quarters=quarters)
    folder = write_parts(tmp_path / "parts", table, parts, shuffle=parts)
    plan = on_dask(
        folder, inspectors, engine, client, quarters=quarters, inspectors_on_workers=on_workers
    )
    assert plan.digest == expected.digest
    # what the draw exercised: recusal, low-risk subjects left out, several visits
    assert any(s.exempt for s in plan.strata)
    assert any(s.visits > 1 and s.drawn for s in plan.strata)
    conflicts = {i.inspector_id: i.conflicts for i in read_inspectors(inspectors)}
    drawn = {i.subject_id for i in plan.inspections}
    assert drawn & set().union(*conflicts.values())
    assert all(i.subject_id not in conflicts[x] for i in plan.inspections for x in i.inspectors)


def test_a_province_of_200000_in_16_shuffled_partitions_draws_the_same_plan(
    tmp_path: Path, engine: creditflow.Engine, client: Any
) -> None:
    table = rows(200_000, seed=11)
    population = write_csv(tmp_path / "population.csv", POPULATION_COLUMNS, table)
    inspectors = write_inspectors(tmp_path / "inspectors.csv", 2_000, 200_000, seed=11)
    expected = one_process(read_population(population), inspectors, engine, quarters=True)
    folder = write_parts(tmp_path / "parts", table, 16, shuffle=3, fmt="parquet")
    plan = on_dask(folder, inspectors, engine, client, quarters=True, inspectors_on_workers=True)
    assert plan.digest == expected.digest
    assert plan.population_size == 200_000


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_json_lines_and_parquet_partitions_draw_the_same_plan(
    province: tuple[Path, Path, list[list[str]]],
    tmp_path: Path,
    engine: creditflow.Engine,
    client: Any,
    fmt: str,
) -> None:
    population, inspectors, table = province
    expected = one_process(read_population(population), inspectors, engine)
    folder = write_parts(tmp_path / "parts", table, 3, fmt=fmt)
    assert one_process(read_partitions(folder), inspectors, engine).digest == expected.digest
    assert on_dask(folder, inspectors, engine, client).digest == expected.digest


def test_a_dask_dataframe_draws_the_same_plan(
    province: tuple[Path, Path, list[list[str]]],
    tmp_path: Path,
    engine: creditflow.Engine,
    client: Any,
) -> None:
    import dask.dataframe as dd

    population, inspectors, table = province
    expected = one_process(read_population(population), inspectors, engine, quarters=True)
    folder = write_parts(tmp_path / "parts", table, 4, fmt="parquet")
    frame = dd.read_parquet(str(folder))
    assert frame.npartitions > 1
    assert on_dask(frame, inspectors, engine, client, quarters=True).digest == expected.digest


def test_a_plan_drawn_either_way_is_verified_either_way(
    province: tuple[Path, Path, list[list[str]]],
    tmp_path: Path,
    engine: creditflow.Engine,
    client: Any,
) -> None:
    population, inspectors, table = province
    folder = write_parts(tmp_path / "parts", table, 3)
    single = one_process(read_population(population), inspectors, engine)
    dask_plan = on_dask(folder, inspectors, engine, client)
    directory = read_inspectors(inspectors)
    assert verify_on_dask(single, folder, directory, client=client).confirmed
    assert verify_plan(dask_plan, read_partitions(folder), read_inspectors(inspectors)).confirmed
    forged = InspectionPlan.from_data({**dask_plan.to_data(), "seed": "another"})
    result = verify_on_dask(forged, folder, read_inspectors(inspectors), client=client)
    assert not result.confirmed and result.difference is not None


def _cap_pack(folder: Path) -> Path:
    path = folder / "capped.toml"
    path.write_text(
        'format = 1\n\n[pack]\nname = "capped"\nversion = "2026.1"\n'
        'extends = "national-transport@2026.1"\n'
        'title = { zh = "上限示例", en = "Capped example" }\n'
        'effective_from = 2026-04-01\nbasis = "示例"\nsource = "configurable"\n\n'
        '[inspection]\noverall_cap = { value = "1/20", basis = "示例：抽查总数不超过5%", '
        'source = "configurable" }\n',
        encoding="utf-8",
    )
    return path


def test_the_overall_cap_is_refused_and_allowed_as_in_one_process(
    province: tuple[Path, Path, list[list[str]]], tmp_path: Path, client: Any
) -> None:
    population, inspectors, table = province
    engine = creditflow.Engine(creditflow.load_policy(_cap_pack(tmp_path)))
    folder = write_parts(tmp_path / "parts", table, 3)
    with pytest.raises(InfeasiblePlan) as single:
        one_process(read_population(population), inspectors, engine)
    with pytest.raises(InfeasiblePlan) as spread:
        on_dask(folder, inspectors, engine, client)
    assert str(spread.value) == str(single.value)
    expected = one_process(read_population(population), inspectors, engine, allow_over_cap=True)
    plan = on_dask(folder, inspectors, engine, client, allow_over_cap=True)
    assert plan.notes and plan.digest == expected.digest


def _error(call: Any) -> InvalidRow:
    with pytest.raises(InvalidRow) as caught:
        call()
    return caught.value


def _same_error(
    folder: Path, inspectors: Path, engine: creditflow.Engine, client: Any
) -> InvalidRow:
    single = _error(lambda: one_process(read_partitions(folder), inspectors, engine))
    spread = _error(lambda: on_dask(folder, inspectors, engine, client))
    assert (spread.source, spread.line, spread.field, str(spread)) == (
        single.source, single.line, single.field, str(single),
    )  # fmt: skip
    return spread


def test_a_bad_row_raises_the_error_of_one_process(
    province: tuple[Path, Path, list[list[str]]],
    tmp_path: Path,
    engine: creditflow.Engine,
    client: Any,
) -> None:
    _, inspectors, table = province
    bad = [list(r) for r in table[:3000]]
    bad[1500][0] = bad[1500][0][:-1] + ("0" if bad[1500][0][-1] != "0" else "1")
    bad[2900][5] = "Z"  # later, in the last partition: never the one named
    folder = write_parts(tmp_path / "parts", bad, 3, shuffle=None)
    error = _same_error(folder, inspectors, engine, client)
    assert error.source.endswith("part-00.csv") and error.field == "subject_id"


def test_a_subject_twice_across_partitions_raises_as_in_one_process(
    province: tuple[Path, Path, list[list[str]]],
    tmp_path: Path,
    engine: creditflow.Engine,
    client: Any,
) -> None:
    _, inspectors, table = province
    twice = [list(r) for r in table[:3000]]
    twice[2000] = list(twice[30])  # dealt into partition 2; the first in partition 0
    folder = write_parts(tmp_path / "parts", twice, 3, shuffle=None)
    error = _same_error(folder, inspectors, engine, client)
    assert error.source.endswith("part-02.csv") and "duplicate subject id" in str(error)


def test_the_inspectors_fall_into_groups_that_share_no_inspection(
    province: tuple[Path, Path, list[list[str]]], engine: creditflow.Engine
) -> None:
    from creditflow.supervision.draw import setup_plan
    from creditflow.supervision.partitions import inspector_groups

    _, inspectors, _ = province
    setup = setup_plan(engine, 2026, SEED, read_inspectors(inspectors), True)
    groups = inspector_groups(setup.pools)
    assert len(set(groups)) > 1  # the draw really is split
    for cell in setup.pools.cells.values():
        assert len({groups[i] for i in cell}) == 1
