"""Hostile text in a pack or a book is shown as text by every Markdown output, never as markup.

The escaper itself is checked with Hypothesis against Python-Markdown, the renderer MkDocs
uses; the outputs (handbook, diff, workflows page, public notices) with a corpus of attacks.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from _docbook import FIRM, PERSON, PERSON_MASKED, D
from hypothesis import given
from hypothesis import strategies as st

from _markup import HOSTILE, ONE_LINE, assert_inert, render
from _packs import national_data
from _people import OFFICER, OFFICIAL
from creditflow.book.book import CreditBook
from creditflow.core.escaping import escape_markdown, markdown_code
from creditflow.docs import (
    diff_page,
    extract_handbook,
    extract_notices,
    handbook_pages,
    notice_page,
    page_html,
    page_markdown,
)
from creditflow.policy.loader import policy_from_data
from creditflow.policy.model import Policy
from creditflow.rules import load_policy
from creditflow.workflows.render import workflows_markdown

MULTI_LINE = "\n".join(HOSTILE)

# Any text, and text made mostly of what Markdown and HTML give a meaning to.
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60) | st.lists(
    st.sampled_from([*"<>&[]()!*_`|{}#-+=.:;/\\~'\" \n\t1aZ中", "javascript:", "<img"]),
    max_size=30,
).map("".join)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _read(html: str) -> _Text:
    reader = _Text()
    reader.feed(html)
    reader.close()
    return reader


def _words(text: str) -> list[str]:
    return text.split()


def _shown(text: str) -> str:
    """What the text should read as once escaped: line breaks as spaces, other C0 controls and
    DEL dropped (as escape_markdown documents), runs of white space as one."""
    kept = re.sub(r"[\x00-\x08\x0e-\x1b\x1f\x7f]", "", re.sub(r"[\x0a-\x0d\x1c-\x1e]", " ", text))
    return " ".join(_words(kept))


@given(TEXT)
def test_escaped_text_renders_as_the_text_and_nothing_else(text: str) -> None:
    html = render(escape_markdown(text))
    reader = _read(html)
    assert set(reader.tags) <= {"p"}, (text, html)
    assert " ".join(_words("".join(reader.text))) == _shown(text)


@given(TEXT)
def test_escaped_text_in_a_heading_is_that_heading_s_text(text: str) -> None:
    html = render(f"## x {escape_markdown(text)}")
    reader = _read(html)
    assert set(reader.tags) <= {"h2"}, (text, html)
    assert " ".join(_words("".join(reader.text))) == " ".join(_words(f"x {_shown(text)}"))


@given(TEXT)
def test_escaped_text_in_a_table_cell_is_that_cell_s_text(text: str) -> None:
    html = render(f"| a | b |\n|---|---|\n| {escape_markdown(text, in_cell=True)} | x |\n")
    reader = _read(html)
    assert set(reader.tags) <= {"table", "thead", "tbody", "tr", "th", "td"}, (text, html)
    assert reader.tags.count("td") == 2
    assert " ".join(_words("".join(reader.text))) == " ".join(_words(f"a b {_shown(text)} x"))


@given(TEXT)
def test_a_code_span_renders_the_text_verbatim(text: str) -> None:
    html = render("x " + markdown_code(text))
    reader = _read(html)
    assert set(reader.tags) <= {"p", "code"}, (text, html)
    assert " ".join(_words("".join(reader.text))) == " ".join(_words("x " + _shown(text)))


@pytest.mark.parametrize("text", HOSTILE)
def test_every_attack_alone_is_inert(text: str) -> None:
    assert_inert(f"# Title\n\n{escape_markdown(text)}\n\n- {escape_markdown(text)}\n", headings=1)
    table = f"| a | b |\n|---|---|\n| {escape_markdown(text)} | x |\n"
    assert_inert(table, headings=0)


def _hostile(data: Any) -> Any:
    """The pack data with every basis and every label replaced by hostile text."""
    if isinstance(data, dict):
        found = {}
        for key, value in data.items():
            if key == "basis" and isinstance(value, str):
                found[key] = MULTI_LINE
            elif key in ("label", "title", "scale") and isinstance(value, dict):
                found[key] = {"zh": "中文 " + MULTI_LINE, "en": MULTI_LINE}
            else:
                found[key] = _hostile(value)
        return found
    if isinstance(data, list):
        return [_hostile(item) for item in data]
    return data


@pytest.fixture(scope="module")
def hostile_pack() -> Policy:
    return policy_from_data(_hostile(national_data()), "hostile.toml")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_handbook_and_the_diff_show_a_hostile_pack_as_text(
    hostile_pack: Policy, lang: Any
) -> None:
    national = load_policy("national-transport@2026.1")
    # diagrams hold catalogue words only, never pack text (tests/docs/test_diagrams.py): the
    # pages are checked with their Mermaid source, whose SVG drawing would be markup of ours
    plain = [page_markdown(p) for p in handbook_pages(extract_handbook(national), lang, draw=False)]
    pages = [*handbook_pages(extract_handbook(hostile_pack), lang, draw=False)]
    pages.append(diff_page(national, hostile_pack, lang))
    for page, before in zip(pages, [*plain, None], strict=True):
        text = page_markdown(page)
        headings = None if before is None else before.count("\n#") + before.startswith("#")
        assert_inert(text, headings=headings)
        assert "<img" not in page_html(page, lang=lang)


def test_the_workflows_page_shows_a_hostile_basis_as_text(hostile_pack: Policy) -> None:
    assert_inert(workflows_markdown(hostile_pack))


def _hostile_book() -> CreditBook:
    book = CreditBook.memory(policy="national-transport")
    for subject in (FIRM, PERSON):
        case = book.open_case(
            "listing.serious",
            subject,
            on=D(2026, 5, 6),
            actor=OFFICER,
            domain="road_transport",
            grounds=MULTI_LINE,
            basis=f"{MULTI_LINE}\n当事人身份证号{PERSON}",
        )
        book.fire(case.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER)
        decision = {"measures": ["key_supervision"], "removal_conditions": ONE_LINE,
                    "remedies": MULTI_LINE}  # fmt: skip
        book.fire(case.case_id, "decide", on=D(2026, 5, 20), actor=OFFICIAL, **decision)
        book.fire(case.case_id, "publish", on=D(2026, 5, 21), actor=OFFICER)
    return book


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_public_notices_show_a_hostile_basis_as_text_and_mask_ids_in_it(lang: Any) -> None:
    notices = extract_notices(_hostile_book(), dt.date(2026, 6, 1))
    assert len(notices.listings) == 2
    for listing in notices.listings:
        assert PERSON not in listing.basis and PERSON_MASKED in listing.basis
    page = notice_page(notices, lang)
    text = page_markdown(page)
    assert_inert(text, headings=4)
    assert PERSON not in text and PERSON not in page_html(page, lang=lang)
