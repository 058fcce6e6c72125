"""``creditflow plan --workers N`` and ``--scheduler``: the plan one process draws."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from creditflow.cli import main
from creditflow.demo.files import write_population_files


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("cli")
    paths = write_population_files(folder, 6_000, rows_per_file=2_000, format="parquet")
    return folder / "population", paths[-1]


def _plan(folder: Path, inspectors: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return run(
        "plan",
        "--population",
        str(folder),
        "--inspectors",
        str(inspectors),
        "--seed",
        "20260105",
        "--period",
        "2026",
        "--quarters",
        "-o",
        str(out),
        *extra,
    )


def digest(out: Path) -> str:
    return str(json.loads((out / "plan.json").read_text(encoding="utf-8"))["digest"])


def test_workers_draw_the_plan_of_one_process_with_progress(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    population, inspectors = files
    code, summary, _ = _plan(population, inspectors, tmp_path / "one")
    assert code == 0
    code, spread, err = _plan(
        population, inspectors, tmp_path / "two", "--workers", "2", "--progress"
    )
    assert code == 0
    assert digest(tmp_path / "two") == digest(tmp_path / "one")
    assert spread.replace("two", "one") == summary
    assert err.endswith("reading population [" + "#" * 30 + "] 100% 6,000 rows\n")
    assert "\rreading population [" in err


def test_a_scheduler_draws_and_verifies(
    files: tuple[Path, Path], tmp_path: Path, client: Any
) -> None:
    population, inspectors = files
    address = client.scheduler.address
    code, _, _ = _plan(population, inspectors, tmp_path / "p", "--scheduler", address)
    assert code == 0
    code, out, _ = run(
        "plan",
        "--verify",
        str(tmp_path / "p" / "plan.json"),
        "--population",
        str(population),
        "--inspectors",
        str(inspectors),
        "--scheduler",
        address,
    )
    assert (code, out.startswith("confirmed:")) == (0, True)
    code, out, _ = run(
        "plan",
        "--verify",
        str(tmp_path / "p" / "plan.json"),
        "--population",
        str(population),
        "--inspectors",
        str(inspectors),
    )
    assert (code, out.startswith("confirmed:")) == (0, True)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--workers", "0"), "workers must be an int >= 1, got 0"),
        (("--scheduler", "nowhere"), "scheduler must be an address like tcp://host:8786"),
    ],
)
def test_bad_cluster_options_are_one_line_errors(
    files: tuple[Path, Path], tmp_path: Path, extra: tuple[str, ...], message: str
) -> None:
    population, inspectors = files
    code, _, err = _plan(population, inspectors, tmp_path / "x", *extra)
    assert code == 2
    assert err.startswith("creditflow: error: ") and message in err
