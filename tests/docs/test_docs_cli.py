"""``creditflow docs``: writes the site, with a book's notices, in either format."""

from __future__ import annotations

from pathlib import Path

import pytest
from _docbook import FIRM, PERSON, PERSON_MASKED, published_listing

from creditflow.book.book import CreditBook
from creditflow.cli import main


@pytest.fixture
def book_file(tmp_path: Path) -> Path:
    path = tmp_path / "book.sqlite"
    with CreditBook.open(path, policy="national-transport") as book:
        published_listing(book, FIRM)
        published_listing(book, PERSON)
    return path


def test_docs_writes_a_markdown_handbook_with_notices(
    tmp_path: Path, book_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    argv = ["docs", "--on", "2026-06-01", "--book", str(book_file), "--lang", "en", "-o", str(out)]
    assert main(argv) == 0
    assert sorted(p.name for p in out.iterdir()) == ["index.md", "notices.md", "workflows.md"]
    assert capsys.readouterr().out.splitlines()[0] == str(out / "index.md")
    notices = (out / "notices.md").read_text(encoding="utf-8")
    assert FIRM in notices and PERSON not in notices
    assert PERSON_MASKED.replace("*", "\\*") in notices


def test_docs_writes_html_in_chinese_with_a_diff_page(tmp_path: Path) -> None:
    out = tmp_path / "site"
    argv = ["docs", "--on", "2026-06-01", "--format", "html", "--lang", "zh", "-o", str(out)]
    assert main([*argv, "--diff-from", "national-transport@2019.1"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["diff.html", "index.html", "style.css", "workflows.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in index and "分级分类监管措施" in index
    assert "http" not in index  # nothing fetched from the network


def test_docs_refuses_a_missing_book(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.sqlite"
    assert main(["docs", "--book", str(missing), "-o", str(tmp_path / "out")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert not missing.exists()
