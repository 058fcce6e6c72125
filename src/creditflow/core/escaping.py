"""Untrusted text made inert in what we publish: Markdown text and code, and CSV cells.

Names, bases, grounds and notes come from callers, population files and policy packs; MkDocs
and most Markdown renderers pass raw HTML through, so a name like ``<img src=x onerror=...>``
would be script in the public's browser. Every Markdown renderer of creditflow passes such text
through :func:`escape_markdown` (or :func:`markdown_code` for a code span), and every CSV
writer through :func:`csv_cell`. HTML pages use :func:`html.escape`.
"""

from __future__ import annotations

import re

from creditflow._validation import ensure_instance

__all__ = ["FORMULA_STARTS", "csv_cell", "escape_markdown", "markdown_code"]

# Line endings (CommonMark's \n and \r, and those Python's str.splitlines() knows): a space.
_LINE_BREAKS = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
# Other C0 controls and DEL: dropped (Python-Markdown uses \x02 and \x03 as placeholders).
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")
# Backslash-escaped everywhere: escape, code, emphasis, link brackets, image, table, attributes,
# headings (a closing ``#`` of a heading line would be dropped too).
_PUNCTUATION = re.compile(r"[\\`*\[\]!|{}#]|(?<![^\W_])_|_(?![^\W_])")
# A number opening the text, then what would make it an ordered list item.
_LIST_NUMBER = re.compile(r"\d{1,9}[.)]")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a CSV cell as a formula (OWASP, "CSV Injection")."""


def escape_markdown(text: str, *, in_cell: bool = False) -> str:
    """``text`` as inline Markdown that renders as exactly that text and never as markup.

    - line breaks become spaces (the text cannot start a block or a table row), other control
      characters are dropped, leading spaces and tabs too (an indented line is code);
    - ``&``, ``<`` and ``>`` become ``&amp;``, ``&lt;`` and ``&gt;``: no HTML, no autolink;
    - ``\\ ` * [ ] ! | { } #`` are escaped with a backslash: no code, emphasis, link, image,
      table cell break, attribute list or heading; so is ``_`` unless it stands between two
      letters or digits (``highway_construction`` stays readable: inside a word it is no
      emphasis);
    - a ``-`` or ``+`` opening the text, or the ``.``/``)`` of a number opening it, is
      escaped: no list item. Not ``in_cell``: a table cell opens no block, and a ``-`` for
      "none" stays as it is there.

    ``(`` and ``)`` are left as they are: a link needs ``](`` or ``<``, which cannot occur.
    """
    ensure_instance(text, str, "text")
    text = _CONTROLS.sub("", _LINE_BREAKS.sub(" ", text)).lstrip(" \t")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _PUNCTUATION.sub(r"\\\g<0>", text)
    if in_cell:
        return text
    if text[:1] in ("-", "+"):
        return "\\" + text
    number = _LIST_NUMBER.match(text)
    if number is not None:
        end = number.end() - 1
        return f"{text[:end]}\\{text[end:]}"
    return text


def markdown_code(text: str) -> str:
    """``text`` as a Markdown code span, shown verbatim (line breaks as spaces; no text, no span).

    The fence is one backtick longer than the longest run of backticks in the text, with a
    space inside when the text begins or ends with a backtick (CommonMark's rule).
    """
    ensure_instance(text, str, "text")
    text = _CONTROLS.sub("", _LINE_BREAKS.sub(" ", text))
    if not text:
        return ""
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def csv_cell(value: str) -> str:
    """``value`` safe to open in a spreadsheet: a leading ``'`` when it starts like a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (:data:`FORMULA_STARTS`) gets a ``'`` in front, as OWASP recommends; so does a cell that
    already starts with ``'``, so that removing one leading ``'`` from a cell that has one always
    gives the value back. Other cells are written as they are.
    """
    ensure_instance(value, str, "value")
    if value.startswith((*FORMULA_STARTS, "'")):
        return "'" + value
    return value
