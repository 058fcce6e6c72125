"""A page as a few kinds of blocks, the common ground of the Markdown and HTML renderers.

A text is plain (``str``) or :class:`Rich`: plain parts and :class:`Code` parts, the latter
identifiers for developers shown as code (``make``, ``road_transport``), never as prose.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = [
    "Block",
    "Bullets",
    "Code",
    "Diagram",
    "Entries",
    "Entry",
    "Figure",
    "Heading",
    "Page",
    "Paragraph",
    "Rich",
    "Table",
    "Text",
    "plain",
]


@attrs.frozen
class Code:
    """An identifier shown as code: for developers, not translated."""

    text: str


@attrs.frozen
class Rich:
    """A text made of plain parts and :class:`Code` parts, in order."""

    parts: tuple[str | Code, ...]


Text = str | Rich


def plain(text: Text) -> str:
    """The text without its markup (code parts as they are)."""
    if isinstance(text, str):
        return text
    return "".join(p if isinstance(p, str) else p.text for p in text.parts)


@attrs.frozen
class Heading:
    """A heading of ``level`` 1 (the page title) to 3."""

    level: int
    text: Text


@attrs.frozen
class Paragraph:
    """A paragraph of text."""

    text: Text


@attrs.frozen
class Bullets:
    """A bulleted list of text items."""

    items: tuple[Text, ...]


@attrs.frozen
class Table:
    """A table: a header row and body rows of text cells."""

    header: tuple[Text, ...]
    rows: tuple[tuple[Text, ...], ...]


@attrs.frozen
class Diagram:
    """A state diagram: its Mermaid source, and its drawing as SVG when Graphviz could draw it
    (``svg`` None: the renderers show the Mermaid source instead). ``title`` names it for
    people (the SVG's accessible name)."""

    mermaid: str
    svg: str | None = None
    title: str = ""


@attrs.frozen
class Entry:
    """One published entry (a listing, a commitment, a repair): a ``title`` and its ``fields``
    as (label, value) pairs; ``facets`` are (facet, value) pairs the HTML page filters on
    (a list kind, a domain, a date ``YYYY-MM-DD``)."""

    title: Text
    fields: tuple[tuple[str, Text], ...]
    facets: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class Entries:
    """Entries a reader searches: in HTML with a search box and a filter per facet (named by
    ``facets``: facet -> label), which a few lines of local script run; every entry is shown
    without the script."""

    entries: Sequence[Entry]
    """A tuple, or a sequence that makes each entry when read (as the notice page's do, so
    that a page of a million commitments does not hold an entry beside each notice):
    renderers only iterate it."""
    facets: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class Figure:
    """An image file beside the page (a chart): ``src`` is its path relative to the page,
    ``caption`` says what it shows (and is its text alternative)."""

    src: str
    caption: str


Block = Heading | Paragraph | Bullets | Table | Diagram | Entries | Figure


@attrs.frozen
class Page:
    """One page of a site: ``slug`` names its file (``index`` -> ``index.md``)."""

    slug: str
    title: str
    blocks: tuple[Block, ...]
