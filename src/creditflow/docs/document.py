"""A page as a few kinds of blocks, the common ground of the Markdown and HTML renderers."""

from __future__ import annotations

import attrs

__all__ = ["Block", "Bullets", "Diagram", "Heading", "Page", "Paragraph", "Table"]


@attrs.frozen
class Heading:
    """A heading of ``level`` 1 (the page title) to 3."""

    level: int
    text: str


@attrs.frozen
class Paragraph:
    """A paragraph of plain text."""

    text: str


@attrs.frozen
class Bullets:
    """A bulleted list of plain text items."""

    items: tuple[str, ...]


@attrs.frozen
class Table:
    """A table: a header row and body rows of plain text cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@attrs.frozen
class Diagram:
    """A Mermaid diagram, kept as its source text."""

    mermaid: str


Block = Heading | Paragraph | Bullets | Table | Diagram


@attrs.frozen
class Page:
    """One page of a site: ``slug`` names its file (``index`` -> ``index.md``)."""

    slug: str
    title: str
    blocks: tuple[Block, ...]
