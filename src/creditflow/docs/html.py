"""Pages as static HTML: one self-contained file per page, styled by one stylesheet.

Published entries (notices) come with a search box and filters run by a few lines of local
script (:data:`FILTER_SCRIPT`, in the page, nothing from the network): without JavaScript the
form stays hidden and every entry is shown; printed, the form and the navigation are left out.

Every text goes through :func:`html.escape` (quotes too) after any resident ID in it is masked
(:func:`creditflow.core.privacy.mask_resident_ids`); code parts of a text are ``<code>``.

State diagrams are inline SVG drawn by Graphviz when the page was made (or, where ``dot`` was
absent, their Mermaid source in ``<pre class="mermaid">``) beside the transition table, so the
site needs nothing from the network.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from html import escape as _escape

from creditflow._validation import ensure_instance
from creditflow.core.labels import Language
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
from creditflow.docs.labels import text as label_text

__all__ = ["FILTER_SCRIPT", "STYLESHEET", "escape", "page_html", "page_html_parts", "text_html"]


@functools.lru_cache(maxsize=1 << 16)
def escape(text: str) -> str:
    """``text`` as HTML text or attribute value, persons masked (remembered: a page repeats its
    labels, dates and kinds; a pure function of the text)."""
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
figure.chart { margin: 1em 0; } figure.chart img { max-width: 100%; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure.diagram svg { max-width: 100%; height: auto; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: .9em; background: #f2f2f2;
       padding: 0 .2em; }
form.filters { display: flex; flex-wrap: wrap; gap: .5em 1.2em; align-items: center;
               background: #f6f8fa; border: 1px solid #ddd; padding: .6em .8em; }
form.filters[hidden] { display: none; }
article.entry { border: 1px solid #ccd; border-left: 4px solid #4a6785; margin: .8em 0;
                padding: .4em .9em; break-inside: avoid; }
article.entry[hidden] { display: none; }
article.entry h3 { margin: .2em 0 .4em; }
article.entry dl { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em;
                   margin: 0; }
article.entry dt { color: #4d4d4d; } article.entry dd { margin: 0; }
@media print {
  nav, form.filters { display: none; }
  body { max-width: none; margin: 0; font-size: 10pt; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""
"""The stylesheet every page links to (written as ``style.css``)."""


FILTER_SCRIPT = """\
(function () {
  document.querySelectorAll("form.filters").forEach(function (form) {
    var items = document.getElementById(form.dataset.for).querySelectorAll("article.entry");
    var field = function (name) { return form.querySelector("[data-facet=" + name + "]"); };
    function apply() {
      var q = field("text").value.trim().toLowerCase(), shown = 0;
      var from = field("from").value, to = field("to").value;
      items.forEach(function (item) {
        var ok = !q || item.textContent.toLowerCase().indexOf(q) >= 0;
        form.querySelectorAll("select").forEach(function (s) {
          if (s.value && item.dataset[s.dataset.facet] !== s.value) { ok = false; }
        });
        var day = item.dataset.date || "";
        if ((from && day < from) || (to && day > to)) { ok = false; }
        item.hidden = !ok;
        shown += ok ? 1 : 0;
      });
      form.querySelector("output").textContent = shown + " / " + items.length;
    }
    var asked = new URLSearchParams(window.location.search);  // a link may carry a search
    form.querySelectorAll("[data-facet]").forEach(function (f) {
      if (asked.get(f.dataset.facet)) { f.value = asked.get(f.dataset.facet); }
    });
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  });
})();
"""
"""The search and filters of :class:`~creditflow.docs.document.Entries`, in the page."""


def page_html(page: Page, *, lang: Language, nav: tuple[tuple[str, str], ...] = ()) -> str:
    """The page as an HTML document; ``nav`` holds ``(file, title)`` links shown on top."""
    return "".join(page_html_parts(page, lang=lang, nav=nav))


def page_html_parts(
    page: Page, *, lang: Language, nav: tuple[tuple[str, str], ...] = ()
) -> Iterator[str]:
    """:func:`page_html` in parts, an entry at a time: a page of a million notices is written
    without its whole text in memory."""
    ensure_instance(page, Page, "page")
    links = "".join(f'<a href="{escape(f)}">{escape(t)}</a>' for f, t in nav)
    html_lang = "zh-CN" if lang == "zh" else "en"
    yield (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(page.title)}</title>\n"
        '<link rel="stylesheet" href="style.css">\n</head>\n<body>\n'
        f"<nav>{links}</nav>\n<main>\n"
    )
    for n, block in enumerate(page.blocks):
        if n:
            yield "\n"
        if isinstance(block, Entries):
            yield from _entries_parts(block, f"entries-{n}", lang)
        else:
            yield _block(block)
    if any(isinstance(b, Entries) for b in page.blocks):
        yield f"\n<script>\n{FILTER_SCRIPT}</script>"
    yield "\n</main>\n</body>\n</html>\n"


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
    if isinstance(block, Entries):
        return _entries(block, "entries", "en")
    if isinstance(block, Figure):
        caption = escape(block.caption)
        return (
            f'<figure class="chart"><img src="{escape(block.src)}" alt="{caption}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )
    return _diagram(block)


def _entries(block: Entries, anchor: str, lang: Language) -> str:
    """The search form (hidden until the script runs), then one article per entry."""
    return "".join(_entries_parts(block, anchor, lang))


def _entries_parts(block: Entries, anchor: str, lang: Language) -> Iterator[str]:
    """:func:`_entries` in parts, an article at a time."""

    def word(key: str) -> str:
        return escape(label_text(key, lang))

    controls = [f'<label>{word("search")} <input type="search" data-facet="text"></label>']
    for facet, title in block.facets:
        if facet == "date":
            controls += [
                f'<label>{escape(title)} {word("date_from")} <input type="date" '
                'data-facet="from"></label>',
                f'<label>{word("date_to")} <input type="date" data-facet="to"></label>',
            ]
            continue
        values = sorted({v for e in block.entries for f, v in e.facets if f == facet})
        options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
        controls.append(
            f'<label>{escape(title)} <select data-facet="{escape(facet)}">'
            f'<option value="">{word("all")}</option>{options}</select></label>'
        )
    controls.append(f"<span>{word('shown')} <output></output></span>")
    form = f'<form class="filters" data-for="{anchor}" hidden>{"".join(controls)}</form>'
    note = f'<noscript><p class="noscript">{word("noscript")}</p></noscript>'
    yield f'{form}\n{note}\n<div class="entries" id="{anchor}">\n'
    for n, entry in enumerate(block.entries):
        yield ("\n" if n else "") + _article(entry)
    yield "\n</div>"


def _article(entry: Entry) -> str:
    facets = "".join(f' data-{escape(f)}="{escape(v)}"' for f, v in entry.facets)
    fields = "".join(f"<dt>{escape(k)}</dt><dd>{text_html(v)}</dd>" for k, v in entry.fields)
    return (
        f'<article class="entry"{facets}><h3>{text_html(entry.title)}</h3>'
        f"<dl>{fields}</dl></article>"
    )


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
