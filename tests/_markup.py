"""Hostile text and a check that a Markdown output shows it as text: the tests of every renderer.

The Markdown is rendered by Python-Markdown (the renderer MkDocs uses, from the ``docs``
extra; the tests that need it skip without it) with the extensions MkDocs enables by default
and ``attr_list``, and the HTML is read back with :mod:`html.parser`.
"""

from __future__ import annotations

from html.parser import HTMLParser

HOSTILE = (
    "<img src=x onerror=alert(1)>",
    "<script>alert('x')</script>",
    "[click](javascript:alert(1))",
    "![pic](javascript:alert(2))",
    "<javascript:alert(3)>",
    "ok\n# Injected heading\n\n<b>bold</b>",
    "a | b | c",
    "`code` and ```fence```",
    "**strong** _em_",
    "{: onclick=alert(4) }",
    "&lt;script&gt;",
    "- item",
    "1. first",
    "> quote",
    "---",
    "\\[x\\](javascript:alert(5))",
)
"""Text an attacker may put in a name, a basis, grounds or a note."""

ONE_LINE = " ".join(text.replace("\n", " ") for text in HOSTILE)

ALLOWED_TAGS = frozenset(
    {"h1", "h2", "h3", "p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "code", "pre",
     "strong"}  # the title of a published entry
)  # fmt: skip


class _Reader(HTMLParser):
    """The tags, attributes, heading texts and table rows of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.headings: list[str] = []
        self.tables: list[list[int]] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append(0)
        elif tag in ("td", "th"):
            self.tables[-1][-1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag.startswith("h") and tag[1:].isdigit() and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)


def render(markdown_text: str) -> str:
    """The HTML that MkDocs' Markdown renderer makes of ``markdown_text``."""
    import markdown  # the `test` extra installs it: these tests never skip

    return str(
        markdown.markdown(markdown_text, extensions=["tables", "fenced_code", "toc", "attr_list"])
    )


def assert_inert(markdown_text: str, headings: int | None = None) -> None:
    """The hostile text in ``markdown_text`` is text: no raw HTML, no link, no element of its
    own, no heading of its own, every table row as wide as its header."""
    assert "<img" not in markdown_text and "<script" not in markdown_text
    reader = _Reader()
    reader.feed(render(markdown_text))
    assert set(reader.tags) <= ALLOWED_TAGS, sorted(set(reader.tags) - ALLOWED_TAGS)
    assert not [a for a in reader.attributes if a[0] in ("href", "src") or a[0].startswith("on")]
    assert not [h for h in reader.headings if h.startswith("Injected")], reader.headings
    if headings is not None:
        assert len(reader.headings) == headings
    for rows in reader.tables:
        assert len(set(rows)) == 1, rows
