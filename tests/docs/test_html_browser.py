"""The HTML site opened in real headless Chromium: what a person sees on the pages.

Needs Debian's ``chromium``. Without it the test is skipped, except under CI (``CI`` set),
where a missing browser fails. The screenshot is written to ``$CREDITFLOW_ARTIFACTS`` (or the
test's temporary directory) as ``notices.png`` and ``index.png``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from _docbook import FIRM, PERSON, PERSON_MASKED, D, published_listing

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
    """The text of every table row and of every ``pre`` block of a DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.pres: list[str] = []
        self._cell: list[str] | None = None
        self._pre: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "pre":
            self._pre = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "pre" and self._pre is not None:
            self.pres.append("".join(self._pre))
            self._pre = None

    def handle_data(self, data: str) -> None:
        for sink in (self._cell, self._pre):
            if sink is not None:
                sink.append(data)


def _seen(page: Path) -> _Rows:
    parser = _Rows()
    parser.feed(_chromium("--dump-dom", page.as_uri()))
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


def test_a_person_sees_the_decision_table(site: Path) -> None:
    rows = _seen(site / "index.html").rows
    expected = ["Road transport", "B Average", "5% (note 3, configurable)",
                "1 (note 3, configurable)", "-", "grade-b"]  # fmt: skip
    assert rows[_row(rows)][:6] == expected


def _row(rows: list[list[str]]) -> int:
    return next(i for i, r in enumerate(rows) if r[:2] == ["Road transport", "B Average"])


def test_a_person_sees_the_state_diagrams(site: Path) -> None:
    pres = _seen(site / "workflows.html").pres
    assert len(pres) >= 5 and all(p.startswith("stateDiagram-v2") for p in pres)
    assert any("notified --> decided: decide [statement_done]" in p for p in pres)


def test_a_person_sees_masked_ids_and_no_expired_listing(site: Path) -> None:
    seen = _seen(site / "notices.html")
    subjects = [r[0] for r in seen.rows[1:]]
    assert PERSON_MASKED in subjects
    assert PERSON not in str(seen.rows) and FIRM not in str(seen.rows)
    artefacts = Path(os.environ.get("CREDITFLOW_ARTIFACTS", str(site)))
    artefacts.mkdir(parents=True, exist_ok=True)
    for name in ("notices", "index"):
        shot = artefacts / f"{name}.png"
        _chromium(
            f"--screenshot={shot}", "--window-size=1280,1600", (site / f"{name}.html").as_uri()
        )
        assert shot.stat().st_size > 10_000
