"""The diff page: what changed between two policy versions (:meth:`Policy.diff`)."""

from __future__ import annotations

from typing import Any

from creditflow._validation import ensure_instance
from creditflow.calendar.periods import Period
from creditflow.core.labels import Label, Language
from creditflow.docs.document import Block, Code, Heading, Page, Paragraph, Rich, Table, Text
from creditflow.docs.labels import TEXT, period_text, term, text
from creditflow.errors import InvalidPeriod
from creditflow.policy.model import Change, Policy
from creditflow.rules.decision import format_setting

__all__ = ["diff_page"]


def diff_page(old: Policy, new: Policy, lang: Language) -> Page:
    """One row per changed setting (path, kind, before, after), in path order.

    The path is an identifier, shown as code; values are worded in ``lang`` (periods, yes/no,
    the source of a basis). The pack's developer notes (``basis.note``, English) are left out
    of the Chinese page, which says so."""
    ensure_instance(old, Policy, "old")
    ensure_instance(new, Policy, "new")
    title = f"{text('diff', lang)}: {old.key} → {new.key}"
    changes = [c for c in old.diff(new) if lang == "en" or not c.path.endswith(".note")]
    blocks: list[Block] = [
        Heading(1, Rich((f"{text('diff', lang)}: ", Code(old.key), " → ", Code(new.key)))),
        Paragraph(text("diff_intro", lang).format(old=old.key, new=new.key)),
    ]
    if lang == "zh":
        blocks.append(Paragraph(text("diff_notes_left_out", lang)))
    if not changes:
        blocks.append(Paragraph(text("diff_none", lang)))
    else:
        header = tuple(text(k, lang) for k in ("setting_words", "path", "change", "old", "new"))
        words = _words(old, new)
        names = _names(old, new)
        rows = tuple((_path_words(c.path, names, lang), *_row(c, words, lang)) for c in changes)
        blocks.append(Table(header, rows))
    return Page("diff", title, tuple(blocks))


_NAMED = ("lists", "domains", "commitments", "measures", "severities", "scales", "purposes",
          "flags")  # fmt: skip
"""Tables whose next segment is a name the pack labels."""


def _names(old: Policy, new: Policy) -> dict[tuple[str, str], Label]:
    """The pack's label of each named thing a path may pass through, by (table, name)."""
    found: dict[tuple[str, str], Label] = {}
    for p in (new, old):
        tables: dict[str, Any] = {
            "lists": p.lists, "domains": p.domains, "commitments": p.commitments,
            "measures": p.measures, "purposes": p.purposes, "flags": p.flags,
        }  # fmt: skip
        for table, items in tables.items():
            for name, item in items.items():
                found.setdefault((table, name), item.label)
        for severity, rule in p.severities.items():
            found.setdefault(("severities", severity.value), rule.label)
        for name, scale in p.scales.items():
            found.setdefault(("scales", name), scale.value.label)
    return found


def _path_words(path: str, names: dict[tuple[str, str], Label], lang: Language) -> str:
    """A setting's path in words: ``lists.serious.duration`` -> ``名单·严重失信主体名单·列入期限``
    (a segment without a word is left out; the path itself is beside it, as code)."""
    shown, parts = [], path.split(".")
    for i, part in enumerate(parts):
        before = parts[i - 1] if i else ""
        if before in _NAMED and (before, part) in names:
            shown.append(names[before, part].get(lang))
        elif f"path.{part}" in TEXT:
            shown.append(text(f"path.{part}", lang))
        elif part in TEXT and part not in _NAMED:
            shown.append(text(part, lang))
    return "·".join(shown) or "-"


def _words(old: Policy, new: Policy) -> dict[str, Label]:
    """The labels of the names a list setting may hold: measures, then catalogue terms."""
    return {name: m.label for p in (old, new) for name, m in p.measures.items()}


def _row(change: Change, words: dict[str, Label], lang: Language) -> tuple[Text, ...]:
    old, new = (_value(v, change.path, words, lang) for v in (change.old, change.new))
    return (Rich((Code(change.path),)), text(change.kind, lang), old or "-", new or "-")


def _value(value: object, path: str, words: dict[str, Label], lang: Language) -> str:
    """A setting's value for people in ``lang``: a source mark, a period, yes or no, names."""
    if isinstance(value, bool):
        return text("yes" if value else "no", lang)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        labels = (words.get(v, term(v)).get(lang) for v in value)
        return ("、" if lang == "zh" else ", ").join(labels) or "-"
    shown = format_setting(value, path)
    if path.endswith(".source") and f"source.{shown}.short" in TEXT:
        return text(f"source.{shown}.short", lang)
    if path.endswith(".source") and shown == "full":
        return text("source.full.short", lang)
    if isinstance(value, str):
        try:
            return period_text(Period.parse(value), lang)
        except InvalidPeriod:
            return shown
    return shown
