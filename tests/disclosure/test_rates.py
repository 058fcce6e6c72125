"""The rates on a hand-computed fixture, per unit, and with empty denominators.

The fixture (2026-Q3; population: FIRM and OTHER_FIRM of ``enforcement``, PERSON of
``road_transport``); a penalty has 12 required fields, a licence 10:

| row | kind | party | unit | decided | published | last day | in the book |
|---|---|---|---|---|---|---|---|
| P1 | penalty | FIRM | enforcement | 09-28 | 10-09 | 10-13 | yes |
| P2 | penalty | FIRM | enforcement | 09-30 | 10-19 | 10-15 | yes (late) |
| P3 | penalty | PERSON | road_transport | 08-03 | - | 08-12 | yes (never published) |
| P4 | penalty | OTHER_FIRM | enforcement | 09-01 | | | no: amount "abc" (12/12 fields) |
| P5 | penalty | FIRM | road_transport | 07-15 | | | no: grounds, basis empty (10/12) |
| P6 | penalty | FIRM | enforcement | 10-10 | 10-12 | | yes, but in Q4 |
| L7 | licence | FIRM | road_transport | 09-01 | 09-03 | 09-10 | yes |

- coverage: all 2/3 (OTHER_FIRM has nothing in the book), enforcement 1/2, road_transport 1/1;
- compliance: all 4/6, enforcement 2/3, road_transport 2/3;
- completeness: all (3x12 + 10 + 12 + 10) / (3x12 + 10 + 12 + 12) = 68/70, enforcement 36/36,
  road_transport 32/34;
- timeliness on 10-31: all 2/4 (P2 late, P3 never), enforcement 1/2, road_transport 1/2; on
  10-14 P2 is not due yet and not yet published: all 2/3.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest
from _decisions import (
    FIRM,
    LICENCE_COLUMNS,
    OTHER_FIRM,
    PENALTY_COLUMNS,
    PERSON,
    licence,
    penalty,
    write_csv,
)

from creditflow.book import CreditBook
from creditflow.disclosure import (
    RejectedRow,
    ReportingPeriod,
    compute_rates,
    ingest,
    read_population_units,
    read_rejected,
)
from creditflow.errors import InvalidInput, InvalidRow

Fixture = tuple[CreditBook, list[RejectedRow]]
POPULATION = {FIRM: "enforcement", OTHER_FIRM: "enforcement", PERSON: "road_transport"}


@pytest.fixture(scope="module")
def fixture(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Fixture]:
    tmp = tmp_path_factory.mktemp("rates")
    rows = [
        penalty(1, decided_on="2026-09-28", published_on="2026-10-09"),
        penalty(2, decided_on="2026-09-30", published_on="2026-10-19"),
        penalty(3, party=PERSON, party_name="张三", unit="road_transport", decided_on="2026-08-03",
                published_on=""),
        penalty(4, party=OTHER_FIRM, amount="abc", decided_on="2026-09-01"),
        penalty(5, unit="road_transport", grounds="", basis="", decided_on="2026-07-15"),
        penalty(6, decided_on="2026-10-10", published_on="2026-10-12"),
    ]  # fmt: skip
    licences = [licence(7, decided_on="2026-09-01", valid_from="", published_on="2026-09-03")]
    book = CreditBook.open(tmp / "book.sqlite", policy="national-transport")
    rejected = list(ingest(book, write_csv(tmp / "p.csv", rows, PENALTY_COLUMNS),
                           kind="penalty").rejected)  # fmt: skip
    rejected += ingest(book, write_csv(tmp / "l.csv", licences, LICENCE_COLUMNS),
                       kind="licensing").rejected  # fmt: skip
    assert len(rejected) == 2
    yield book, rejected
    book.close()


def rates(
    fixture: Fixture,
    on: str = "2026-10-31",
    period: str = "2026-Q3",
    population: dict[str, str] = POPULATION,
) -> dict[str, dict[str, tuple[int, int]]]:
    book, rejected = fixture
    report = compute_rates(book, population, period, rejected=rejected,
                           on=dt.date.fromisoformat(on))  # fmt: skip
    return {
        u.unit or "all": {n: (r.numerator, r.denominator) for n, r in u.rates.items()}
        for u in report.units
    }


def test_each_rate_per_unit_is_what_the_hand_count_gives(fixture: Fixture) -> None:
    assert rates(fixture) == {
        "all": {"coverage": (2, 3), "compliance": (4, 6), "completeness": (68, 70),
                "timeliness": (2, 4)},
        "enforcement": {"coverage": (1, 2), "compliance": (2, 3), "completeness": (36, 36),
                        "timeliness": (1, 2)},
        "road_transport": {"coverage": (1, 1), "compliance": (2, 3), "completeness": (32, 34),
                           "timeliness": (1, 2)},
    }  # fmt: skip


def test_timeliness_counts_only_what_is_due_on_the_date(fixture: Fixture) -> None:
    assert rates(fixture, on="2026-10-14")["all"]["timeliness"] == (2, 3)


def test_the_failing_rows_name_where_to_fix_them(fixture: Fixture) -> None:
    book, rejected = fixture
    report = compute_rates(book, POPULATION, "2026-Q3", rejected=rejected,
                           on=dt.date(2026, 10, 31))  # fmt: skip
    region = report.unit("")
    assert [f.key for f in region.rates["coverage"].failing] == [OTHER_FIRM]
    compliance = region.rates["compliance"].failing
    assert [(f.where.split()[-1], f.key, f.unit) for f in compliance] == [
        ("5", "资交罚〔2026〕4号", "enforcement"), ("6", "资交罚〔2026〕5号", "road_transport"),
    ]  # fmt: skip
    assert compliance[0].reason == "amount: type.amount"
    [incomplete] = region.rates["completeness"].failing
    assert incomplete.reason == "2 of 12 required fields missing"
    late = sorted((f.key, f.reason) for f in region.rates["timeliness"].failing)
    assert late == [
        ("资交罚〔2026〕2号", "disclosed 2026-10-19, due by 2026-10-15"),
        ("资交罚〔2026〕3号", "not disclosed, due by 2026-08-12"),
    ]
    assert report.unit("enforcement").rates["coverage"].value == Fraction(1, 2)
    assert report.anchor == str(book.anchor())
    assert compute_rates(book, POPULATION, "2026-Q3").on == dt.date(2026, 9, 30)


def test_a_person_is_masked_in_the_failing_rows(fixture: Fixture) -> None:
    book, _ = fixture
    report = compute_rates(book, {PERSON: "road_transport"}, "2026-Q1")
    [row] = report.unit("").rates["coverage"].failing
    assert row.key == "110105********002X"


def test_empty_denominators_give_no_rate_not_100_percent(fixture: Fixture) -> None:
    book, _ = fixture
    report = compute_rates(book, {}, "2025-Q2")
    for rate in report.unit("").rates.values():
        assert (rate.numerator, rate.denominator, rate.value, rate.percent()) == (0, 0, None, "-")
    assert rates(fixture, period="2026-Q1")["all"] == {
        "coverage": (0, 3), "compliance": (0, 0), "completeness": (0, 0), "timeliness": (0, 0),
    }  # fmt: skip


def test_a_month_and_a_year_are_periods_too(fixture: Fixture) -> None:
    assert rates(fixture, period="2026-09")["all"]["compliance"] == (3, 4)  # P1, P2, L7 / + P4
    assert rates(fixture, period="2026")["all"]["compliance"] == (5, 7)  # with P6
    assert ReportingPeriod.parse("2026-Q4").end == dt.date(2026, 12, 31)
    assert ReportingPeriod.parse("2026-02").end == dt.date(2026, 2, 28)
    for bad in ("2026-Q5", "2026-13", "26", "2026Q1", None):
        with pytest.raises(InvalidInput):
            ReportingPeriod.parse(bad)


def test_the_population_file_gives_units_and_checks_ids(tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text(f"subject_id,name,unit\n{FIRM},a,enforcement\n{PERSON},b,\n", "utf-8")
    assert read_population_units(path) == {FIRM: "enforcement", PERSON: ""}
    path.write_text(f"subject_id\n{FIRM}\n{FIRM}\n", "utf-8")
    with pytest.raises(InvalidRow, match="line 3"):
        read_population_units(path)
    path.write_text("subject_id\n12345\n", "utf-8")
    with pytest.raises(InvalidRow, match="line 2"):
        read_population_units(path)
    jsonl = tmp_path / "pop.jsonl"
    jsonl.write_text(f'{{"subject_id": "{FIRM}", "unit": "highway"}}\n', "utf-8")
    assert read_population_units(jsonl) == {FIRM: "highway"}


def test_the_rates_pages_escape_what_the_rows_bring(tmp_path: Path) -> None:
    from creditflow.disclosure import ingest as run_ingest
    from creditflow.docs.disclosure_pages import rates_html, rates_markdown

    hostile = "<img src=x onerror=alert(1)>"
    row = penalty(1, document_number=hostile, party=PERSON, party_name="张三")
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({**row, hostile: "x"}, ensure_ascii=False) + "\n", "utf-8")
    with CreditBook.memory(policy="national-transport") as book:
        rejected = run_ingest(book, path, kind="penalty").rejected
        report = compute_rates(book, {PERSON: "enforcement"}, "2026-Q3", rejected=rejected)
    for page in (rates_markdown(report, "zh"), rates_html(report, "en")):
        assert "<img" not in page and PERSON not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_rejected_row_counts_once_and_not_after_its_correction(tmp_path: Path) -> None:
    rows = [penalty(1), penalty(2), penalty(3), penalty(4, amount="abc")]
    source = write_csv(tmp_path / "p.csv", rows, PENALTY_COLUMNS)
    log = tmp_path / "rejected.jsonl"
    with CreditBook.open(tmp_path / "book.sqlite", policy="national-transport") as book:
        for _ in range(2):  # the same file ingested twice: its rejected row is written twice
            ingest(book, source, kind="penalty").write_rejected(log)
        rejected = read_rejected(log)
        assert len(rejected) == 1
        region = compute_rates(book, {FIRM: "enforcement"}, "2026-Q3", rejected=rejected * 2)
        assert region.unit("").rates["compliance"].numerator == 3
        assert region.unit("").rates["compliance"].denominator == 4
        fixed = write_csv(tmp_path / "fixed.csv", [penalty(4)], PENALTY_COLUMNS)
        assert ingest(book, fixed, kind="penalty").entered == 1
        region = compute_rates(book, {FIRM: "enforcement"}, "2026-Q3", rejected=rejected)
        assert (region.unit("").rates["compliance"].numerator,
                region.unit("").rates["compliance"].denominator) == (4, 4)  # fmt: skip


def test_a_provisional_last_day_is_flagged(tmp_path: Path) -> None:
    from creditflow.calendar import WorkdayCalendar

    last = WorkdayCalendar.china().known_years[1]  # the next year's holidays are unpublished
    day = f"{last}-12-28"
    source = write_csv(tmp_path / "p.csv", [penalty(1, decided_on=day, published_on="")],
                       PENALTY_COLUMNS)  # fmt: skip
    with CreditBook.open(tmp_path / "book.sqlite", policy="national-transport") as book:
        ingest(book, source, kind="penalty", on=dt.date(last + 1, 2, 1))
        report = compute_rates(book, {FIRM: "enforcement"}, str(last), on=dt.date(last + 1, 2, 1))
        (row,) = report.unit("").rates["timeliness"].failing
        assert row.provisional and row.reason.endswith("(provisional)")
        assert report.to_json()["units"][0]["timeliness"]["failing"][0]["provisional"] is True
        (late,) = [d for _, d in book.overdue(on=dt.date(last + 1, 2, 1)) if d.name == "disclosure"]
        assert late.provisional and late.last_day.year == last + 1
