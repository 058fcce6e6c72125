"""Every zh page of every built-in pack is in Chinese: no identifier outside code.

The pages rendered: the handbook (rules and workflows, diagrams drawn), the diff from the
previous version of the same pack, and the public notices of a book. An identifier is a name
from the declarations or the pack (``make``, ``case_officer``, ``known_domain``,
``road_transport``, ``workdays``...) or any ``snake_case`` word; it may appear only inside a
code span or a code block, which are for developers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from _docbook import FIRM, PERSON, published_listing
from _zh import leaked

from creditflow.book.book import CreditBook
from creditflow.docs import (
    diff_page,
    extract_handbook,
    extract_notices,
    handbook_pages,
    notice_page,
    page_markdown,
)
from creditflow.docs.document import Code, Page, Paragraph, Rich
from creditflow.policy import builtin_versions
from creditflow.policy.model import Policy
from creditflow.rules.loading import load_policy

KEYS = [f"{v.name}@{v.version}" for v in builtin_versions()]
_FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_TAG = re.compile(r"<[^>]*>")


def prose(markdown: str) -> str:
    """What a reader reads as text: no code block, code span or tag (an SVG's text stays)."""
    return _TAG.sub(" ", _CODE_SPAN.sub(" ", _FENCE.sub(" ", markdown)))


def leaks(page: Page, policy: Policy) -> list[str]:
    return leaked(prose(page_markdown(page)).replace("\\_", "_"), policy)


def zh_pages(key: str) -> list[Page]:
    policy = load_policy(key)
    pages = list(handbook_pages(extract_handbook(policy), "zh"))
    older = [v for v in builtin_versions() if v.name == policy.name and v.version != policy.version]
    pages += [diff_page(load_policy(f"{v.name}@{v.version}"), policy, "zh") for v in older]
    on = max(policy.effective_from, dt.date(2027, 5, 21))
    if policy.name == "national-transport" and policy.effective_to is None:
        book = CreditBook.memory(policy=key)
        published_listing(book, FIRM, "watch")
        published_listing(book, PERSON, "serious")
        pages.append(notice_page(extract_notices(book, on), "zh"))
    return pages


@pytest.mark.parametrize("key", KEYS)
def test_every_zh_page_shows_no_identifier_outside_code(key: str) -> None:
    policy = load_policy(key)
    for page in zh_pages(key):
        assert leaks(page, policy) == [], page.slug


def test_the_check_finds_an_identifier_left_in_prose() -> None:
    policy = load_policy(KEYS[0])
    shown = Page(
        "x",
        "x",
        (
            Paragraph(
                Rich(("经办人 ", Code("case_officer"))),
            ),
        ),
    )
    leaked = Page("x", "x", (Paragraph("由 case_officer 办理，30 workdays"),))
    assert leaks(shown, policy) == []
    assert leaks(leaked, policy) == ["case_officer", "workdays"]


def test_the_zh_diff_page_words_each_setting_and_its_values() -> None:
    old, new = load_policy("national-transport@2019.1"), load_policy("national-transport@2026.1")
    page = page_markdown(diff_page(old, new, "zh"))
    row = next(
        line
        for line in page.splitlines()
        if "`lists.serious.early_removal_after.basis.source`" in line
    )
    assert row.startswith("| 名单·严重失信主体名单·可提前移出时间·依据·来源 |")
    assert row.endswith("| 修改 | 可配置 | 法规全文 |")
    assert ".note`" not in page  # the English developer notes are left out, and it says so
    assert "英文注释" in page
    assert "| 施行日期 | `effective_from` | 修改 | 2019-07-01 | 2026-04-01 |" in page


def test_the_zh_feed_page_words_categories_and_severities(tmp_path: Path) -> None:
    from creditflow.disclosure import dual_publication_feed, ingest
    from creditflow.docs.disclosure_pages import feed_page

    penalty = {"document_number": "资交罚〔2026〕1号", "title": "超限运输", "category": "fine",
               "grounds": "车辆超限运输", "basis": "《公路安全保护条例》第六十四条", "party": FIRM,
               "party_name": "某运输有限公司", "result": "罚款5000元", "amount": "5000",
               "decided_on": "2026-09-28", "authority": "某市交通运输局", "unit": "enforcement",
               "domain": "road_transport", "published_on": "2026-10-09"}  # fmt: skip
    warning = penalty | {"document_number": "资交罚〔2026〕2号", "category": "notice_of_criticism",
                         "amount": "", "result": "通报批评"}  # fmt: skip
    licence = {"document_number": "资交许〔2026〕1号", "item": "道路货物运输经营许可",
               "category": "ordinary", "content": "准予从事普通货运", "party": FIRM,
               "party_name": "某运输有限公司", "decided_on": "2026-09-28",
               "valid_until": "2030-09-27", "authority": "某市交通运输局",
               "unit": "road_transport", "domain": "road_transport",
               "published_on": "2026-09-30"}  # fmt: skip
    policy = load_policy("national-transport@2026.1")
    with CreditBook.memory(policy=policy) as book:
        for kind, rows in (("penalty", [penalty, warning]), ("licensing", [licence])):
            path = tmp_path / f"{kind}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                            encoding="utf-8")  # fmt: skip
            assert not ingest(book, path, kind=kind, on=dt.date(2026, 10, 20)).rejected
        page = feed_page(dual_publication_feed(book, on=dt.date(2026, 10, 20)), "zh")
    assert leaks(page, policy) == []
    text = page_markdown(page)
    assert "罚款" in text and "通报批评" in text and "普通许可" in text
    assert "一般失信" in text and "轻微失信" in text


def test_the_zh_rates_page_words_units_and_reasons(tmp_path: Path) -> None:
    from creditflow.disclosure import compute_rates, ingest
    from creditflow.docs.disclosure_pages import rates_page

    late = {"document_number": "资交罚〔2026〕1号", "title": "超限运输", "category": "fine",
            "grounds": "车辆超限运输", "basis": "《公路安全保护条例》第六十四条", "party": FIRM,
            "party_name": "某运输有限公司", "result": "罚款5000元", "amount": "5000",
            "decided_on": "2026-09-01", "authority": "某市交通运输局", "unit": "enforcement",
            "domain": "road_transport", "published_on": "2026-09-30"}  # fmt: skip
    bad = late | {"document_number": "资交罚2026-2", "grounds": "", "published_on": ""}
    unpublished = late | {"document_number": "资交罚〔2026〕3号", "published_on": ""}
    policy = load_policy("national-transport@2026.1")
    with CreditBook.memory(policy=policy) as book:
        path = tmp_path / "penalties.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                for r in (late, bad, unpublished)), encoding="utf-8")  # fmt: skip
        report = ingest(book, path, kind="penalty", on=dt.date(2026, 10, 20))
        rates = compute_rates(book, {FIRM: "enforcement", PERSON: "road_transport"}, "2026-Q3",
                              rejected=report.rejected, on=dt.date(2026, 10, 20))  # fmt: skip
    page = rates_page(rates, "zh")
    assert all(r.failing for r in rates.unit("").rates.values())  # every rate has a failing row
    assert leaks(page, policy) == []
    text = page_markdown(page)
    assert "交通运输综合行政执法机构" in text, text
    assert "未公示，应于" in text, text
    assert "未归集信用信息" in text, text
    assert "penalties.jsonl 第2行" in text and " line " not in text, text  # where, in Chinese
    assert "主体名录" in text and "population" not in text, text


def test_the_zh_assessment_page_words_measures_and_findings() -> None:
    from creditflow.disclosure import CreditCheckEntry, assess
    from creditflow.docs.disclosure_pages import assessment_page

    policy = load_policy("ziyang-transport@2026.1")
    with CreditBook.memory(policy="national-transport") as book:
        checks = [CreditCheckEntry("licensing", "road_transport", dt.date(2026, 5, 1))]
        report = assess(book, policy, "2026", population={FIRM: "enforcement"}, checks=checks)
    page = assessment_page(report, "zh")
    assert leaks(page, policy) == []
    text = page_markdown(page)
    assert "按信用修复数计算" in text and "道路运输" in text and "证明材料" in text
