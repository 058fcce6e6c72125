"""Pages as Markdown: GitHub-style tables, state diagrams as inline SVG (or, where Graphviz
could not draw them, ```` ```mermaid ```` blocks).

Every text of a page is untrusted (it comes from a pack or a book): it is escaped by
:func:`creditflow.core.escaping.escape_markdown` (code parts by
:func:`~creditflow.core.escaping.markdown_code`) and any resident ID in it is masked
(:func:`creditflow.core.privacy.mask_resident_ids`). Diagrams come from the machine
declarations and the label catalogue, not from a pack, and are written as they are.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from creditflow._validation import ensure_instance
from creditflow.core.escaping import escape_markdown, markdown_code
from creditflow.core.privacy import mask_resident_ids
from creditflow.docs.document import (
    Block,
    Bullets,
    Diagram,
    Entries,
    Entry,
    Figure,
    Heading,
    Page,
    Paragraph,
    Table,
    Text,
)
from creditflow.docs.html import escape as html_escape

__all__ = ["page_markdown", "page_markdown_parts"]


def page_markdown(page: Page) -> str:
    """The page as Markdown text, ending with one newline."""
    return "".join(page_markdown_parts(page))


def page_markdown_parts(page: Page) -> Iterator[str]:
    """:func:`page_markdown` in parts, an entry at a time: a page of a million notices is
    written without its whole text in memory."""
    ensure_instance(page, Page, "page")
    for n, block in enumerate(page.blocks):
        if n:
            yield "\n\n"
        if isinstance(block, Entries):
            for m, entry in enumerate(block.entries):
                yield ("\n\n" if m else "") + _entry(entry)
        else:
            yield _block(block)
    yield "\n"


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {_inline(block.text)}"
    if isinstance(block, Paragraph):
        return _inline(block.text)
    if isinstance(block, Bullets):
        return "\n".join(f"- {_inline(item)}" for item in block.items)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Entries):
        return _entries(block)
    if isinstance(block, Figure):
        return f"![{_inline(block.caption, in_cell=True)}](<{_inline(block.src, in_cell=True)}>)"
    return _diagram(block)


def _entries(block: Entries) -> str:
    """Each entry as a bold title and a list of ``label: value`` items."""
    return "\n\n".join(_entry(e) for e in block.entries)


def _entry(entry: Entry) -> str:
    items = [f"- {_inline(k, in_cell=True)}: {_inline(v, in_cell=True)}" for k, v in entry.fields]
    return f"**{_inline(entry.title, in_cell=True)}**\n\n" + "\n".join(items)


def _diagram(block: Diagram) -> str:
    """The SVG as a raw HTML block (no blank line inside, which would end it), else Mermaid."""
    if block.svg is None:
        return f"```mermaid\n{block.mermaid}\n```"
    lines = [line for line in block.svg.splitlines() if line.strip()]
    label = html_escape(block.title)
    return "\n".join([f'<figure class="diagram" role="img" aria-label="{label}">', *lines,
                      "</figure>"])  # fmt: skip


def _table(table: Table) -> str:
    lines = [_row(table.header), "|" + "---|" * len(table.header)]
    return "\n".join(lines + [_row(row) for row in table.rows])


def _row(cells: tuple[Text, ...]) -> str:
    return "| " + " | ".join(_inline(c, in_cell=True) for c in cells) + " |"


def _inline(text: Text, *, in_cell: bool = False) -> str:
    """Text with the characters Markdown would read as markup escaped, persons masked; code
    parts as code spans."""
    if isinstance(text, str):
        return _escaped(text, in_cell)
    out = []
    for n, part in enumerate(text.parts):
        if not isinstance(part, str):
            out.append(markdown_code(mask_resident_ids(part.text)))
            continue
        lead = "" if n == 0 else " " * (len(part) - len(part.lstrip(" ")))  # kept inside a line
        out.append(lead + escape_markdown(mask_resident_ids(part), in_cell=in_cell or n > 0))
    return "".join(out)


@functools.lru_cache(maxsize=1 << 16)
def _escaped(text: str, in_cell: bool) -> str:
    """A plain text escaped and masked, remembered: a notice page repeats its labels, dates
    and kinds in every entry (a pure function of its arguments)."""
    return escape_markdown(mask_resident_ids(text), in_cell=in_cell)
