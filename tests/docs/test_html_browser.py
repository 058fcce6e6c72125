"""The HTML site opened in real headless Chromium: what a person sees on the pages.

Needs Debian's ``chromium`` (and Graphviz's ``dot`` for the diagrams). Without chromium the
test is skipped, except under CI (``CI`` set), where a missing browser fails. Screenshots are
written to ``$CREDITFLOW_ARTIFACTS`` (or the test's temporary directory): ``notices.png``,
``index.png``, ``workflows.png`` (drawn diagrams), ``zh-workflows.png`` (a Chinese handbook
page) and ``zh-notices.png`` (the notice page with its search).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from _docbook import FIRM, PERSON, PERSON_MASKED, D, published_listing
from _zh import leaked

from creditflow.book.book import CreditBook
from creditflow.docs import site_pages, write_site
from creditflow.rules.loading import load_policy

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ON = D(2027, 5, 21)  # the firm's watch listing ended on 2027-05-20; the person's runs to 2029


def _browser() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed, and CI is set: .ci/run must install it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return CHROMIUM


def _chromium(*args: str) -> str:
    command = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


class _Rows(HTMLParser):
    """The text of every table row and of every ``pre`` block of a DOM; the tags met with their
    attributes; the text a reader reads (``prose``: no code, script, style or SVG title)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.pres: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.prose: list[str] = []
        self._cell: list[str] | None = None
        self._pre: list[str] | None = None
        self._hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("code", "script", "style", "title", "pre"):
            self._hidden.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "pre":
            self._pre = []

    def handle_endtag(self, tag: str) -> None:
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "pre" and self._pre is not None:
            self.pres.append("".join(self._pre))
            self._pre = None

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.prose.append(data)
        for sink in (self._cell, self._pre):
            if sink is not None:
                sink.append(data)


def _seen(page: Path, query: str = "") -> _Rows:
    parser = _Rows()
    parser.feed(_chromium("--dump-dom", page.as_uri() + query))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _browser()
    out = tmp_path_factory.mktemp("site")
    book = CreditBook.memory(policy="national-transport")
    published_listing(book, FIRM, "watch")
    published_listing(book, PERSON, "serious")
    policy = load_policy("national-transport", on=ON)
    write_site(site_pages(policy, "en", book=book, on=ON), out, "html", "en")
    return out


@pytest.fixture(scope="module")
def zh_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _browser()
    out = tmp_path_factory.mktemp("zh-site")
    book = CreditBook.memory(policy="national-transport")
    published_listing(book, FIRM, "watch")
    published_listing(book, PERSON, "serious")
    policy = load_policy("national-transport", on=ON)
    write_site(site_pages(policy, "zh", book=book, on=ON), out, "html", "zh")
    return out


def test_a_person_sees_the_decision_table(site: Path) -> None:
    rows = _seen(site / "index.html").rows
    expected = ["Road transport", "B Average", "5% (note 3, configurable)",
                "1 (note 3, configurable)", "-", "grade-b"]  # fmt: skip
    assert rows[_row(rows)][:6] == expected


def _row(rows: list[list[str]]) -> int:
    return next(i for i, r in enumerate(rows) if r[:2] == ["Road transport", "B Average"])


def test_a_person_sees_the_state_diagrams(site: Path) -> None:
    seen = _seen(site / "workflows.html")
    figures = [a for t, a in seen.tags if t == "figure" and a.get("class") == "diagram"]
    assert len(figures) >= 5 and len([t for t, _ in seen.tags if t == "svg"]) == len(figures)
    assert not seen.pres  # drawn, not Mermaid source
    assert "decide" in seen.prose and "statement period over or waived" in "".join(seen.prose)
    _screenshot(site / "workflows.html", "workflows")


def test_a_zh_handbook_page_shows_no_english_identifier(zh_site: Path) -> None:
    seen = _seen(zh_site / "workflows.html")
    prose = " ".join(seen.prose)
    assert "作出承诺" in prose and "经办人" in prose and "30个工作日" in prose
    assert "已决定列入" in prose  # a state, as drawn in the diagram
    assert leaked(prose, load_policy("national-transport", on=ON)) == []
    assert any(t == "svg" for t, _ in seen.tags)
    _screenshot(zh_site / "workflows.html", "zh-workflows")


def test_a_person_searches_the_notices(zh_site: Path) -> None:
    seen = _seen(zh_site / "notices.html")
    (form,) = [a for t, a in seen.tags if t == "form"]
    assert "hidden" not in form  # the local script ran and showed the search
    assert ("input", {"type": "search", "data-facet": "text"}) in seen.tags
    entries = [a for t, a in seen.tags if t == "article"]
    assert len(entries) == 1 and "hidden" not in entries[0]  # the person's, still in force
    assert "1 / 1" in seen.prose
    asked = _seen(zh_site / "notices.html", "?text=没有这个名字")
    assert all("hidden" in a for t, a in asked.tags if t == "article")
    assert "0 / 1" in asked.prose
    _screenshot(zh_site / "notices.html", "zh-notices")


def _screenshot(page: Path, name: str) -> None:
    artefacts = Path(os.environ.get("CREDITFLOW_ARTIFACTS", str(page.parent)))
    artefacts.mkdir(parents=True, exist_ok=True)
    shot = artefacts / f"{name}.png"
    _chromium(f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri())
    assert shot.stat().st_size > 10_000


def test_a_person_sees_masked_ids_and_no_expired_listing(site: Path) -> None:
    seen = _seen(site / "notices.html")
    titles = [a for t, a in seen.tags if t == "article"]
    assert len(titles) == 1  # the firm's watch listing ended the day before
    shown = " ".join(seen.prose)
    assert PERSON_MASKED in shown
    assert PERSON not in shown and FIRM not in shown
    for name in ("notices", "index"):
        _screenshot(site / f"{name}.html", name)
