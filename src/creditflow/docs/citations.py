"""Figures with their own basis on a page: a note mark in the cell, the notes under the table.

Each section of a handbook page numbers its bases; a figure shows ``（注2，可配置）`` /
``(note 2, configurable)`` after its value, and note 2 under the section's table gives the
basis and, for a figure not from a full legal text, what it rests on instead.
"""

from __future__ import annotations

from typing import Any

from creditflow.core.labels import Language
from creditflow.docs.document import Block, Bullets
from creditflow.docs.labels import text
from creditflow.docs.model import Cited
from creditflow.policy.model import Source

__all__ = ["Notes", "source_mark"]


def source_mark(source: Source, lang: Language, *, short: bool = False) -> str:
    """How a figure of ``source`` is marked ("" for a full legal text)."""
    if source is Source.FULL:
        return ""
    return text(f"source.{source.value}{'.short' if short else ''}", lang)


class Notes:
    """The bases cited in one section, numbered in the order they are first cited."""

    def __init__(self, lang: Language) -> None:
        self._lang = lang
        self._numbers: dict[tuple[str, Source], int] = {}

    def cite(self, shown: str, figure: Cited[Any]) -> str:
        """``shown`` (the figure as text) followed by the mark of its note."""
        key = (figure.basis, figure.source)
        number = self._numbers.setdefault(key, len(self._numbers) + 1)
        mark = source_mark(figure.source, self._lang, short=True)
        ref = text("note_ref_marked" if mark else "note_ref", self._lang)
        return shown + ref.format(n=number, mark=mark)

    def blocks(self) -> list[Block]:
        """The notes as a list, one item per basis cited: ``注2：basis（本地可配置：…）``
        (no block when nothing was cited)."""
        items = []
        for (basis, source), number in self._numbers.items():
            mark = source_mark(source, self._lang)
            note = text("note_marked" if mark else "note", self._lang)
            items.append(note.format(n=number, basis=basis, mark=mark))
        return [Bullets(tuple(items))] if items else []
