"""Pages as Markdown: GitHub-style tables and ```` ```mermaid ```` blocks."""

from __future__ import annotations

from creditflow._validation import ensure_instance
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
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _cell(text: str) -> str:
    """Text safe in a table cell: ``|`` escaped, line breaks as spaces."""
    return _inline(text).replace("|", "\\|").replace("\n", " ")


def _inline(text: str) -> str:
    """Plain text with the characters Markdown would read as markup escaped."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("<", "&lt;")
