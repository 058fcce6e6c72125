"""The Ziyang assessment table, and the computed items against hand-computed scores.

The fixture (period 2026): FIRM has one penalty in the book and one row rejected for its amount
(all fields present); population {FIRM}; 12 news items, one a month; one leading-group meeting;
credit checks for licensing and procurement in road_transport, bidding in highway_construction,
a subsidy check in work_safety; four serious listings published; three repairs of road
transport records approved. By hand:

| item | measured | score |
|---|---|---|
| group_meetings | 1 of at least 2 | 0 / 2 |
| news | 12, each month | 2 / 2 |
| coverage | 1/1 | 2 / 2 |
| compliance | 1/2 | 0 / 2 |
| completeness | 24/24 | 2 / 2 |
| credit_results_applied | road_transport, highway_construction | 2 / 5 |
| reward_punishment_cases | 4 published | 2 / 2 |
| repairs | road_transport 3 of the 4 domains' 3 each | 3 x 1/4 = 0.75 / 3 |

computed: 10.75 of 20; attested: 69 - 20 = 49 points.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest
from _decisions import FIRM, PENALTY_COLUMNS, penalty, write_csv

import creditflow
from _people import OFFICER, OFFICIAL, SUBJECT, published_listing, repair_application
from creditflow.book import CreditBook
from creditflow.cli.main import main
from creditflow.disclosure import ingest
from creditflow.disclosure.assessment import (
    CreditCheckEntry,
    Evidence,
    assess,
    read_credit_checks,
    read_evidence,
)
from creditflow.docs.disclosure_pages import assessment_page, render
from creditflow.errors import InvalidInput, InvalidRow, PolicyError
from creditflow.policy.loader import policy_from_data

ZIYANG = creditflow.load_policy("ziyang-transport@2026.1")
D = dt.date


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CreditBook]:
    tmp = tmp_path_factory.mktemp("assess")
    opened = CreditBook.open(tmp / "book.sqlite", policy="national-transport")
    rows = [penalty(1, decided_on="2026-05-06", published_on="2026-05-08"),
            penalty(2, amount="abc", decided_on="2026-05-07")]  # fmt: skip
    report = ingest(opened, write_csv(tmp / "p.csv", rows, PENALTY_COLUMNS), kind="penalty")
    opened.rejected = report.rejected  # type: ignore[attr-defined]
    opened.file = str(tmp / "book.sqlite")  # type: ignore[attr-defined]
    for n in range(4):
        published_listing(opened, on=D(2026, 5, 6) + dt.timedelta(days=n))
    for n in range(3):
        record = opened.open_case(
            "record.general", SUBJECT, on=D(2026, 4, 6), actor=OFFICER, domain="road_transport",
            record_kind="penalty", decided_on="2026-04-06", summary=f"罚款{n}",
        ).case_id  # fmt: skip
        repair = repair_application(opened, record, D(2026, 8, 3))
        opened.fire(repair, "accept", on=D(2026, 8, 3), actor=OFFICER)
        opened.fire(repair, "approve", on=D(2026, 8, 5), actor=OFFICIAL)
    yield opened
    opened.close()


EVIDENCE = [Evidence("news", D(2026, m, 10), f"报道{m}", "officer-1") for m in range(1, 13)] + [
    Evidence("group_meetings", D(2026, 3, 1), "第一次会议纪要", "officer-1"),
    Evidence("training", D(2026, 6, 1), "培训通知", "officer-2"),
]
CHECKS = [
    CreditCheckEntry("licensing", "road_transport", D(2026, 5, 1)),
    CreditCheckEntry("procurement", "road_transport", D(2026, 6, 1)),
    CreditCheckEntry("bidding", "highway_construction", D(2026, 7, 1)),
    CreditCheckEntry("subsidy", "work_safety", D(2026, 7, 1)),
    CreditCheckEntry("bidding", "waterway_transport", D(2025, 7, 1)),  # not in the period
]


def scores(book: CreditBook, **changes: object) -> dict[str, Fraction | None]:
    given: dict[str, object] = {"population": {FIRM: "enforcement"},
                                "rejected": book.rejected,  # type: ignore[attr-defined]
                                "evidence": EVIDENCE, "checks": CHECKS} | changes  # fmt: skip
    report = assess(book, ZIYANG, "2026", **given)  # type: ignore[arg-type]
    return {r.item.item_id: r.score for r in report.results}


def test_the_ziyang_table_is_the_seed_s_with_its_points() -> None:
    table = ZIYANG.assessment
    assert table is not None
    assert "〔2022〕264号" in table.basis.text and table.basis.source.value == "copy"
    points = {i.item_id: i.points for i in table.items}
    assert (points["repairs"].value, points["publicity"].value, points["training"].value,
            points["xinyi_documents"].value) == (3, 10, 2, 3)  # fmt: skip
    assert points["repairs"].basis.source.value == "copy"
    assert points["news"].basis.source.value == "configurable"
    assert sum(p.value for p in points.values()) == 69
    assert len(table.items) == 28  # every item of the seed's table, §四 组织实施信用管理工作 too
    management = next(i for i in table.items if i.item_id == "credit_management")
    assert "信用信息采集、归集、报送" in management.item.zh and not management.computed
    assert points["credit_management"].basis.source.value == "configurable"
    assert creditflow.load_policy("national-transport@2026.1").assessment is None


def test_the_computed_items_score_what_the_hand_count_gives(book: CreditBook) -> None:
    found = scores(book)
    computed = {k: v for k, v in found.items() if v is not None}
    assert computed == {
        "group_meetings": 0, "news": 2, "coverage": 2, "compliance": 0, "completeness": 2,
        "credit_results_applied": 2, "reward_punishment_cases": 2, "repairs": Fraction(3, 4),
    }  # fmt: skip
    report = assess(book, ZIYANG, "2026", population={FIRM: "enforcement"},
                    rejected=book.rejected, evidence=EVIDENCE, checks=CHECKS)  # type: ignore[attr-defined]  # fmt: skip
    assert (report.score, report.computable_points, report.attested_points) == (
        Fraction(43, 4), 20, 49,
    )  # fmt: skip


def test_a_month_without_news_loses_the_item(book: CreditBook) -> None:
    no_june = [e for e in EVIDENCE if e.on.month != 6 or e.item != "news"]
    no_june.append(Evidence("news", D(2026, 7, 20), "另一篇", "officer-1"))  # still 12 items
    assert scores(book, evidence=no_june)["news"] == 0


def test_credit_results_in_every_key_domain_earn_at_most_the_items_points(
    book: CreditBook,
) -> None:
    every = [CreditCheckEntry("licensing", d, D(2026, 5, 1)) for d in ZIYANG.domains]
    assert scores(book, checks=every)["credit_results_applied"] == 5
    assert scores(book, checks=[])["credit_results_applied"] == 0


def test_attested_items_list_their_evidence_and_are_not_scored(book: CreditBook) -> None:
    report = assess(book, ZIYANG, "2026", population={FIRM: ""}, evidence=EVIDENCE)
    training = next(r for r in report.results if r.item.item_id == "training")
    assert training.score is None
    assert [e.text for e in training.evidence] == ["培训通知"]
    for lang in ("zh", "en"):
        for form in ("md", "html"):
            page = render(assessment_page(report, lang), form, lang)
            assert "培训通知" in page and report.anchor in page
    markdown = render(assessment_page(report, "zh"), "md", "zh")
    assert "资阳市“信用交通市”创建评价指标 (2026)" in markdown
    assert "可计算项得分10.75/20" in markdown  # coverage, compliance, completeness all 1/1 here


def test_evidence_for_an_unknown_item_and_a_pack_without_a_table_are_refused(
    book: CreditBook,
) -> None:
    with pytest.raises(InvalidInput, match="unknown item 'nothing'"):
        assess(book, ZIYANG, "2026", population={},
               evidence=[Evidence("nothing", D(2026, 1, 1), "x", "y")])  # fmt: skip
    with pytest.raises(InvalidInput, match="no \\[assessment\\] table"):
        assess(book, creditflow.load_policy("national-transport@2026.1"), "2026", population={})


def test_the_evidence_and_check_files_are_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps({"item": "news", "on": "2026-01-10", "evidence": "报道",
                                "officer": "o"}, ensure_ascii=False) + "\n", "utf-8")  # fmt: skip
    assert read_evidence(path) == [Evidence("news", D(2026, 1, 10), "报道", "o")]
    path.write_text('{"item": "news", "on": "2026-1-10", "evidence": "x", "officer": "o"}\n')
    with pytest.raises(InvalidRow, match="line 1"):
        read_evidence(path)
    checks = tmp_path / "c.jsonl"
    checks.write_text('{"purpose": "bidding", "domain": "road_transport", "on": "2026-02-01", '
                      '"proceed_normally": true}\n')  # fmt: skip
    assert read_credit_checks(checks) == [CreditCheckEntry("bidding", "road_transport",
                                                           D(2026, 2, 1))]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "where", "says"),
    [
        (lambda i: i.update(measure="guess"), "assessment.items[0].measure", "not one of"),
        (lambda i: i.update(rate="speed"), "assessment.items[0].rate", "not one of"),
        (lambda i: i.update(target="120%"), "assessment.items[0].target", "between"),
        (lambda i: i.update(min_count=3), "assessment.items[0].min_count", "not a setting"),
        (lambda i: i.pop("points"), "assessment.items[0].points", "missing"),
        (lambda i: i.update(points=-1), "assessment.items[0].points", "whole number"),
    ],
)
def test_every_item_mistake_is_named_where_it_is(change: object, where: str, says: str) -> None:
    from creditflow.policy import sources

    data = sources._resolve_extends(
        __import__("tomllib").loads(
            (
                Path(creditflow.policy.__file__).parent / "packs" / "ziyang-transport-2026.toml"
            ).read_text(encoding="utf-8")
        ),
        "ziyang.toml",
    )
    coverage = next(i for i in data["assessment"]["items"] if i["id"] == "coverage")
    data["assessment"]["items"] = [coverage]
    change(coverage)  # type: ignore[operator]
    with pytest.raises(PolicyError) as info:
        policy_from_data(data, "ziyang.toml")
    problems = {p.key: p.reason for p in info.value.problems}
    assert where in problems, problems
    assert says in problems[where]


def test_creditflow_assess_writes_the_report(
    book: CreditBook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    population = tmp_path / "pop.csv"
    population.write_text(f"subject_id,unit\n{FIRM},enforcement\n", "utf-8")
    out = tmp_path / "assess.html"
    code = main(["assess", "--policy", "ziyang-transport", "--book", book.file,  # type: ignore[attr-defined]
                 "--period", "2026", "--population", str(population), "--format", "html",
                 "--lang", "en", "--out", str(out)])  # fmt: skip
    assert code == 0
    html = out.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Computed items" in html
