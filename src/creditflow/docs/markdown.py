"""Pages as Markdown: GitHub-style tables and ```` ```mermaid ```` blocks.

Every text of a page is untrusted (it comes from a pack or a book): it is escaped by
:func:`creditflow.core.escaping.escape_markdown` and any resident ID in it is masked
(:func:`creditflow.core.privacy.mask_resident_ids`). Diagrams come from the machine
declarations, not from a pack, and are written as they are.
"""

from __future__ import annotations

from creditflow._validation import ensure_instance
from creditflow.core.escaping import escape_markdown
from creditflow.core.privacy import mask_resident_ids
from creditflow.docs.document import Block, Bullets, Heading, Page, Paragraph, Table

__all__ = ["page_markdown"]


def page_markdown(page: Page) -> str:
    """The page as Markdown text, ending with one newline."""
    ensure_instance(page, Page, "page")
    return "\n\n".join(_block(b) for b in page.blocks) + "\n"


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {_inline(block.text)}"
    if isinstance(block, Paragraph):
        return _inline(block.text)
    if isinstance(block, Bullets):
        return "\n".join(f"- {_inline(item)}" for item in block.items)
    if isinstance(block, Table):
        return _table(block)
    return f"```mermaid\n{block.mermaid}\n```"


def _table(table: Table) -> str:
    lines = [_row(table.header), "|" + "---|" * len(table.header)]
    return "\n".join(lines + [_row(row) for row in table.rows])


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(_inline(c, in_cell=True) for c in cells) + " |"


def _inline(text: str, *, in_cell: bool = False) -> str:
    """Plain text with the characters Markdown would read as markup escaped, persons masked."""
    return escape_markdown(mask_resident_ids(text), in_cell=in_cell)
