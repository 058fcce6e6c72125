"""creditflow ingest / feed / rates: exit codes, outputs, persons masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _decisions import FIRM, PENALTY_COLUMNS, PERSON, penalty, write_csv

from creditflow.cli.main import main


def test_ingest_feed_and_rates_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        penalty(1, decided_on="2026-09-28", published_on="2026-10-09"),
        penalty(2, party=PERSON, party_name="张三", decided_on="2026-09-30", published_on=""),
        penalty(3, amount="abc"),
    ]
    path = write_csv(tmp_path / "p.csv", rows, PENALTY_COLUMNS)
    book, rejected = str(tmp_path / "b.sqlite"), str(tmp_path / "rejected.jsonl")
    args = ["ingest", "--book", book, "--kind", "penalty", str(path), "--rejected", rejected]
    assert main(args) == 1  # a row was rejected
    out = capsys.readouterr().out
    assert "3 rows, 2 entered, 0 already in the book, 1 disclosed, 1 rejected" in out
    assert "line 4, amount: type.amount" in out
    assert main(args[:-2]) == 1
    assert "0 entered, 2 already in the book" in capsys.readouterr().out

    assert main(["--on", "2026-10-20", "feed", "--book", book, "--format", "jsonl"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert json.loads(line)["document_number"] == "资交罚〔2026〕1号"

    population = tmp_path / "pop.csv"
    population.write_text(f"subject_id,unit\n{FIRM},enforcement\n{PERSON},enforcement\n", "utf-8")
    rates = ["--on", "2026-10-20", "rates", "--book", book, "--population", str(population),
             "--period", "2026-Q3", "--rejected", rejected]  # fmt: skip
    assert main([*rates, "--format", "json"]) == 1  # not every rate is 100 %
    data = json.loads(capsys.readouterr().out)
    region = data["units"][0]
    assert region["unit"] == "all"
    assert (region["compliance"]["numerator"], region["compliance"]["denominator"]) == (2, 3)
    assert (region["timeliness"]["numerator"], region["timeliness"]["denominator"]) == (1, 2)
    out = tmp_path / "rates.html"
    assert main([*rates, "--format", "html", "--lang", "en", "--out", str(out)]) == 1
    html = out.read_text("utf-8")
    assert "<svg" in html and "Compliance 66.7%" in html and PERSON not in html
    assert main([*rates[:-4], "--period", "2026-Q5"]) == 2
