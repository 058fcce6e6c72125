"""A worker killed while the cluster draws: Dask runs its tasks again; the plan is the same."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import cloudpickle
from scale_builders import rows, write_csv, write_inspectors, write_parts

import creditflow
from creditflow.scale import draw_plan as draw_on_dask
from creditflow.scale import local_client
from creditflow.supervision import POPULATION_COLUMNS, draw_plan, read_inspectors, read_population

cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import tests


def slow_part(path: str) -> Any:
    """A partition that takes a while to read: the window in which a worker is killed."""
    import pandas

    time.sleep(0.5)
    return pandas.read_parquet(path)


def test_a_worker_killed_mid_draw_leaves_the_plan_unchanged(
    tmp_path: Path, engine: creditflow.Engine
) -> None:
    import dask
    import dask.dataframe as dd

    table = rows(12_000, seed=5)
    population = write_csv(tmp_path / "population.csv", POPULATION_COLUMNS, table)
    inspectors = write_inspectors(tmp_path / "inspectors.csv", 1_000, 12_000, seed=5)
    expected = draw_plan(read_population(population), engine=engine, period=2026, seed="k",
                         inspectors=read_inspectors(inspectors), quarters=True)  # fmt: skip
    folder = write_parts(tmp_path / "parts", table, 6, fmt="parquet")
    paths = sorted(str(p) for p in folder.iterdir())
    frame = dd.from_delayed([dask.delayed(slow_part)(p) for p in paths], verify_meta=False)
    with local_client(2) as client:
        outcome: dict[str, Any] = {}

        def draw() -> None:
            try:
                outcome["plan"] = draw_on_dask(frame, engine=engine, period=2026, seed="k",
                                               inspectors=read_inspectors(inspectors),
                                               quarters=True, client=client)  # fmt: skip
            except BaseException as error:  # reported below
                outcome["error"] = error

        worker = threading.Thread(target=draw)
        worker.start()
        deadline = time.monotonic() + 30
        while not any(client.processing().values()) and time.monotonic() < deadline:
            time.sleep(0.01)
        busy = [address for address, tasks in client.processing().items() if tasks]
        assert busy, "the cluster never started the draw"
        pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
        os.kill(pid, signal.SIGKILL)
        worker.join(timeout=120)
        assert not worker.is_alive()
    assert "error" not in outcome, outcome.get("error")
    assert outcome["plan"].digest == expected.digest
