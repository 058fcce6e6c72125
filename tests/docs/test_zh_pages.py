"""Every zh page of every built-in pack is in Chinese: no identifier outside code.

The pages rendered: the handbook (rules and workflows, diagrams drawn), the diff from the
previous version of the same pack, and the public notices of a book. An identifier is a name
from the declarations or the pack (``make``, ``case_officer``, ``known_domain``,
``road_transport``, ``workdays``...) or any ``snake_case`` word; it may appear only inside a
code span or a code block, which are for developers.
"""

from __future__ import annotations

import datetime as dt
import re

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
