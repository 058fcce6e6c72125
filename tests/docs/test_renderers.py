"""The Markdown and HTML renderers: text is text, never markup."""

from __future__ import annotations

from creditflow.docs import Page, page_html, page_markdown
from creditflow.docs.document import Bullets, Diagram, Heading, Paragraph, Table

PAGE = Page(
    "x",
    "A <b>title</b>",
    (
        Heading(1, "A <b>title</b>"),
        Paragraph("1 * 2 <script>alert(1)</script>"),
        Bullets(("one", "two")),
        Table(("a|b", "c"), (("110105********002X", "line\nbreak"),)),
        Diagram("stateDiagram-v2\n    a --> b: go [ok]"),
    ),
)


def test_markdown_escapes_markup_and_keeps_tables_whole() -> None:
    text = page_markdown(PAGE)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "| a\\|b | c |" in text
    assert "| 110105\\*\\*\\*\\*\\*\\*\\*\\*002X | line break |" in text
    assert "```mermaid\nstateDiagram-v2\n    a --> b: go [ok]\n```" in text
    assert text.endswith("```\n")


def test_html_escapes_text_and_needs_no_network() -> None:
    html = page_html(PAGE, lang="en", nav=(("x.html", "X & Y"),))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<pre class="mermaid">stateDiagram-v2\n    a --&gt; b: go [ok]</pre>' in html
    assert '<a href="x.html">X &amp; Y</a>' in html
    assert "<td>110105********002X</td>" in html
    assert "http" not in html and "<script" not in html
