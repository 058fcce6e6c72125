"""Pages as static HTML: one self-contained file per page, styled by one stylesheet.

Every text goes through :func:`html.escape` (quotes too) after any resident ID in it is masked
(:func:`creditflow.core.privacy.mask_resident_ids`); code parts of a text are ``<code>``.

State diagrams are inline SVG drawn by Graphviz when the page was made (or, where ``dot`` was
absent, their Mermaid source in ``<pre class="mermaid">``) beside the transition table, so the
site needs nothing from the network.
"""

from __future__ import annotations

from html import escape as _escape

from creditflow._validation import ensure_instance
from creditflow.core.labels import Language
from creditflow.core.privacy import mask_resident_ids
from creditflow.docs.document import Block, Bullets, Diagram, Heading, Page, Paragraph, Table, Text

__all__ = ["STYLESHEET", "escape", "page_html", "text_html"]


def escape(text: str) -> str:
    """``text`` as HTML text or attribute value, persons masked."""
    return _escape(mask_resident_ids(text))


STYLESHEET = """\
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; margin: 2em auto;
       max-width: 72em; padding: 0 1em; color: #1b1b1b; line-height: 1.5; }
nav { border-bottom: 1px solid #ccc; padding-bottom: .5em; margin-bottom: 1em; }
nav a { margin-right: 1em; }
h1 { font-size: 1.8em; } h2 { border-bottom: 1px solid #ddd; } h3 { font-size: 1.1em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #bbb; padding: .25em .6em; text-align: left; vertical-align: top;
         min-width: 3.5em; }
th { background: #eef2f7; }
pre.mermaid { background: #f6f8fa; border: 1px solid #ddd; padding: .8em; overflow-x: auto; }
figure.diagram { margin: 1em 0; overflow-x: auto; }
figure.diagram svg { max-width: 100%; height: auto; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: .9em; background: #f2f2f2;
       padding: 0 .2em; }
@media print {
  nav, form.filters { display: none; }
  body { max-width: none; margin: 0; font-size: 10pt; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""
"""The stylesheet every page links to (written as ``style.css``)."""


def page_html(page: Page, *, lang: Language, nav: tuple[tuple[str, str], ...] = ()) -> str:
    """The page as an HTML document; ``nav`` holds ``(file, title)`` links shown on top."""
    ensure_instance(page, Page, "page")
    links = "".join(f'<a href="{escape(f)}">{escape(t)}</a>' for f, t in nav)
    body = "\n".join(_block(b) for b in page.blocks)
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(page.title)}</title>\n"
        '<link rel="stylesheet" href="style.css">\n</head>\n<body>\n'
        f"<nav>{links}</nav>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def text_html(text: Text) -> str:
    """A text as HTML: plain parts escaped, code parts in ``<code>``."""
    if isinstance(text, str):
        return escape(text)
    return "".join(
        escape(p) if isinstance(p, str) else f"<code>{escape(p.text)}</code>" for p in text.parts
    )


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{text_html(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        return f"<p>{text_html(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{text_html(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    return _diagram(block)


def _diagram(block: Diagram) -> str:
    if block.svg is None:
        return f'<pre class="mermaid">{escape(block.mermaid)}</pre>'
    label = escape(block.title)
    return f'<figure class="diagram" role="img" aria-label="{label}">\n{block.svg}\n</figure>'


def _table(table: Table) -> str:
    head = "".join(f"<th>{text_html(c)}</th>" for c in table.header)
    rows = "".join(
        "<tr>" + "".join(f"<td>{text_html(c)}</td>" for c in row) + "</tr>\n" for row in table.rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>"
