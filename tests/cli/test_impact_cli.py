"""``creditflow check NEW --against OLD [--population FILE]``: the impact of a switch of packs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from creditflow.cli.main import main

POPULATION = """\
subject_id,kind,name,region,domain,grade,lists
91230123000000019R,enterprise,顺达,230123,road_transport,C,
91230123000000027L,enterprise,通途,230123,road_transport,C,
912301230000000515,enterprise,远航,230123,road_transport,B,serious
230123198004110004,person,张三,230123,road_transport,D,
"""
CHECK = ["check", "lindian-transport@2026.1", "--against", "national-transport@2026.1"]


@pytest.fixture
def population(tmp_path: Path) -> Path:
    path = tmp_path / "population.csv"
    path.write_text(POPULATION, encoding="utf-8")
    return path


def test_the_report_for_people(population: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*CHECK, "--population", str(population)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("lindian-transport@2026.1: 400 signatures analysed: OK\n\n")
    assert "changes from national-transport@2026.1 to lindian-transport@2026.1: " in out
    assert "  decisions.rules.grade-c.sampling_ratio: 25% -> 60%\n" in out
    assert "population: 4 subjects, 3 changed\n" in out
    assert "  road_transport  C             2         2           0            0         0\n" in out
    assert out.endswith("the year's plan: 3 -> 4 subjects drawn (+1), 4 -> 5 inspections (+1)\n")


def test_json(population: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*CHECK, "--population", str(population), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["analysis"]["ok"] is True
    assert data["old"]["policy"] == "national-transport@2026.1"
    assert {"path": "decisions.rules.grade-c.sampling_ratio", "old": "1/4", "new": "3/5"} in data[
        "changes"
    ]
    assert data["population"]["changed"] == 3


def test_without_a_population_the_diff_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(CHECK) == 0
    out = capsys.readouterr().out
    assert "changes from" in out and "population" not in out


def test_an_unsound_new_pack_exits_1_with_its_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "gappy.toml"
    pack.write_text(
        'format = 1\n[pack]\nname = "gappy"\nversion = "1"\n'
        'extends = "national-transport@2026.1"\neffective_from = 2026-04-01\n'
        '[decisions]\nhit_policy = "first"\n[[decisions.rules]]\nid = "only-b"\n'
        'when = { grade = "B" }\nsampling_ratio = "5%"\ninspections_per_year = { min = 1 }\n'
        'measures = []\nbasis = "test"\nsource = "configurable"\n',
        encoding="utf-8",
    )
    assert main(["check", str(pack), "--against", "national-transport@2026.1"]) == 1
    out = capsys.readouterr().out
    assert "PROBLEMS" in out.splitlines()[0] and "changes from national-transport@2026.1" in out


def test_an_unreadable_new_pack_is_its_analysis_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "broken.toml"
    pack.write_text("format = 1\n[pack]\n", encoding="utf-8")
    assert main(["check", str(pack), "--against", "national-transport@2026.1"]) == 1
    out = capsys.readouterr().out
    assert "PROBLEMS" in out and "changes from" not in out


def test_an_unknown_old_pack_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "national-transport@2026.1", "--against", "nowhere@1"]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_a_population_needs_against(population: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--population", str(population)]) == 2
    assert "--population needs --against OLD" in capsys.readouterr().err


def test_a_bad_population_row_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("subject_id,kind,name,region,domain,grade\nx,robot,n,1,road_transport,B\n")
    assert main([*CHECK, "--population", str(path)]) == 2
    assert "bad.csv" in capsys.readouterr().err
